import {dominantEol} from '../parse/line-breaks.js';
import {lineAt} from '../parse/text.js';
import {encodeUtf8, unstableAt} from '../parse/utf8.js';

/** Replace `[start, end)` of a text with `text`. Offsets are UTF-16 indices into the decoded file text. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Applies non-overlapping edits; edits at the same offset are applied in the order
 * given. Overlap means a patcher bug, so it throws rather than writing a mangled file;
 * so does an edit that would cut a character in two (see {@link splitsCharacter}).
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits.map((edit, index) => ({edit, index})).sort((a, b) => a.edit.start - b.edit.start || a.index - b.index);
  let result = '';
  let cursor = 0;
  for (const {edit} of sorted) {
    if (edit.start < cursor || edit.end < edit.start || edit.end > text.length) {
      throw new Error(`overlapping or out-of-range edit [${edit.start}, ${edit.end}) after offset ${cursor}`);
    }
    if (splitsCharacter(text, edit.start) || splitsCharacter(text, edit.end)) {
      throw new Error(`edit [${edit.start}, ${edit.end}) cuts a surrogate pair or a run of bytes that are not UTF-8`);
    }
    result += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** A lone U+DC80..U+DCFF: a byte of the file that was not UTF-8 (core/parse/utf8.ts). */
function isEscapedByte(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code >= 0xdc80 && code <= 0xdcff && !(i > 0 && isHigh(text.charCodeAt(i - 1)));
}

/**
 * True when `offset` falls between the halves of a surrogate pair, or between two bytes
 * that were not UTF-8 (one ill-formed sequence, or several, as the file had them side by
 * side). Edits go at syntax (a line end, a whole value), never there.
 */
export function splitsCharacter(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  if (!isLow(text.charCodeAt(offset))) return false;
  return isHigh(text.charCodeAt(offset - 1)) || (isEscapedByte(text, offset - 1) && isEscapedByte(text, offset));
}

/**
 * A one-line problem, with its line, when an edited text would not read back as itself once
 * written: text spliced next to bytes that were not UTF-8 can join them into a character
 * (`\xE2` + `\x82\xAC` is a `€`). Undefined when it reads back whole, as it always does
 * when the file was valid UTF-8.
 */
export function unwritable(text: string): {line: number; message: string} | undefined {
  const at = unstableAt(text);
  if (at === undefined) return undefined;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const column = encodeUtf8(text.slice(lineStart, at)).length + 1;
  const code = text.charCodeAt(at);
  const what = code >= 0xdc80 && code <= 0xdcff ? `byte 0x${(code - 0xdc00).toString(16).toUpperCase()}` : 'a broken character';
  return {line: lineAt(text, at), message: `not valid UTF-8 (${what} at column ${column}), and harden's edit beside it would change what it reads as; harden will not rewrite this file: save it as UTF-8`};
}

/**
 * The line ending inserted lines take: the one most lines of the file have (a file with
 * mixed endings keeps each line's own where harden does not touch it). Patchers see lone
 * CRs as LFs (parse/line-breaks.ts), so CRLF or LF.
 */
export function eolOf(text: string): '\r\n' | '\n' {
  return dominantEol(text) === '\r\n' ? '\r\n' : '\n';
}
