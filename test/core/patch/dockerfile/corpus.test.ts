import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {DockerfileParser} from 'dockerfile-ast';
import {describe, expect, it} from 'vitest';
import {parseDockerfile} from '../../../../source/core/parse/dockerfile.js';
import {addUser, rewriteMultiStage} from '../../../../source/core/patch/dockerfile/index.js';

/*
 * Every Dockerfile of the shared corpus (real files from docker-library, nodejs/docker-node,
 * buildkit's parser tests; /work/shared/corpus/SOURCES.md) goes through both patches. They
 * must never throw, and whatever they return as ok must parse back with 2+ stages and
 * every comment line of the original. The corpus lives outside the repository: without it
 * the suite is skipped, except in CI, where a missing corpus must fail.
 */

const corpus = '../shared/corpus';
const ci = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';

function dockerfiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true, recursive: true})
    .filter(e => e.isFile() && /^Dockerfile(\..+)?$/.test(e.name))
    .map(e => join(e.parentPath, e.name))
    .sort();
}

/** Comment lines as the parser sees them (not heredoc lines, not directives). */
function comments(text: string): string[] {
  return DockerfileParser.parse(text).getComments().map(c => c.getContent());
}

function keepsComments(before: string, after: string): string | undefined {
  const left = comments(after);
  for (const comment of comments(before)) {
    const at = left.indexOf(comment);
    if (at < 0) return comment;
    left.splice(at, 1);
  }
  return undefined;
}

if (!existsSync(corpus)) {
  describe('Dockerfile corpus', () => {
    if (ci) it('needs the corpus in CI', () => expect.fail(`${corpus} is missing; CI must run the corpus test`));
    else it.skip(`skipped: ${corpus} is absent (it holds the shared real-world Dockerfiles)`, () => {});
  });
} else {
  const files = dockerfiles(corpus);
  const stripBom = (text: string) => text.replace(/^\uFEFF/, '');

  describe('Dockerfile corpus', () => {
    it('has Dockerfiles', () => expect(files.length).toBeGreaterThan(100));

    it.each(files.map(f => [relative(corpus, f), f]))('%s', (_name, file) => {
      const text = stripBom(readFileSync(file, 'utf8'));
      const before = parseDockerfile('Dockerfile', text).facts?.stages.length ?? 0;
      const results = [
        {result: rewriteMultiStage('Dockerfile', text), stages: 2, again: (t: string) => rewriteMultiStage('Dockerfile', t)},
        {result: addUser('Dockerfile', text), stages: before, again: (t: string) => addUser('Dockerfile', t)},
      ];
      for (const {result, stages, again} of results) {
        if (!result.ok) {
          expect(result.reason.length).toBeGreaterThan(0);
          continue;
        }
        const parsed = parseDockerfile('Dockerfile', result.text);
        expect(parsed.errors).toEqual([]);
        expect(parsed.facts!.stages.length).toBe(stages);
        expect(keepsComments(text, result.text), 'comment lost').toBeUndefined();
        // Idempotent: what came out is not patched again.
        expect(again(result.text).ok).toBe(false);
      }
    });
  });
}
