/*
 * A strict JSON parser (RFC 8259, what dockerd's Go encoding/json accepts) that says where
 * things are: the line of each top-level key, and the line and column of the first error.
 * JSON.parse gives neither (its messages differ between Node versions), and a lenient
 * parser (YAML) would accept comments or trailing commas that dockerd refuses at start-up.
 * Iterative over the text, recursive only per nesting level, with a depth limit.
 */

/** Where and what the first syntax error is; line and column are 1-based. */
export interface JsonSyntaxError {
  line: number;
  column: number;
  message: string;
}

export type JsonParse =
  | {ok: true; value: unknown; /** Line of each key of a top-level object (the last one when repeated). */ keyLines: Map<string, number>}
  | {ok: false; error: JsonSyntaxError};

const maxDepth = 512;

class Failure extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

/** Parses `text` (a BOM already removed) as one JSON value. */
export function parseJsonLocated(text: string): JsonParse {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) lineStarts.push(i + 1);
  }
  const position = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return {line: low + 1, column: offset - lineStarts[low]! + 1};
  };

  let i = 0;
  const keyLines = new Map<string, number>();
  const describe = (offset: number) => (offset >= text.length ? 'end of file' : `"${text[offset]}"`);
  const fail = (message: string, offset = i): never => {
    throw new Failure(offset, message);
  };
  const space = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const expect = (char: string, what: string) => {
    space();
    if (text[i] !== char) fail(`expected ${what}, found ${describe(i)}`);
    i++;
  };

  const string = (): string => {
    const start = i;
    i++; // the opening quote
    let out = '';
    while (true) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c < ' ') fail('control character in a string (write it as \\n, \\t, ...)');
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = {'"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t'};
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail(`invalid escape "\\${e ?? ''}" in a string`);
        continue;
      }
      out += c;
      i++;
    }
  };

  const number = (): number => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) fail(`expected a value, found ${describe(i)}`);
    const after = text[i + match![0].length];
    if (after !== undefined && /[0-9.eE+-]/.test(after)) fail('malformed number');
    i += match![0].length;
    return Number(match![0]);
  };

  const value = (depth: number): unknown => {
    space();
    if (depth > maxDepth) fail(`nested more than ${maxDepth} levels deep`);
    const c = text[i];
    if (c === '{') return object(depth);
    if (c === '[') return array(depth);
    if (c === '"') return string();
    for (const [word, result] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return result;
      }
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    return fail(c === "'" ? 'strings take double quotes in JSON' : c === '/' ? 'JSON has no comments' : `expected a value, found ${describe(i)}`);
  };

  const object = (depth: number): Record<string, unknown> => {
    i++;
    const result: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    space();
    if (text[i] === '}') {
      i++;
      return result;
    }
    while (true) {
      space();
      if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma before "}"' : `expected a key in double quotes, found ${describe(i)}`);
      const keyOffset = i;
      const key = string();
      expect(':', '":" after the key');
      result[key] = value(depth + 1);
      if (depth === 0) keyLines.set(key, position(keyOffset).line);
      space();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return result;
      }
      fail(`expected "," or "}", found ${describe(i)}`);
    }
  };

  const array = (depth: number): unknown[] => {
    i++;
    const result: unknown[] = [];
    space();
    if (text[i] === ']') {
      i++;
      return result;
    }
    while (true) {
      result.push(value(depth + 1));
      space();
      if (text[i] === ',') {
        i++;
        space();
        if (text[i] === ']') fail('trailing comma before "]"');
        continue;
      }
      if (text[i] === ']') {
        i++;
        return result;
      }
      fail(`expected "," or "]", found ${describe(i)}`);
    }
  };

  try {
    const result = value(0);
    space();
    if (i < text.length) fail(`unexpected ${describe(i)} after the end of the value`);
    return {ok: true, value: result, keyLines};
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    return {ok: false, error: {...position(Math.min(error.offset, text.length)), message: error.message}};
  }
}
