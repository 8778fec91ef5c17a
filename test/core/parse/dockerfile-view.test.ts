import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {astView, scanDockerfile} from '../../../source/core/parse/dockerfile-view.js';
import {parseDockerfile, parseDockerfileAst} from '../../../source/core/parse/dockerfile.js';
import {dockerfile as benchDockerfile} from '../../../bench/corpus.mjs';

/*
 * The line scanner must read every file it accepts exactly as dockerfile-ast does. These
 * properties generate Dockerfiles full of the corners where the two could part (flags,
 * quotes, escapes, continuations with comments and blank lines, directives, heredocs,
 * CRLF, tabs, legacy ENV) and compare the views whenever the scanner answers.
 */

const keywords = ['FROM', 'from', 'RUN', 'run', 'COPY', 'ADD', 'CMD', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ENV', 'ARG', 'LABEL', 'EXPOSE', 'HEALTHCHECK', 'SHELL', 'STOPSIGNAL', 'ONBUILD', 'MAINTAINER', 'FORM', 'apt-get'];
const tokens = [
  'node:20', 'alpine', 'scratch', 'AS', 'as', 'build', 'Builder', '--platform=$BUILDPLATFORM', '--from=build', '--chown=1000:1000', '--mount=type=cache,target=/root/.npm',
  '--link', 'a--b', '--', '-x', 'npm', 'ci', '&&', '/app', '.', './', '/data', '$HOME', '${VERSION:-1}', 'A=1', 'B=', 'C=x=y', 'NAME', 'PATH=$PATH:/bin', 'x y',
  '"a b"', '"', "'", "'c d'", '["node",', '"server.js"]', '["/bin/sh",', '"-c",', '"echo hi"]', '[]', '#', '# not a comment', '\\', '\\$x', 'a\\', '\\\\', '<<EOF', '<<-EOF',
  'é', '\u00a0', 'CMD', 'NONE', '--interval=5s', 'user', '1000:1000', 'root', '{}', '=', 'é=1',
];
const space = fc.constantFrom(' ', ' ', ' ', '  ', '   ', '\t');
const instruction = fc
  .tuple(fc.constantFrom('', '', '', ' ', '  '), fc.constantFrom(...keywords), fc.array(fc.tuple(space, fc.constantFrom(...tokens)), {maxLength: 6}), fc.constantFrom('', '', '', ' ', '  ', ' \\', '\\', ' \\ ', '\\\\'))
  .map(([indent, keyword, args, end]) => `${indent}${keyword}${args.map(([s, t]) => s + t).join('')}${end}`);
const line = fc.oneof(
  {weight: 8, arbitrary: instruction},
  {weight: 1, arbitrary: fc.constantFrom('', ' ', '# comment', '  # comment \\', '#', 'x', '  x \\', 'EOF', '  npm ci', '  && rm -rf /tmp/x \\', '\\', '  \\')},
);
const header = fc.constantFrom('', '', '# syntax=docker/dockerfile:1\n', '# escape=`\n', '#escape=\\\\\n', '# check=skip=all\n# escape=`\n', '\uFEFF', '\n# escape=`\n');
const dockerfileText = fc
  .tuple(header, fc.array(line, {minLength: 0, maxLength: 14}), fc.constantFrom('\n', '\n', '', '\r\n'))
  .map(([head, lines, eol]) => head + lines.join(eol === '\r\n' ? '\r\n' : '\n') + eol);

/** A mostly plain file, so the scanner answers often and the comparison is not vacuous. */
const plainInstruction = fc
  .tuple(fc.constantFrom('FROM', 'RUN', 'COPY', 'ADD', 'CMD', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ENV', 'ARG', 'EXPOSE', 'LABEL', 'HEALTHCHECK'),
    fc.array(fc.constantFrom('node:20', 'AS', 'build', '--from=build', '--mount=type=cache,target=/x', 'npm', 'ci', '/app', '.', 'A=1', 'B=', 'NAME', '"a b"', "'c'", '["x",', '"y"]', '$HOME', '--link'), {minLength: 0, maxLength: 5}),
    fc.constantFrom('', '', ' \\\n    && echo done', ' \\\n  npm test \\\n  --verbose', ' \\\n  x', ' \\\n    C=2 \\\n    D=', '\\\nE=3', ' \\\nF=4 G=5'))
  .map(([keyword, args, tail]) => `${keyword} ${args.join(' ')}${tail}`);
const plainText = fc.array(fc.oneof({weight: 6, arbitrary: plainInstruction}, {weight: 1, arbitrary: fc.constantFrom('', '# c')}), {maxLength: 12}).map(lines => lines.join('\n') + '\n');

describe('scanDockerfile', () => {
  it('reads every file it accepts as dockerfile-ast does (generated corner cases)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(dockerfileText, text => {
        const fast = scanDockerfile(text);
        if (fast === undefined) return;
        accepted++;
        expect(fast).toEqual(astView(text));
      }),
      {numRuns: Number(process.env.FUZZ_RUNS ?? 20_000)},
    );
    expect(accepted).toBeGreaterThan(500);
  });

  it('reads plain files as dockerfile-ast does, and accepts most of them', () => {
    let accepted = 0;
    const runs = Number(process.env.FUZZ_RUNS ?? 5_000);
    fc.assert(
      fc.property(plainText, text => {
        const fast = scanDockerfile(text);
        if (fast === undefined) return;
        accepted++;
        expect(fast).toEqual(astView(text));
        expect(parseDockerfile('Dockerfile', text)).toEqual(parseDockerfileAst('Dockerfile', text));
      }),
      {numRuns: runs},
    );
    expect(accepted).toBeGreaterThan(runs * 0.3);
  });

  it('accepts every file of the bench corpus and reads it as dockerfile-ast does', () => {
    for (let i = 0; i < 500; i++) {
      const text = benchDockerfile(20261127, i);
      expect(scanDockerfile(text)).toEqual(astView(text));
    }
  });

  it('gives the same facts as dockerfile-ast on every Dockerfile in the fixtures and templates', async () => {
    const files: string[] = [];
    for (const root of ['test/fixtures', 'templates']) {
      for (const entry of await readdir(root, {recursive: true, withFileTypes: true})) {
        if (entry.isFile() && /(^|\.)(Dockerfile|Containerfile)(\.|$)/i.test(entry.name)) files.push(join(entry.parentPath, entry.name));
      }
    }
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      expect(parseDockerfile(file, text), file).toEqual(parseDockerfileAst(file, text));
    }
  });

  it('leaves to dockerfile-ast what it does not handle', () => {
    for (const text of [
      '# escape=`\nFROM x\nRUN a `\n  b\n',
      'FROM x\nRUN <<EOF\necho hi\nEOF\n',
      'FROM x\r\nRUN a\r\n',
      'FROM x\nRUN\ta\n',
      '\uFEFFFROM x\n',
      'FROM x\nRUN a \\ \n  b\n',
      'FROM x\nRUN a \\\n# comment\n  b\n',
      'FROM x\nRUN a \\\n\n  b\n',
      'FROM x\nENV KEY some value\n',
      'FROM x\nRUN echo "unclosed\n',
      'FROM x\nRUN a \\',
    ]) {
      expect(scanDockerfile(text), JSON.stringify(text)).toBeUndefined();
    }
  });
});
