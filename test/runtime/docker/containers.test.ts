import {describe, expect, it} from 'vitest';
import {demuxToText, isRoutableName, toFileChanges} from '../../../source/runtime/docker/containers.js';

const frame = (stream: 1 | 2, text: string) => {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

describe('toFileChanges', () => {
  it('maps Kind 0, 1, 2 to modified, added, deleted and null to no changes', () => {
    expect(
      toFileChanges([
        {Path: '/tmp', Kind: 0},
        {Path: '/tmp/a', Kind: 1},
        {Path: '/etc/motd', Kind: 2},
        {Path: '/odd', Kind: 7},
      ]),
    ).toEqual([
      {path: '/tmp', kind: 'modified'},
      {path: '/tmp/a', kind: 'added'},
      {path: '/etc/motd', kind: 'deleted'},
    ]);
    expect(toFileChanges(null)).toEqual([]);
  });
});

describe('demuxToText', () => {
  it('joins stdout and stderr frames in the order written', () => {
    const raw = Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err\n'), frame(1, 'out 2\n')]);
    expect(demuxToText(raw)).toBe('out 1\nerr\nout 2\n');
  });

  it('returns text that is not framed as it is', () => {
    expect(demuxToText(Buffer.from('plain tty output\n'))).toBe('plain tty output\n');
    expect(demuxToText(Buffer.alloc(0))).toBe('');
  });
});

describe('isRoutableName', () => {
  it.each([
    ['nginx:1.27', true], ['ghcr.io/org/app@sha256:' + 'a'.repeat(64), true], ['web-1', true], ['Foo:bar', true],
    ['', false], ['/nonexistent', false], ['a//b', false], ['a/../b', false], ['..', false], ['a/', false], ['x?y', false], ['x#y', false], ['a b', false], ['50%', false],
  ])('%j: %s', (name, routable) => {
    expect(isRoutableName(name)).toBe(routable);
  });
});
