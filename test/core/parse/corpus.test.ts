import {existsSync} from 'node:fs';
import {readdir, readFile} from 'node:fs/promises';
import {join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {parseDockerfile} from '../../../source/core/parse/dockerfile.js';
import {decodeText} from '../../../source/core/parse/text.js';

/*
 * Real Dockerfiles written by other people (see ../shared/corpus/SOURCES.md): BuildKit's
 * parser test files with their expected parse, and the official images' Dockerfiles.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const corpus = resolve(repoRoot, '../shared/corpus');
const present = existsSync(corpus);

async function dockerfiles(dir: string, pattern: RegExp): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, {withFileTypes: true, recursive: true});
  return entries
    .filter(e => e.isFile() && pattern.test(e.name))
    .map(e => join(e.parentPath, e.name))
    .sort();
}

const buildkit = await dockerfiles(join(corpus, 'buildkit-parser', 'testfiles'), /^Dockerfile$/);
const negative = await dockerfiles(join(corpus, 'buildkit-parser', 'testfiles-negative'), /^Dockerfile$/);
const library = await dockerfiles(join(corpus, 'docker-library'), /^Dockerfile/);
const name = (path: string) => relative(corpus, path);

async function parse(path: string) {
  const decoded = decodeText(await readFile(path));
  if (!decoded.ok) throw new Error(`${name(path)}: ${decoded.message}`);
  return parseDockerfile(name(path), decoded.text);
}

if (!present) {
  if (process.env.CI) {
    describe('Dockerfile corpus', () => {
      it('is present in CI', () => {
        expect.fail(`../shared/corpus not found at ${corpus}; CI must provide it`);
      });
    });
  } else {
    console.warn('corpus tests skipped: ../shared/corpus not found');
    describe.skip('Dockerfile corpus (../shared/corpus not found)', () => {
      it('parses every file', () => undefined);
    });
  }
} else {
  describe('Dockerfile corpus', () => {
    it('has the files SOURCES.md lists', () => {
      expect(buildkit.length).toBe(33);
      expect(negative.length).toBe(4);
      expect(library.length).toBeGreaterThanOrEqual(100);
    });

    it.each(buildkit.map(name))('buildkit %s: one stage per FROM in its expected parse', async file => {
      const path = join(corpus, file);
      const parsed = await parse(path);
      expect(parsed.facts !== null || parsed.errors.length > 0).toBe(true);
      const result = await readFile(join(path, '..', 'result'), 'utf8');
      const froms = result.split(/\r?\n/).filter(line => line.startsWith('(from ')).length;
      expect(parsed.facts?.stages.length ?? 0).toBe(froms);
    });

    it.each(negative.map(name))('buildkit negative %s: at least one error', async file => {
      const parsed = await parse(join(corpus, file));
      expect(parsed.errors.length).toBeGreaterThan(0);
      for (const error of parsed.errors) expect(error.line).toBeGreaterThanOrEqual(1);
    });

    it.each(library.map(name))('official image %s: stages, no errors', async file => {
      const parsed = await parse(join(corpus, file));
      expect(parsed.errors).toEqual([]);
      expect(parsed.facts!.stages.length).toBeGreaterThanOrEqual(1);
      for (const stage of parsed.facts!.stages) {
        for (const hint of stage.writeHints) expect(hint.path).toMatch(/^\//);
      }
    });
  });
}
