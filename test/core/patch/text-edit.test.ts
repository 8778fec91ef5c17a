import {describe, expect, it} from 'vitest';
import {applyEdits, eolOf, splitsCharacter, unwritable} from '../../../source/core/patch/text-edit.js';

const esc = (byte: number) => String.fromCharCode(0xdc00 + byte);

describe('applyEdits', () => {
  it('splices edits in offset order and keeps escaped bytes around them', () => {
    const text = `a: 1\n# caf${esc(0xe9)}\nb: 2\n`;
    expect(applyEdits(text, [{start: text.length, end: text.length, text: 'c: 3\n'}, {start: 3, end: 4, text: '9'}])).toBe(`a: 9\n# caf${esc(0xe9)}\nb: 2\nc: 3\n`);
  });

  it.each([
    ['inside a surrogate pair', 'x😀y', 2],
    ['between two bytes of a truncated sequence', `x${esc(0xe2)}${esc(0x82)}y`, 2],
    ['between two Latin-1 bytes side by side', `${esc(0xe9)}${esc(0xe0)}`, 1],
  ])('throws for an edit %s (a patcher bug)', (_name, text, offset) => {
    expect(() => applyEdits(text, [{start: offset, end: offset, text: 'z'}])).toThrow(/cuts a surrogate pair/);
  });
});

describe('splitsCharacter', () => {
  it.each([
    ['start and end of text', 'ab', 0, false],
    ['between plain characters', 'ab', 1, false],
    ['before an escaped byte', `a${esc(0xe9)}`, 1, false],
    ['after an escaped byte', `${esc(0xe9)}a`, 1, false],
    ['between a pair and an escaped byte after it', `\uD800\uDC80${esc(0xe9)}`, 2, false],
    ['between a pair whose low half looks like an escape', '\uD800\uDC80', 1, true],
    ['between two escaped bytes', `${esc(0xc3)}${esc(0xff)}`, 1, true],
  ])('%s', (_name, text, offset, expected) => {
    expect(splitsCharacter(text, offset)).toBe(expected);
  });
});

describe('unwritable', () => {
  it('says nothing about text that reads back as itself', () => {
    expect(unwritable('a: café\n')).toBeUndefined();
    expect(unwritable(`a: 1\n# caf${esc(0xe9)}\n`)).toBeUndefined();
  });

  it('locates escaped bytes an edit would join into a character', () => {
    // `\xE2` then, after an edit removed what stood between, `\x82\xAC`: written, they read as €.
    expect(unwritable(`a: 1\nb: x${esc(0xe2)}${esc(0x82)}${esc(0xac)}\n`)).toEqual({
      line: 2,
      message: "not valid UTF-8 (byte 0xE2 at column 5), and harden's edit beside it would change what it reads as; harden will not rewrite this file: save it as UTF-8",
    });
  });
});

describe('eolOf', () => {
  it.each([
    ['LF', 'a\nb\n', '\n'],
    ['CRLF', 'a\r\nb\r\n', '\r\n'],
    ['mostly CRLF, one LF line', 'a\r\nb\r\nc\n', '\r\n'],
    ['mostly LF, one CRLF line (new lines used to take CRLF)', 'a\nb\nc\r\n', '\n'],
  ])('%s', (_name, text, expected) => {
    expect(eolOf(text)).toBe(expected);
  });
});
