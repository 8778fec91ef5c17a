import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {decodeUtf8, encodeUtf8, firstEscape, showBytes, unstableAt} from '../../../source/core/parse/utf8.js';

const bytes = (...values: Array<number | string>) =>
  Uint8Array.from(values.flatMap(v => (typeof v === 'string' ? [...new TextEncoder().encode(v)] : [v])));
const esc = (byte: number) => String.fromCharCode(0xdc00 + byte);

describe('decodeUtf8 and encodeUtf8', () => {
  it.each([
    ['valid UTF-8 (the fast path)', bytes('# café ✓ 😀\n'), '# café ✓ 😀\n'],
    ['a Latin-1 é in a comment', bytes('# caf', 0xe9, '\n'), `# caf${esc(0xe9)}\n`],
    ['Latin-1 throughout', bytes(0xc9, 't', 0xe9, ' ', 0xe0, ' ', 0xff), `${esc(0xc9)}t${esc(0xe9)} ${esc(0xe0)} ${esc(0xff)}`],
    ['an invalid byte at the very end', bytes('a: 1\n', 0xe9), `a: 1\n${esc(0xe9)}`],
    ['a truncated 3-byte sequence followed by text', bytes('x', 0xe2, 0x82, 'y'), `x${esc(0xe2)}${esc(0x82)}y`],
    ['a truncated 4-byte sequence at the end', bytes('x', 0xf0, 0x9f, 0x98), `x${esc(0xf0)}${esc(0x9f)}${esc(0x98)}`],
    ['a stray continuation byte', bytes('a', 0x80, 'b'), `a${esc(0x80)}b`],
    ['an overlong "/" (C0 AF)', bytes(0xc0, 0xaf), esc(0xc0) + esc(0xaf)],
    ['an overlong 3-byte NUL (E0 80 80)', bytes(0xe0, 0x80, 0x80), esc(0xe0) + esc(0x80) + esc(0x80)],
    ['an overlong 4-byte form (F0 80 80 AF)', bytes(0xf0, 0x80, 0x80, 0xaf), esc(0xf0) + esc(0x80) + esc(0x80) + esc(0xaf)],
    ['an encoded surrogate (ED A0 80)', bytes(0xed, 0xa0, 0x80), esc(0xed) + esc(0xa0) + esc(0x80)],
    ['beyond U+10FFFF (F4 90 80 80)', bytes(0xf4, 0x90, 0x80, 0x80), esc(0xf4) + esc(0x90) + esc(0x80) + esc(0x80)],
    ['an invalid byte after an emoji', bytes('😀', 0xe9), `😀${esc(0xe9)}`],
    ['valid sequences around invalid ones', bytes('é', 0xe9, '€', 0xa4), `é${esc(0xe9)}€${esc(0xa4)}`],
    ['a BOM, kept as U+FEFF', bytes(0xef, 0xbb, 0xbf, 'x', 0xe9), `\uFEFFx${esc(0xe9)}`],
  ])('%s: decodes as expected and encodes back to the same bytes', (_name, input, text) => {
    expect(decodeUtf8(input)).toBe(text);
    expect(encodeUtf8(text)).toEqual(input);
  });

  it('gives back any bytes at all', () => {
    fc.assert(fc.property(fc.uint8Array({maxLength: 64}), input => {
      expect(encodeUtf8(decodeUtf8(input))).toEqual(input);
    }));
  });

  it('gives back bytes made mostly of multi-byte sequences and their pieces', () => {
    const pieces = fc.oneof(fc.constantFrom(0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x41, 0x0a).map(b => [b]), fc.string({unit: 'grapheme'}).map(s => [...new TextEncoder().encode(s)]));
    fc.assert(fc.property(fc.array(pieces, {maxLength: 24}), list => {
      const input = Uint8Array.from(list.flat());
      const text = decodeUtf8(input);
      expect(encodeUtf8(text)).toEqual(input);
      expect(unstableAt(text)).toBeUndefined();
    }));
  });

  it('writes any other lone surrogate as U+FFFD (it cannot come from a file)', () => {
    expect(encodeUtf8('a\uD800b')).toEqual(bytes('a', 0xef, 0xbf, 0xbd, 'b'));
  });
});

describe('firstEscape', () => {
  it.each([
    ['valid text', 'a: café\n', undefined],
    ['an emoji (a surrogate pair, not an escape)', 'a: 😀\n', undefined],
    ['an escaped byte', `a: 1\n# caf${esc(0xe9)}\n`, {offset: 10, byte: 0xe9}],
  ])('%s', (_name, text, expected) => {
    expect(firstEscape(text)).toEqual(expected);
  });
});

describe('unstableAt', () => {
  it.each([
    ['valid text', 'a: 1\n', undefined],
    ['escapes left as they are', `x${esc(0xe2)}${esc(0x82)}y`, undefined],
    ['escapes that an edit joined into a euro sign', `x${esc(0xe2)}${esc(0x82)}${esc(0xac)}`, 1],
    ['a surrogate pair an edit split', 'a\uD83Dx\uDE00', 1],
  ])('%s', (_name, text, expected) => {
    expect(unstableAt(text)).toBe(expected);
  });
});

describe('showBytes', () => {
  it.each([
    ['valid text unchanged', 'café 😀', 'café 😀'],
    ['escapes as \\xNN', `caf${esc(0xe9)} ${esc(0x80)}`, 'caf\\xe9 \\x80'],
    ['a pair whose low half is in the escape range stays whole', '\uD800\uDC80', '\uD800\uDC80'],
  ])('%s', (_name, text, expected) => {
    expect(showBytes(text)).toBe(expected);
  });
});
