import {diffArrays} from 'diff';
import {dominantEol} from '../parse/line-breaks.js';

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
 * `after` is `before` (the file's `loneCrAsLf` copy, parse/line-breaks.ts) patched; gives it the file's line
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
