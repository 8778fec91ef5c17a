/*
 * Quoting for the three generated files. Every value in them comes from a container's
 * inspect JSON, which anyone who can start a container controls: names, environment
 * values, labels, commands. Each output has its own rules, so each has its own function,
 * and the tests parse the output back with the target's rules (a real /bin/sh, the yaml
 * library, a model of Quadlet's and systemd's parsers) to check that nothing changes.
 */

/**
 * A POSIX shell word that is exactly `value`: single quotes, in which the shell expands
 * nothing (no `$`, no backticks, no backslash escapes, newlines kept); a `'` ends the
 * quoted part, adds an escaped quote and opens a new one: `'\''`.
 */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Text safe in a comment line of any of the three files: control characters (a newline
 * would end the comment and start a command, a key or a YAML node), DEL, C1 controls,
 * the Unicode line separators and the non-characters YAML refuses become `\xNN` / `\uNNNN`.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, c => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Compose interpolates `$VAR` and `${VAR}` in every value of the file; `$$` is a literal
 * dollar sign. Applied to each value from the container before the yaml library quotes it.
 */
export function composeLiteral(value: string): string {
  return value.replace(/\$/g, '$$$$');
}

/**
 * One word of a Quadlet key that Quadlet splits like a command line: `Environment=`,
 * `Label=` and `Exec=`. Quadlet reads these with systemd's rules (podman
 * pkg/systemd/parser: split at whitespace, quotes removed, C escapes such as `\n`, `\"`,
 * `\\` and `\xNN` decoded) and copies each word into the `ExecStart=` of the service it
 * generates, where systemd then replaces `%` specifiers (`%%` is a `%`) and `${VAR}`
 * (`$$` is a `$`). So: double quotes around the word, `\` and `"` escaped, control
 * characters as C escapes, `%` doubled and `$` doubled.
 */
export function quadletWord(value: string): string {
  let out = '"';
  for (const ch of value) {
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      case '\n': out += '\\n'; break;
      case '\t': out += '\\t'; break;
      case '\r': out += '\\r'; break;
      case '%': out += '%%'; break;
      case '$': out += '$$'; break;
      default: {
        const code = ch.charCodeAt(0);
        out += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
      }
    }
  }
  return `${out}"`;
}

/**
 * The value of a Quadlet key that Quadlet takes whole, without unquoting or escapes
 * (`Image=`, `ContainerName=`, `User=`, `WorkingDir=`, `Tmpfs=`, `Volume=`, `PublishPort=`,
 * `Network=`, `Entrypoint=`): `%` and `$` doubled for the `ExecStart=` it lands in.
 * Undefined when the value cannot be written at all: a control character would break the
 * line, the line is trimmed, a trailing `\` continues it, and surrounding double quotes are
 * stripped.
 */
export function quadletRaw(value: string): string | undefined {
  if (value === '' || /[\u0000-\u001f\u007f]/.test(value) || value !== value.trim() || value.endsWith('\\')) return undefined;
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return undefined;
  return value.replace(/%/g, '%%').replace(/\$/g, '$$$$');
}

/**
 * A text for a systemd key that only replaces specifiers (`Description=`): printable, `%`
 * doubled, and no trailing `\`, which would continue the line into the next.
 */
export function systemdText(value: string): string {
  // Trailing spaces and backslashes go together: a name ending in backslash, space, backslash,
  // cut at its last backslash, would end in a backslash and a space; systemd trims the space,
  // then reads the backslash as a line continuation and the next line is lost.
  return printable(value).replace(/%/g, '%%').trim().replace(/[\s\\]+$/, '');
}

/**
 * The yaml library writes some characters raw inside double quotes that YAML parsers read
 * differently: Go's yaml (docker compose) folds NEL and the Unicode line separators like a
 * line break and refuses DEL, C1 controls, a BOM and U+FFFE/U+FFFF. YAML's own escapes
 * keep them. Only for text where every such character is inside a double-quoted scalar.
 */
export function yamlEscapes(text: string): string {
  const named: Record<string, string> = {'\u0085': '\\N', '\u2028': '\\L', '\u2029': '\\P'};
  return text.replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, c => named[c] ?? (c.charCodeAt(0) < 0x100 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
