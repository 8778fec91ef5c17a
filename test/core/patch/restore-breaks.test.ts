import {describe, expect, it} from 'vitest';
import {loneCrAsLf} from '../../../source/core/parse/line-breaks.js';
import {restoreBreaks} from '../../../source/core/patch/restore-breaks.js';

describe('restoreBreaks', () => {
  const patch = (original: string, edit: (lf: string) => string) => restoreBreaks(original, loneCrAsLf(original), edit(loneCrAsLf(original)));

  it.each([
    ['no lone CR: the patched text as it is', 'a: 1\r\nb: 2\n', (t: string) => t + 'c: 3\n', 'a: 1\r\nb: 2\nc: 3\n'],
    ['no change: the original as it is', 'a: 1\rb: 2\n', (t: string) => t, 'a: 1\rb: 2\n'],
    ['CR only: every break a CR', 'a: 1\rb: 2\r', (t: string) => t.replace('a: 1\n', 'a: 1\n  x: y\n'), 'a: 1\r  x: y\rb: 2\r'],
    ['CR only without a final break', 'a: 1\rb: 2', (t: string) => t + '\nc: 3', 'a: 1\rb: 2\rc: 3'],
    ['mixed: each kept line its own ending, new lines the most common', 'a: 1\rb: 2\nc: 3\rd: 4\r', (t: string) => t.replace('b: 2\n', 'b: 2\nnew: 1\n'), 'a: 1\rb: 2\nnew: 1\rc: 3\rd: 4\r'],
    ['mixed: a changed line keeps the ending of the line it replaces', 'a: 1\rb: 2\nc: 3\r', (t: string) => t.replace('b: 2', 'b: 9'), 'a: 1\rb: 9\nc: 3\r'],
    ['mixed: a removed line takes its ending with it', 'a: 1\r\nb: 2\rc: 3\n', (t: string) => t.replace('b: 2\n', ''), 'a: 1\r\nc: 3\n'],
    ['mixed: the old last line gets an ending when lines follow it', 'a: 1\r\nb: 2\rc: 3', (t: string) => t + '\nd: 4\n', 'a: 1\r\nb: 2\rc: 3\r\nd: 4\r\n'],
  ])('%s', (_name, original, edit, expected) => {
    expect(patch(original, edit)).toBe(expected);
  });
});
