/*
 * A lone CR (classic Mac OS) is a line break in YAML 1.2, and go-yaml, which Compose and
 * kubectl parse with, takes it as one; eemeli/yaml does not (`a: 1\rb: 2` is one scalar to it). The YAML
 * code reads and patches a copy with each lone CR as an LF: the same length, so every offset
 * into the copy is one into the file. A patched copy gets the file's line breaks back in
 * patch/restore-breaks.ts (which needs the diff package: the audit does not load it).
 */

const loneCr = /\r(?!\n)/g;

/** The text with each lone CR as an LF; the text itself when it has none. */
export function loneCrAsLf(text: string): string {
  return text.includes('\r') ? text.replace(loneCr, '\n') : text;
}

/** Offset of the first lone CR (a CR not followed by LF), or -1. */
export function firstLoneCr(text: string): number {
  let at = text.indexOf('\r');
  while (at >= 0 && text.charCodeAt(at + 1) === 10) at = text.indexOf('\r', at + 2);
  return at;
}

export type Eol = '\n' | '\r\n' | '\r';

/** The line ending most lines of a text have; LF on a tie, and for a text of one line. */
export function dominantEol(text: string): Eol {
  let lf = 0;
  let crlf = 0;
  let cr = 0;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) === 10) crlf++;
    else cr++;
  }
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lf++;
  lf -= crlf;
  if (crlf > lf && crlf >= cr) return '\r\n';
  if (cr > lf && cr > crlf) return '\r';
  return '\n';
}

/** A text rendered with LF, with the given line ending instead. */
export function withEol(text: string, eol: Eol): string {
  return eol === '\n' ? text : text.replace(/\r?\n/g, eol);
}
