import fc from 'fast-check';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {applyPatch, createTwoFilesPatch} from 'diff';
import {describe, expect, it} from 'vitest';
import {patchCompose} from '../../../source/core/patch/compose/index.js';
import {splitLines, unifiedDiff} from '../../../source/core/report/line-diff.js';
import {changesFor, fileSpec, render} from '../patch/compose/generate.js';
import {noNewPrivileges, readOnly, tmpfs} from '../patch/compose/make.js';

/** What the preview printed before: jsdiff's patch without its "====" first line. */
function jsdiff(before: string, after: string): string {
  return createTwoFilesPatch('a/f', 'b/f', before, after, undefined, undefined, {context: 3}).split('\n').slice(1).join('\n');
}

/** jsdiff's parser wants the separator line back. */
const withSeparator = (patch: string) => `${'='.repeat(67)}\n${patch}`;

/** Every before/after pair of the patch fixtures: the real files the patchers are tested on. */
function fixturePairs(): Array<[string, string, string]> {
  const root = 'test/fixtures/patch';
  const pairs: Array<[string, string, string]> = [];
  for (const kind of readdirSync(root)) {
    for (const name of readdirSync(join(root, kind), {withFileTypes: true})) {
      if (!name.isDirectory()) continue;
      const dir = join(root, kind, name.name);
      const files = readdirSync(dir);
      const input = files.find(f => f === 'input.yaml' || f === 'Dockerfile');
      const expected = files.find(f => f.startsWith('expected.'));
      if (input && expected) pairs.push([`${kind}/${name.name}`, readFileSync(join(dir, input), 'utf8'), readFileSync(join(dir, expected), 'utf8')]);
    }
  }
  return pairs;
}

describe('unifiedDiff', () => {
  const pairs = fixturePairs();

  it('reads the fixtures', () => {
    expect(pairs.length).toBeGreaterThan(30);
  });

  it('prints what jsdiff printed for every patch fixture, both ways and from nothing', () => {
    for (const [name, before, after] of pairs) {
      expect(unifiedDiff('a/f', 'b/f', before, after), name).toBe(jsdiff(before, after));
      expect(unifiedDiff('a/f', 'b/f', after, before), name).toBe(jsdiff(after, before));
      expect(unifiedDiff('a/f', 'b/f', '', after), name).toBe(jsdiff('', after));
    }
  });

  it('prints the same by anchors and gaps (as for a large file) for the compose and Kubernetes fixtures', () => {
    for (const [name, before, after] of pairs.filter(([name]) => !name.startsWith('dockerfile/'))) {
      expect(unifiedDiff('a/f', 'b/f', before, after, 0), name).toBe(jsdiff(before, after));
      expect(unifiedDiff('a/f', 'b/f', after, before, 0), name).toBe(jsdiff(after, before));
    }
  });

  it('by anchors and gaps, a Dockerfile rewrite that moves lines still gives a patch that makes the new text', () => {
    for (const [name, before, after] of pairs.filter(([name]) => name.startsWith('dockerfile/'))) {
      expect(applyPatch(before, withSeparator(unifiedDiff('a/f', 'b/f', before, after, 0))), name).toBe(after);
    }
  });

  it('prints what jsdiff printed for the edges: no change, no final newline, CRLF, one side empty', () => {
    const cases: Array<[string, string]> = [
      ['', ''], ['a\n', 'a\n'], ['a', 'a\n'], ['a\n', 'a'], ['a\nb', 'a\nc'], ['a\r\nb\r\n', 'a\r\nc\r\nb\r\n'], ['x\n', ''],
      ['a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n', 'a\nB\nc\nd\ne\nf\ng\nh\nI\nj\n'], ['a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n', 'a\nB\nc\nd\ne\nf\ng\nI\nj\n'],
    ];
    for (const [before, after] of cases) {
      expect(unifiedDiff('a/f', 'b/f', before, after)).toBe(jsdiff(before, after));
      expect(unifiedDiff('a/f', 'b/f', before, after, 0)).toBe(jsdiff(before, after));
    }
  });

  it('prints what jsdiff printed for generated compose files and their patches', () => {
    const cases = fileSpec.chain(spec => fc.tuple(fc.constant(spec), changesFor(spec)));
    fc.assert(
      fc.property(cases, ([spec, changes]) => {
        const before = render(spec);
        const out = patchCompose('compose.yaml', before, changes);
        if (!out.ok) return;
        expect(unifiedDiff('a/f', 'b/f', before, out.result.text, 0)).toBe(jsdiff(before, out.result.text));
      }),
      {numRuns: 200},
    );
  });

  it('prints what jsdiff printed for one compose file of 300 patched services, by anchors and gaps', () => {
    const service = (i: number) => [`  web-${i}:`, '    image: nginx:1.25', '    environment:', `      NAME: web-${i}`, '    volumes:', '      - ./conf:/etc/nginx/conf.d:ro'];
    const before = ['services:', ...Array.from({length: 300}, (_, i) => service(i)).flat(), ''].join('\n');
    const changes = new Map(Array.from({length: 300}, (_, i) => [`web-${i}`, i % 7 === 3 ? [] : [readOnly(), tmpfs('/run'), noNewPrivileges()]]));
    const out = patchCompose('compose.yaml', before, changes);
    if (!out.ok) throw new Error(out.error.message);
    expect(unifiedDiff('a/f', 'b/f', before, out.result.text, 0)).toBe(jsdiff(before, out.result.text));
  });

  it('is a patch that turns the old text into the new, for texts of a few repeated lines', () => {
    const text = fc.array(fc.constantFrom('a\n', 'b\n', 'c\n', 'a\r\n', 'x', ''), {maxLength: 40}).map(parts => parts.join(''));
    fc.assert(
      fc.property(text, text, (before, after) => {
        expect(applyPatch(before, withSeparator(unifiedDiff('a/f', 'b/f', before, after)))).toBe(after);
        expect(applyPatch(before, withSeparator(unifiedDiff('a/f', 'b/f', before, after, 0)))).toBe(after);
      }),
      {numRuns: 500},
    );
  });
});

describe('splitLines', () => {
  it('keeps each line end and a last line without one', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\r\nb\n\nc')).toEqual(['a\r\n', 'b\n', '\n', 'c']);
  });
});
