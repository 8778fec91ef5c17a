import {decodeUtf8} from './utf8.js';

/** Files larger than this are reported, not parsed: real project files are far smaller. */
export const defaultMaxBytes = 4 * 1024 * 1024;

export type Decoded =
  | {ok: true; text: string; bom: boolean; crlf: boolean}
  | {ok: false; message: string};

const mib = 1024 * 1024;

/** A limit in MiB as the person gave it: `4`, `0.5`, `1.2` (not 1.19999980926). */
function mibText(bytes: number): string {
  return String(Number((bytes / mib).toFixed(2)));
}

/** A size over `limit`, precise enough not to read as the limit itself: `10.0 MiB`, `4194305 bytes`. */
function sizeText(size: number, limit: number): string {
  const rounded = (size / mib).toFixed(1);
  return Number(rounded) > limit / mib ? `${rounded} MiB` : `${size} bytes`;
}

/**
 * Turns file bytes into text the parsers can take, or says in one line why not.
 * A UTF-8 BOM is dropped (and remembered so writers can restore it); UTF-16 and
 * binary content are refused rather than parsed into nonsense. Bytes that are not valid
 * UTF-8 (a Latin-1 `é` in a comment) are kept as escapes the writer turns back into the
 * same bytes (utf8.ts), so the file still audits and its other lines survive a fix.
 * `bytes` may be only the first `maxBytes + 1` of a larger file; `size` is then its real size,
 * for the message.
 */
export function decodeText(bytes: Uint8Array, maxBytes = defaultMaxBytes, size = bytes.length): Decoded {
  if (bytes.length > maxBytes) {
    return {ok: false, message: `file is ${sizeText(Math.max(size, bytes.length), maxBytes)}, over the ${mibText(maxBytes)} MiB limit; audit it alone with --max-size if it is really a config file`};
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return {ok: false, message: 'file is UTF-16 encoded; save it as UTF-8 (Docker and YAML tools expect UTF-8)'};
  }
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return {ok: false, message: 'file is binary (contains NUL bytes), not a text config file'};
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = decodeUtf8(bom ? bytes.subarray(3) : bytes);
  return {ok: true, text, bom, crlf: text.includes('\r\n')};
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
