import {describe, expect, it} from 'vitest';
import {decodeText, defaultMaxBytes, lineAt} from '../../../source/core/parse/text.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('decodeText', () => {
  it('decodes plain UTF-8 and reports neither BOM nor CRLF', () => {
    expect(decodeText(utf8('FROM alpine\nUSER app\n'))).toEqual({ok: true, text: 'FROM alpine\nUSER app\n', bom: false, crlf: false});
  });

  it('strips a UTF-8 BOM and flags it so a writer can restore it', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('FROM alpine\n')]);
    expect(decodeText(bytes)).toEqual({ok: true, text: 'FROM alpine\n', bom: true, crlf: false});
  });

  it('flags CRLF line endings and keeps them in the text', () => {
    expect(decodeText(utf8('FROM alpine\r\nUSER app\r\n'))).toEqual({ok: true, text: 'FROM alpine\r\nUSER app\r\n', bom: false, crlf: true});
  });

  it('keeps non-ASCII text intact', () => {
    expect(decodeText(utf8('LABEL maintainer="Zoë Ünal"\n'))).toEqual({ok: true, text: 'LABEL maintainer="Zoë Ünal"\n', bom: false, crlf: false});
  });

  it.each([
    ['a Latin-1 byte in a comment', [...utf8('# caf'), 0xe9, ...utf8('\nFROM alpine\n')], '# caf\uDCE9\nFROM alpine\n', false],
    ['a BOM and an invalid byte', [0xef, 0xbb, 0xbf, ...utf8('# caf'), 0xe9, 0x0a], '# caf\uDCE9\n', true],
    ['CRLF and an invalid byte', [...utf8('# caf'), 0xe9, ...utf8('\r\nFROM alpine\r\n')], '# caf\uDCE9\r\nFROM alpine\r\n', false],
    ['a second BOM, kept as U+FEFF', [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x41], '\uFEFFA', true],
  ])('keeps bytes: %s', (_name, bytes, text, bom) => {
    expect(decodeText(new Uint8Array(bytes))).toEqual({ok: true, text, bom, crlf: text.includes('\r\n')});
  });

  it.each([
    ['little-endian', [0xff, 0xfe, 0x46, 0x00]],
    ['big-endian', [0xfe, 0xff, 0x00, 0x46]],
  ])('refuses UTF-16 (%s)', (_name, bytes) => {
    expect(decodeText(new Uint8Array(bytes))).toEqual({ok: false, message: 'file is UTF-16 encoded; save it as UTF-8 (Docker and YAML tools expect UTF-8)'});
  });

  it('refuses binary content (NUL bytes)', () => {
    expect(decodeText(new Uint8Array([0x46, 0x52, 0x00, 0x4d]))).toEqual({ok: false, message: 'file is binary (contains NUL bytes), not a text config file'});
  });

  it('refuses a file over the limit with a message naming the limit', () => {
    const result = decodeText(new Uint8Array(3 * 1024 * 1024), 2 * 1024 * 1024);
    expect(result).toEqual({ok: false, message: 'file is 3.0 MiB, over the 2 MiB limit; audit it alone with --max-size if it is really a config file'});
  });

  it('accepts a file of exactly maxBytes', () => {
    expect(decodeText(utf8('abcd'), 4)).toEqual({ok: true, text: 'abcd', bom: false, crlf: false});
    expect(decodeText(utf8('abcde'), 4).ok).toBe(false);
  });

  it('has a 4 MiB default limit', () => {
    expect(defaultMaxBytes).toBe(4 * 1024 * 1024);
    expect(decodeText(new Uint8Array(defaultMaxBytes + 1).fill(0x41))).toEqual({ok: false, message: 'file is 4194305 bytes, over the 4 MiB limit; audit it alone with --max-size if it is really a config file'});
  });

  it.each([
    // bytes read (the reader stops at the limit + 1), limit, the file's real size, the size shown
    [defaultMaxBytes + 1, defaultMaxBytes, 10 * 1024 * 1024, 'file is 10.0 MiB, over the 4 MiB limit'],
    [defaultMaxBytes + 1, defaultMaxBytes, defaultMaxBytes + 1, 'file is 4194305 bytes, over the 4 MiB limit'],
    [defaultMaxBytes + 1, defaultMaxBytes, defaultMaxBytes + 60_000, 'file is 4.1 MiB, over the 4 MiB limit'],
    [524_289, 524_288, 3 * 1024 * 1024, 'file is 3.0 MiB, over the 0.5 MiB limit'],
    [1_258_292, Math.round(1.2 * 1024 * 1024), 2 * 1024 * 1024, 'file is 2.0 MiB, over the 1.2 MiB limit'],
  ])('shows the real size of a file it read %i bytes of (limit %i, size %i)', (read, limit, size, message) => {
    const result = decodeText(new Uint8Array(read).fill(0x41), limit, size);
    expect(result).toEqual({ok: false, message: `${message}; audit it alone with --max-size if it is really a config file`});
  });
});

describe('lineAt', () => {
  it.each([
    [0, 1],
    [3, 1],
    [4, 2],
    [7, 3],
    [100, 3],
  ])('offset %i is on line %i of "abc\\nde\\nf"', (offset, line) => {
    expect(lineAt('abc\nde\nf', offset)).toBe(line);
  });
});
