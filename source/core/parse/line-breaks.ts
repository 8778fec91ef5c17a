import {diffArrays} from 'diff';

/*
 * A lone CR (classic Mac OS) is a line break in YAML 1.2, and Compose's and kubectl's YAML
 * parsers take it as one; eemeli/yaml does not (`a: 1\rb: 2` is one scalar to it). The YAML
 * code reads and patches a copy with each lone CR as an LF: the same length, so every offset
 * into the copy is one into the file. A patched copy gets the file's line breaks back here.
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

interface Line {
  content: string;
  /** `\n`, `\r\n`, `\r`, or empty for a last line without one. */
  end: string;
}

function lines(text: string): Line[] {
  const result: Line[] = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let match = breaks.exec(text); match; match = breaks.exec(text)) {
    result.push({content: text.slice(start, match.index), end: match[0]});
    start = match.index + match[0].length;
  }
  result.push({content: text.slice(start), end: ''});
  return result;
}

/**
 * `after` is `before` (the file's {@link loneCrAsLf} copy) patched; gives it the file's line
 * breaks back. A file of lone CRs only gets a CR for every break, old or new: exact. In a
 * file with mixed endings, the lines of `after` are matched to the file's (a line diff):
 * each line still there ends as it did, a changed line as the one it replaces, a new line
 * with the file's {@link dominantEol}. Only identical lines side by side can be matched to
 * one another the wrong way round, which can swap their endings.
 */
export function restoreBreaks(original: string, before: string, after: string): string {
  if (original === before) return after;
  if (after === before) return original;
  if (!original.includes('\n')) return after.replace(/\r?\n/g, '\r');
  const eol = dominantEol(original);
  const old = lines(original);
  const now = lines(after);
  let i = 0;
  let j = 0;
  let replaced: Line[] = [];
  let text = '';
  const put = (line: Line, end: string) => {
    text += line.content + (line.end === '' ? '' : end || eol);
  };
  for (const change of diffArrays(old.map(l => l.content), now.map(l => l.content))) {
    const count = change.value.length;
    if (change.removed) {
      replaced = old.slice(i, i + count);
      i += count;
      continue;
    }
    if (change.added) {
      for (let k = 0; k < count; k++) put(now[j + k]!, replaced[k]?.end ?? eol);
    } else {
      for (let k = 0; k < count; k++) put(now[j + k]!, old[i + k]!.end);
      i += count;
    }
    j += count;
    replaced = [];
  }
  return text;
}

/** A text rendered with LF, with the given line ending instead. */
export function withEol(text: string, eol: Eol): string {
  return eol === '\n' ? text : text.replace(/\r?\n/g, eol);
}
