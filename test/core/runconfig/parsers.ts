/*
 * Parsers that read the generated files back the way their consumers do, for the property
 * tests. Each is strict: anything the generators should never write throws, so an escape
 * that slipped shows up as an error rather than as a value that happens to compare equal.
 */

/**
 * The POSIX sh subset the docker run script uses: comments, newlines, blanks, `\`-newline
 * continuations, single-quoted strings, `\'` and plain word characters. Any other character
 * outside quotes (`$`, a backtick, `"`, `;`, `&`, `|`, `<`, `>`, parentheses, a lone `\`,
 * `~`, globs) would make the shell do more than pass words on, and throws.
 */
export function parseShScript(text: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  const endWord = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '#' && word === undefined) {
      while (i < text.length && text[i] !== '\n') i++;
      endCommand();
    } else if (c === '\n') endCommand();
    else if (c === ' ' || c === '\t') endWord();
    else if (c === '\\' && text[i + 1] === '\n') i++;
    // The `'\''` idiom: a backslash keeps the quote after it literal.
    else if (c === '\\' && text[i + 1] === "'") word = (word ?? '') + text[++i];
    else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unterminated single quote at ${i}`);
      word = (word ?? '') + text.slice(i + 1, close);
      i = close;
    } else if (/[A-Za-z0-9_\-=.,:/@%+]/.test(c)) word = (word ?? '') + c;
    else throw new Error(`unquoted ${JSON.stringify(c)} at ${i}: ${JSON.stringify(text.slice(Math.max(0, i - 30), i + 30))}`);
  }
  endCommand();
  return commands;
}

/** A Quadlet unit as podman's pkg/systemd/parser reads it: groups of key/value lines, comments dropped. */
export type QuadletUnit = Map<string, Array<[string, string]>>;

/**
 * podman's UnitFile.Parse: each line trimmed; `#` and `;` lines are comments; a line ending
 * in `\` continues on the next; `[Group]`; `Key=value` with the space around `=` dropped.
 */
export function parseQuadletUnit(text: string): QuadletUnit {
  const groups: QuadletUnit = new Map();
  let group: Array<[string, string]> | undefined;
  let remaining = '';
  const lines = text.replace(/\n$/, '').split('\n');
  lines.forEach((raw, index) => {
    let line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) {
      if (remaining !== '') return;
    } else {
      if (line.endsWith('\\')) {
        line = line.slice(0, -1);
        if (index !== lines.length - 1) {
          remaining += line;
          return;
        }
      }
      line = remaining + line;
      remaining = '';
    }
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const group_ = /^\[([^\]]+)\][ \t]*$/.exec(line);
    if (group_) {
      group = groups.get(group_[1]!) ?? [];
      groups.set(group_[1]!, group);
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`line ${index + 1} is not a key, group or comment: ${JSON.stringify(line)}`);
    if (!group) throw new Error('key before any group');
    group.push([line.slice(0, eq).trimEnd(), line.slice(eq + 1).trimStart()]);
  });
  return groups;
}

/** All values of a key (podman's LookupAll; an empty value clears the ones before). */
export function lookupAll(unit: QuadletUnit, group: string, key: string): string[] {
  let values: string[] = [];
  for (const [k, v] of unit.get(group) ?? []) if (k === key) values = v === '' ? [] : [...values, v];
  return values;
}

/** The last value of a key, trailing space trimmed and one pair of surrounding double quotes removed (podman's Lookup). */
export function lookup(unit: QuadletUnit, group: string, key: string): string | undefined {
  const all = (unit.get(group) ?? []).filter(([k]) => k === key);
  if (all.length === 0) return undefined;
  const value = all.at(-1)![1].trimEnd();
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

const escapes: Record<string, string> = {a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'", s: ' '};

/** systemd's cunescape_one for the escapes the generator may write; anything else is an error, as in Quadlet. */
function unescapeOne(text: string, at: number): [string, number] {
  const c = text[at];
  if (c !== undefined && c in escapes) return [escapes[c]!, 1];
  if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(at + 1, at + 3))) {
    const code = parseInt(text.slice(at + 1, at + 3), 16);
    if (code === 0) throw new Error('\\x00 is refused');
    return [String.fromCharCode(code), 3];
  }
  throw new Error(`unsupported escape \\${c ?? '<end>'}`);
}

/**
 * podman's splitString(value, " \t\n\r", SplitRelax|SplitUnquote|SplitCUnescape), a port of
 * systemd's extract_first_word: words split at unquoted blanks, `'` and `"` quote, `\`
 * escapes C-style inside and outside quotes. Like the original, an empty word ends the list.
 */
export function splitWords(value: string): string[] {
  const words: string[] = [];
  const separator = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  let i = 0;
  for (;;) {
    while (i < value.length && separator(value[i])) i++;
    if (i >= value.length) return words;
    let word = '';
    let quote: string | undefined;
    for (; i < value.length; i++) {
      const c = value[i]!;
      if (c === '\\') {
        const [text, length] = unescapeOne(value, i + 1);
        word += text;
        i += length;
      } else if (quote !== undefined) {
        if (c === quote) quote = undefined;
        else word += c;
      } else if (c === "'" || c === '"') quote = c;
      else if (separator(c)) break;
      else word += c;
    }
    // SplitRelax: an unbalanced quote ends the word at the end of the text.
    if (word === '') return words;
    words.push(word);
  }
}

/**
 * What systemd does to a word of the generated `ExecStart=`: `%` specifiers (`%%` is `%`),
 * then `$` substitution at run time (`$$` is `$`). Any other `%` or `$` throws: the
 * generator must double every one.
 */
export function systemdExecWord(word: string): string {
  const specifiers = word.replace(/%(.?)/gs, (_, next: string) => {
    if (next === '%') return '%';
    throw new Error(`specifier %${next} in ${JSON.stringify(word)}`);
  });
  return specifiers.replace(/\$(.?)/gs, (_, next: string) => {
    if (next === '$') return '$';
    throw new Error(`variable $${next} in ${JSON.stringify(word)}`);
  });
}

/** Compose's interpolation of a value: `$$` is `$`; any other `$` would be a variable and throws. */
export function composeUninterpolate(value: string): string {
  return value.replace(/\$(.?)/gs, (_, next: string) => {
    if (next === '$') return '$';
    throw new Error(`compose would interpolate $${next} in ${JSON.stringify(value)}`);
  });
}
