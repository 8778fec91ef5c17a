import {DockerfileParser} from 'dockerfile-ast';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseDockerfile} from '../../../../source/core/parse/dockerfile.js';
import {rewriteMultiStage} from '../../../../source/core/patch/dockerfile/index.js';

/*
 * Generated single-stage Node Dockerfiles, with comments anywhere between instructions
 * and inside continuations, ENV and ARG, continuation lines, runtime metadata in any
 * place, LF or CRLF. For each: the rewrite succeeds, parses back cleanly into two
 * stages, keeps every comment and every line ending, and a second rewrite is refused as
 * already multi-stage.
 */

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const commentText = fc.string({maxLength: 30}).map(s => s.replace(/[\r\n\\`]/g, ' '));
const comment = commentText.map(t => `# c ${t}`.trimEnd());
const envName = fc.constantFrom('NODE_ENV', 'PORT', 'APP_NAME', 'LOG_LEVEL', 'FEATURE_X');

/** One item of the stage body, as lines. */
const item: fc.Arbitrary<readonly string[]> = fc.oneof(
  comment.map(c => [c]),
  fc.constant(['']),
  fc.tuple(envName, word).map(([k, v]) => [`ENV ${k}=${v}`]),
  fc.tuple(envName, word, envName, word, comment).map(([k, v, k2, v2, c]) => [`ENV ${k}=${v} \\`, c, `    ${k2}=${v2}`]),
  fc.tuple(word, word).map(([k, v]) => [`ARG ${k.toUpperCase()}=${v}`]),
  fc.tuple(envName, fc.constantFrom('BUILD_ID')).map(([k, a]) => [`ARG ${a}=dev`, `ENV ${k}=\${${a}}`]),
  fc.integer({min: 1, max: 65535}).map(p => [`EXPOSE ${p}`]),
  word.map(v => [`LABEL org.example.name="${v}"`]),
  fc.tuple(word, word).map(([a, b]) => [`RUN echo ${a} \\`, `    && echo ${b}`]),
  fc.constant(['STOPSIGNAL SIGTERM']),
);

const dockerfileArb = fc.record({
  directive: fc.boolean(),
  globalArg: fc.boolean(),
  tag: fc.constantFrom('20', '22-bookworm', '20-alpine', 'lts', '', '20.11.1'),
  name: fc.option(fc.constantFrom('build', 'Compile'), {nil: undefined}),
  lowercase: fc.boolean(),
  head: fc.array(item, {maxLength: 4}),
  middle: fc.array(item, {maxLength: 6}),
  tail: fc.array(item, {maxLength: 4}),
  build: fc.boolean(),
  cmd: fc.constantFrom('["node", "dist/server.js"]', '["node", "server.js"]', '["npm", "start"]', 'node dist/server.js'),
  cmdComment: fc.option(comment, {nil: undefined}),
  crlf: fc.boolean(),
  finalEol: fc.boolean(),
}).map(d => {
  const lines: string[] = [];
  if (d.directive) lines.push('# syntax=docker/dockerfile:1');
  if (d.globalArg) lines.push('ARG NODE_VERSION=20');
  const image = d.globalArg ? 'node:${NODE_VERSION}' : d.tag ? `node:${d.tag}` : 'node';
  lines.push(`${d.lowercase ? 'from' : 'FROM'} ${image}${d.name ? ` AS ${d.name}` : ''}`);
  lines.push('WORKDIR /app', ...d.head.flat(), 'COPY package*.json ./', 'RUN npm ci', ...d.middle.flat(), 'COPY . .');
  if (d.build) lines.push('RUN npm run build');
  lines.push(...d.tail.flat());
  if (d.cmdComment) lines.push(d.cmdComment);
  lines.push(`CMD ${d.cmd}`);
  const eol = d.crlf ? '\r\n' : '\n';
  return {text: lines.join(eol) + (d.finalEol ? eol : ''), crlf: d.crlf};
});

function comments(text: string): string[] {
  return DockerfileParser.parse(text).getComments().map(c => c.getContent()).sort();
}

describe('rewriteMultiStage on generated Node Dockerfiles', () => {
  it('parses back into two stages, keeps comments and line endings, and is idempotent', () => {
    fc.assert(
      fc.property(dockerfileArb, ({text, crlf}) => {
        const result = rewriteMultiStage('Dockerfile', text);
        if (!result.ok) throw new Error(`refused: ${result.reason}\n${text}`);
        const parsed = parseDockerfile('Dockerfile', result.text);
        expect(parsed.errors).toEqual([]);
        expect(parsed.facts!.stages).toHaveLength(2);
        expect(parsed.facts!.stages[1]!.user?.value).toBe(result.user);
        const after = comments(result.text);
        for (const c of comments(text)) {
          const at = after.indexOf(c);
          expect(at, `comment kept: ${c}`).toBeGreaterThanOrEqual(0);
          after.splice(at, 1);
        }
        if (crlf) expect(result.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        else expect(result.text).not.toContain('\r');
        expect(rewriteMultiStage('Dockerfile', text)).toEqual(result);
        expect(rewriteMultiStage('Dockerfile', result.text)).toEqual({ok: false, reason: 'already multi-stage'});
      }),
      {numRuns: 300},
    );
  });
});
