import {describe, expect, it} from 'vitest';
import {dominantEol, firstLoneCr, loneCrAsLf, withEol} from '../../../source/core/parse/line-breaks.js';

describe('loneCrAsLf', () => {
  it.each([
    ['LF unchanged', 'a\nb\n', 'a\nb\n'],
    ['CRLF unchanged', 'a\r\nb\r\n', 'a\r\nb\r\n'],
    ['lone CRs become LFs', 'a\rb\r', 'a\nb\n'],
    ['mixed: only the lone CRs change', 'a\r\nb\rc\nd\r', 'a\r\nb\nc\nd\n'],
  ])('%s', (_name, text, expected) => {
    expect(loneCrAsLf(text)).toBe(expected);
    expect(loneCrAsLf(text)).toHaveLength(text.length);
  });
});

describe('firstLoneCr', () => {
  it.each([
    ['none', 'a\r\nb\n', -1],
    ['after CRLFs', 'a\r\nb\r\nc\rd', 7],
    ['at the end', 'a\nb\r', 3],
  ])('%s', (_name, text, expected) => {
    expect(firstLoneCr(text)).toBe(expected);
  });
});

describe('dominantEol', () => {
  it.each([
    ['one line', 'a', '\n'],
    ['LF', 'a\nb\n', '\n'],
    ['CRLF', 'a\r\nb\r\n', '\r\n'],
    ['CR', 'a\rb\r', '\r'],
    ['more CRLF than LF', 'a\r\nb\r\nc\n', '\r\n'],
    ['more LF than CRLF (a line added by an LF editor is not the style)', 'a\nb\nc\r\n', '\n'],
    ['more CR than the others', 'a\rb\rc\nd\r\n', '\r'],
    ['a tie', 'a\r\nb\n', '\n'],
  ])('%s', (_name, text, expected) => {
    expect(dominantEol(text)).toBe(expected);
  });
});

describe('withEol', () => {
  it('renders LF text with another ending', () => {
    expect(withEol('a\nb\n', '\r')).toBe('a\rb\r');
    expect(withEol('a\nb\n', '\r\n')).toBe('a\r\nb\r\n');
    expect(withEol('a\nb\n', '\n')).toBe('a\nb\n');
  });
});
