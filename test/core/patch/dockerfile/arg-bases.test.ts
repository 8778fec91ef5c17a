import {describe, expect, it} from 'vitest';
import {parseDockerfile} from '../../../../source/core/parse/dockerfile.js';
import {rewriteMultiStage} from '../../../../source/core/patch/dockerfile/index.js';

/*
 * A base image named through ARGs (issue 13): `ARG BASE=node:20` + `FROM ${BASE}` made the
 * runtime stage `FROM ${BASE}:20-slim`, which BuildKit reads as node:20:20-slim, and the rewrite
 * reported "a bug in harden". The runtime stage now reads, with the file's ARG defaults, as the
 * table's slim sibling, following the ARG where it can; what cannot be resolved is refused with
 * the reason.
 */

const body = ['WORKDIR /app', 'COPY . .', 'RUN npm ci', 'CMD ["node", "index.js"]'];
const dockerfile = (...head: string[]) => [...head, ...body].join('\n') + '\n';

/** Head lines, the runtime stage's FROM line as written, and the note about a base written out (if any). */
const rewritten: Array<[string, string[], string, boolean]> = [
  ['the whole image from an ARG', ['ARG BASE=node:20', 'FROM ${BASE}'], 'FROM node:20-slim', true],
  ['the whole image, bare $VAR', ['ARG BASE=node:20', 'FROM $BASE'], 'FROM node:20-slim', true],
  ['the image and a suffix', ['ARG BASE=node:20', 'FROM ${BASE}-slim'], 'FROM ${BASE}-slim', false],
  ['the tag from an ARG', ['ARG TAG=20', 'FROM node:${TAG}'], 'FROM node:${TAG}-slim', false],
  ['the name from an ARG', ['ARG IMG=node', 'FROM ${IMG}:20'], 'FROM ${IMG}:20-slim', false],
  ['the registry from an ARG', ['ARG REG=docker.io/library', 'FROM ${REG}/node:20'], 'FROM ${REG}/node:20-slim', false],
  ['an ARG redefined', ['ARG BASE=node:18', 'ARG BASE=node:20', 'FROM ${BASE}'], 'FROM node:20-slim', true],
  ['an ARG redeclared without a default', ['ARG BASE=node:20', 'ARG BASE', 'FROM ${BASE}'], 'FROM node:20-slim', true],
  ['an ARG built from another', ['ARG V=20', 'ARG BASE=node:${V}', 'FROM ${BASE}'], 'FROM node:20-slim', true],
  ['${V:-default} with no default', ['ARG V', 'FROM node:${V:-20}'], 'FROM node:${V:-20}-slim', false],
  ['${V:+word}', ['ARG V=1', 'FROM node:${V:+22}'], 'FROM node:${V:+22}-slim', false],
  ['an undeclared ARG with a default form', ['FROM node:${NODE:-20}'], 'FROM node:${NODE:-20}-slim', false],
];

describe('rewriteMultiStage with a base image named through ARGs', () => {
  it.each(rewritten)('%s', (_name, head, fromLine, writtenOut) => {
    const text = dockerfile(...head);
    const result = rewriteMultiStage('Dockerfile', text);
    if (!result.ok) throw new Error(result.reason);
    expect(result.runtimeBase).toMatch(/^node:2[02]-slim$/);
    expect(result.text.split('\n').filter(l => l.startsWith('FROM ')).at(-1)).toBe(fromLine);
    expect(result.notes.some(n => n.includes('written out'))).toBe(writtenOut);
    // BuildKit's reading of the output: the runtime stage is the slim image, the builder unchanged.
    const stages = parseDockerfile('Dockerfile', result.text).facts!.stages;
    const final = stages.at(-1)!.from!;
    expect(`${final.repository}:${final.tag}`).toBe(result.runtimeBase);
    expect(final.unresolved).toBe(false);
    expect(stages[0]!.from!.raw).toBe(parseDockerfile('Dockerfile', text).facts!.stages[0]!.from!.raw);
    // Idempotent: a second rewrite finds two stages.
    expect(rewriteMultiStage('Dockerfile', result.text)).toEqual({ok: false, reason: 'already multi-stage'});
  });

  it.each([
    ['an ARG with no default', ['ARG BASE', 'FROM ${BASE}']],
    ['an ARG with no default in the tag', ['ARG TAG', 'FROM node:${TAG}']],
    ['${V:+word} where V has no default', ['ARG V', 'FROM node:${V:+22}']],
    ['an undeclared ARG', ['FROM $BASE']],
    ['an ARG declared after FROM', ['FROM node:${TAG}', 'ARG TAG=20']],
  ])('refuses, saying why: %s', (_name, head) => {
    const result = rewriteMultiStage('Dockerfile', dockerfile(...head));
    expect(result).toMatchObject({ok: false, reason: expect.stringMatching(/depends on an ARG with no default \(or one not declared before the first FROM\), so its runtime sibling is unknown$/)});
    expect(JSON.stringify(result)).not.toMatch(/a bug in harden/);
  });

  it('takes --runtime-base with the file\'s ARGs, and refuses one whose ARG has no default', () => {
    const ok = rewriteMultiStage('Dockerfile', dockerfile('ARG TAG=20', 'FROM node:${TAG}'), {runtimeBase: 'node:${TAG}-bookworm-slim'});
    expect(ok).toMatchObject({ok: true, runtimeBase: 'node:20-bookworm-slim'});
    expect(ok.ok && ok.text).toContain('FROM node:${TAG}-bookworm-slim\n');
    const refused = rewriteMultiStage('Dockerfile', dockerfile('ARG TAG=20', 'ARG FLAVOUR', 'FROM node:${TAG}'), {runtimeBase: 'node:${TAG}-${FLAVOUR}'});
    expect(refused).toMatchObject({ok: false, reason: expect.stringMatching(/runtime base node:\$\{TAG\}-\$\{FLAVOUR\} uses an ARG .* no default/)});
  });
});
