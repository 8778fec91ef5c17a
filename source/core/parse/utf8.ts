/*
 * Bytes that are not valid UTF-8, kept through a decode and an encode (Python's
 * surrogateescape, PEP 383). Each byte of an ill-formed sequence becomes the lone low
 * surrogate U+DC80..U+DCFF (byte b -> 0xDC00 + b), which no valid UTF-8 decodes to, and
 * the encoder turns it back into that byte. So a fix that edits one line of a file with
 * a Latin-1 `é` in a comment writes every other line byte for byte, where a lenient
 * decoder would have made it U+FFFD and the writer EF BF BD.
 */

const fatal = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});
const lenient = new TextDecoder('utf-8', {ignoreBOM: true});
const encoder = new TextEncoder();

/** Any surrogate at all: a cheap test before the exact, slower one below. */
const surrogate = /[\uD800-\uDFFF]/;
/** In unicode mode a surrogate pair is one code point and never matches: only lone surrogates do. */
const escapes = /[\uDC80-\uDCFF]+/gu;
const escape = /[\uDC80-\uDCFF]/gu;

function byteAt(bytes: Uint8Array, i: number): number {
  return bytes[i] ?? -1;
}

function continuation(byte: number, low = 0x80, high = 0xbf): boolean {
  return byte >= low && byte <= high;
}

/**
 * Length of the well-formed UTF-8 sequence at `i` (Unicode 15, table 3-7), or 0 when the byte
 * there does not start one: a stray continuation byte, an overlong form (C0, C1, E0 80..9F,
 * F0 80..8F), an encoded surrogate (ED A0..BF), beyond U+10FFFF (F4 90.., F5..FF), or a
 * sequence cut short by another byte or by the end of the file.
 */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = byteAt(bytes, i);
  if (lead < 0x80) return 1;
  if (lead < 0xc2) return 0;
  if (lead < 0xe0) return continuation(byteAt(bytes, i + 1)) ? 2 : 0;
  if (lead < 0xf0) {
    const second = continuation(byteAt(bytes, i + 1), lead === 0xe0 ? 0xa0 : 0x80, lead === 0xed ? 0x9f : 0xbf);
    return second && continuation(byteAt(bytes, i + 2)) ? 3 : 0;
  }
  if (lead < 0xf5) {
    const second = continuation(byteAt(bytes, i + 1), lead === 0xf0 ? 0x90 : 0x80, lead === 0xf4 ? 0x8f : 0xbf);
    return second && continuation(byteAt(bytes, i + 2)) && continuation(byteAt(bytes, i + 3)) ? 4 : 0;
  }
  return 0;
}

/**
 * The text of UTF-8 bytes, every byte that is not part of a valid sequence as U+DC00 + byte.
 * Valid UTF-8 (nearly every file) takes one fatal decode, as fast as a lenient one. A BOM is
 * kept as U+FEFF: the caller decides about it.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return fatal.decode(bytes);
  } catch {
    return decodeEscaped(bytes);
  }
}

function decodeEscaped(bytes: Uint8Array): string {
  let text = '';
  let run = 0;
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    // One byte at a time: the next byte may start a valid sequence (`\xE2` then `A`).
    text += lenient.decode(bytes.subarray(run, i)) + String.fromCharCode(0xdc00 + bytes[i]!);
    run = ++i;
  }
  return text + lenient.decode(bytes.subarray(run));
}

/** The bytes of a text from {@link decodeUtf8}: UTF-8, with each escaped byte put back as it was. */
export function encodeUtf8(text: string): Uint8Array {
  if (!surrogate.test(text)) return encoder.encode(text);
  const parts: Uint8Array[] = [];
  let run = 0;
  for (const match of text.matchAll(escapes)) {
    parts.push(encoder.encode(text.slice(run, match.index)));
    parts.push(Uint8Array.from(match[0], c => c.charCodeAt(0) - 0xdc00));
    run = match.index + match[0].length;
  }
  parts.push(encoder.encode(text.slice(run)));
  const bytes = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/** The first escaped byte of a text: its offset and value; undefined for a text that was valid UTF-8. */
export function firstEscape(text: string): {offset: number; byte: number} | undefined {
  if (!surrogate.test(text)) return undefined;
  escape.lastIndex = 0;
  const match = escape.exec(text);
  return match ? {offset: match.index, byte: match[0].charCodeAt(0) - 0xdc00} : undefined;
}

/**
 * Offset of the first character that would read back differently once written, or undefined
 * when the text survives {@link encodeUtf8} then {@link decodeUtf8} whole. An edit can only
 * break that next to escaped bytes: text spliced between `\xE2` and `\x82\xAC` joins them into
 * a `€`; an edit between the halves of a surrogate pair leaves one alone.
 */
export function unstableAt(text: string): number | undefined {
  if (!surrogate.test(text)) return undefined;
  const back = decodeUtf8(encodeUtf8(text));
  if (back === text) return undefined;
  let i = 0;
  while (i < text.length && text.charCodeAt(i) === back.charCodeAt(i)) i++;
  return i;
}

/** Escaped bytes shown as `\xe9`, for people: a terminal would print U+FFFD for a lone surrogate. */
export function showBytes(text: string): string {
  if (!surrogate.test(text)) return text;
  return text.replace(escape, c => `\\x${(c.charCodeAt(0) - 0xdc00).toString(16)}`);
}
