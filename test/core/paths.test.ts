import {posix} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {normalisePath} from '../../source/core/paths.js';

/** What normalisePath did before its shortcut for paths that are already normal. */
function reference(path: string): string {
  const normal = posix.normalize(path.trim());
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

describe('normalisePath', () => {
  it('gives what posix.normalize gives, trimmed and without a trailing slash, on any path', () => {
    const piece = fc.constantFrom('/', '//', '.', '..', '...', 'a', 'b c', ' ', '\t', '\u00a0', 'x.', '.x', '..y', '~', '\\');
    fc.assert(fc.property(fc.array(piece, {maxLength: 10}).map(parts => parts.join('')), path => {
      expect(normalisePath(path)).toBe(reference(path));
    }), {numRuns: 20_000});
    for (const path of ['/', '/app', '/app/', '/app//data', '/app/./x', '/app/../x', ' /tmp ', '/var/run', '/a b/c', '/.cache', '/...', 'relative/x', '']) {
      expect(normalisePath(path), JSON.stringify(path)).toBe(reference(path));
    }
  });
});
