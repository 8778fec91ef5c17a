import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseDockerfile} from '../../../../source/core/parse/dockerfile.js';
import {addUser, rewriteMultiStage} from '../../../../source/core/patch/dockerfile/index.js';

/*
 * Golden files: test/fixtures/patch/dockerfile/<case>/{Dockerfile,expected.Dockerfile},
 * compared byte for byte. Cases named add-user-* go through addUser, the others through
 * rewriteMultiStage. UPDATE_GOLDEN=1 rewrites the expected files; review the diff before
 * committing.
 */

const root = 'test/fixtures/patch/dockerfile';

interface Case {
  name: string;
  runtimeBase: string;
  user: string;
  /** Substrings of the notes that must be there. */
  notes?: string[];
}

const cases: Case[] = [
  {name: 'node-demo', runtimeBase: 'node:20-slim', user: '1000:1000', notes: ['only dist/']},
  {name: 'node-npm-start', runtimeBase: 'node:20.11.1-bookworm-slim', user: '1000:1000', notes: ['CMD runs npm start']},
  {name: 'node-alpine-named', runtimeBase: 'node:20-alpine', user: '1000:1000', notes: ['already a small Alpine image', 'yarn has no offline prune']},
  {name: 'python-gunicorn', runtimeBase: 'python:3.12-slim', user: '10001:10001', notes: ['"app" (uid 10001) is created with home /home/app']},
  {name: 'python-venv', runtimeBase: 'python:3.12-slim', user: '65534:65534', notes: ['/nonexistent']},
  {name: 'go-static', runtimeBase: 'gcr.io/distroless/static-debian12:nonroot', user: '65532:65532', notes: ['CGO_ENABLED=0', 'only /out/app is copied']},
  {name: 'java-maven', runtimeBase: 'eclipse-temurin:21-jre', user: '10001:10001'},
  {name: 'comments', runtimeBase: 'node:22-bookworm-slim', user: '1000:1000'},
  {name: 'syntax-heredoc', runtimeBase: 'node:20-slim', user: '1000:1000'},
  {name: 'escape-backtick', runtimeBase: 'python:3.11-slim-bookworm', user: '10001:10001'},
  {name: 'arg-before-from', runtimeBase: 'node:20-slim', user: '1000:1000'},
  {name: 'crlf', runtimeBase: 'node:20-slim', user: '1000:1000'},
  {name: 'add-user-root', runtimeBase: '', user: '1000:1000'},
  {name: 'add-user-create', runtimeBase: '', user: '10001:10001', notes: ['"app" (uid 10001) is created']},
];

function read(name: string, file: string): string {
  return readFileSync(join(root, name, file), 'utf8');
}

function run(name: string, text: string) {
  return name.startsWith('add-user') ? addUser('Dockerfile', text) : rewriteMultiStage('Dockerfile', text);
}

describe('Dockerfile rewrite golden files', () => {
  it.each(cases)('$name', ({name, runtimeBase, user, notes}) => {
    const input = read(name, 'Dockerfile');
    const result = run(name, input);
    if (!result.ok) throw new Error(`${name}: ${result.reason}`);
    if (process.env['UPDATE_GOLDEN']) writeFileSync(join(root, name, 'expected.Dockerfile'), result.text);
    expect(result.text).toBe(read(name, 'expected.Dockerfile'));
    expect(result.user).toBe(user);
    if ('runtimeBase' in result) expect(result.runtimeBase).toBe(runtimeBase);
    for (const note of notes ?? []) expect(result.notes.join('\n')).toContain(note);
  });

  it.each(cases)('$name: fixing the fixed file again changes nothing', ({name}) => {
    const once = read(name, 'expected.Dockerfile');
    expect(rewriteMultiStage('Dockerfile', once)).toEqual({ok: false, reason: 'already multi-stage'});
    expect(addUser('Dockerfile', once)).toEqual({ok: false, reason: 'already multi-stage'});
  });

  it.each(cases)('$name: the output parses cleanly, every original line is still there', ({name}) => {
    const input = read(name, 'Dockerfile');
    const output = read(name, 'expected.Dockerfile');
    expect(parseDockerfile('Dockerfile', output).errors).toEqual([]);
    const remaining = output.split(/\r?\n/);
    for (const line of input.split(/\r?\n/).filter(l => l.trim() !== '')) {
      // Only the builder's FROM line changes (it gains its stage name).
      if (/^from\s/i.test(line) && !/\sas\s/i.test(line)) continue;
      const at = remaining.indexOf(line);
      expect(at, `line kept: ${line}`).toBeGreaterThanOrEqual(0);
      remaining.splice(at, 1);
    }
  });

  it('keeps CRLF line endings throughout', () => {
    const output = read('crlf', 'expected.Dockerfile');
    expect(output.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('keeps a named stage with its case, and lowercase keywords', () => {
    const output = read('node-alpine-named', 'expected.Dockerfile');
    expect(output).toContain('from node:20-alpine as Build\n');
    expect(output).toContain('COPY --from=Build /app /app\n');
  });

  it('leaves the heredoc body and the syntax directive alone', () => {
    const input = read('syntax-heredoc', 'Dockerfile');
    const output = read('syntax-heredoc', 'expected.Dockerfile');
    expect(output.startsWith('# syntax=docker/dockerfile:1.7\n')).toBe(true);
    const heredoc = input.slice(input.indexOf('RUN <<EOT'), input.indexOf('EOT\n', input.indexOf('RUN <<EOT') + 9) + 4);
    expect(output).toContain(heredoc);
  });

  it('the builder part is the input byte for byte, apart from the stage name and the moved lines', () => {
    const input = read('node-demo', 'Dockerfile');
    const output = read('node-demo', 'expected.Dockerfile');
    const builder = output.slice(0, output.indexOf('\n# harden: keep only'));
    const moved = input.slice(input.indexOf('EXPOSE'));
    expect(builder + '\n' + moved).toBe(input.replace('FROM node:20\n', 'FROM node:20 AS builder\n'));
  });
});
