/*
 * Quoting for a generated Falco rules file, in two layers: a value inside a condition is a
 * Falco quoted string (escapes as libsinsp's escape_str writes them and unescape_str reads
 * them: \b \f \n \r \t \\ \"), and every condition, name and output is then a YAML scalar,
 * written as a folded block when it is plain printable text and double-quoted with escapes
 * otherwise. No value is ever written raw, whatever the workload name or path holds.
 */

const falcoEscapes: Readonly<Record<string, string>> = {'\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\', '"': '\\"'};

/** A lone surrogate cannot be written as UTF-8 (Falco reads its rules as UTF-8): it becomes U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * `text` as a Falco string value: double-quoted and escaped; or undefined when libsinsp's
 * lexer cannot read it back. Its quoted-string loop stops at the first delimiter not right
 * after a backslash, so a value ending in a backslash never closes (it is written bare when
 * it has none of the characters a bare string cannot hold), and it reads the condition as a
 * C string, so a NUL ends it.
 */
export function falcoValue(text: string): string | undefined {
  const value = wellFormed(text);
  if (value.includes('\0')) return undefined;
  if (value.endsWith('\\')) return /^[^ \b\t\n\r(),="']+$/.test(value) ? value : undefined;
  return `"${value.replace(/[\b\f\n\r\t\\"]/g, c => falcoEscapes[c]!)}"`;
}

/** Characters YAML 1.2 lets a scalar hold as they are (c-printable), less the ones some parsers take for line breaks or a BOM. */
function printable(code: number): boolean {
  if (code >= 0x20 && code <= 0x7e) return true;
  if (code === 0x85 || code === 0x2028 || code === 0x2029 || code === 0xfeff) return false;
  return (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000;
}

function yamlEscape(char: string): string {
  const code = char.codePointAt(0)!;
  if (char === '\\') return '\\\\';
  if (char === '"') return '\\"';
  if (printable(code)) return char;
  const hex = code.toString(16).toUpperCase();
  if (code <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

/** A double-quoted YAML scalar that reads back as `text` exactly. */
export function yamlQuoted(text: string): string {
  return `"${Array.from(wellFormed(text), yamlEscape).join('')}"`;
}

/**
 * A condition of several lines as a folded block (`>-`: the lines are joined with spaces,
 * which Falco reads as blanks), or as one double-quoted line when some character is not
 * plain printable text.
 */
export function yamlCondition(lines: readonly string[], indent: string): string {
  const plain = lines.every(line => line.trim() === line && line.length > 0 && Array.from(line).every(c => printable(c.codePointAt(0)!)));
  if (!plain) return yamlQuoted(lines.join(' '));
  return `>-\n${lines.map(line => `${indent}${line}`).join('\n')}`;
}

/** A name or description on one line: control characters and runs of blanks become one space, at most `max` characters. */
export function oneLine(text: string, max = 120): string {
  const flat = Array.from(wellFormed(text).replace(/\s+/g, ' ').trim())
    .map(c => (printable(c.codePointAt(0)!) ? c : ' '))
    .join('')
    .replace(/ {2,}/g, ' ');
  const chars = Array.from(flat);
  return chars.length > max ? `${chars.slice(0, max - 3).join('')}...` : flat;
}
