import {describe, expect, it} from 'vitest';
import type {Stage} from '../../../source/core/model/facts.js';
import {parseDockerfile} from '../../../source/core/parse/dockerfile.js';
import {decodeText} from '../../../source/core/parse/text.js';

/** A stage with every list empty, overridden by `fields`: so each test states the whole expected stage. */
function stage(fields: Partial<Stage> & Pick<Stage, 'index' | 'line' | 'from'>): Stage {
  return {volumes: [], runs: [], env: [], command: [], copies: [], writeHints: [], ...fields};
}

function facts(text: string) {
  const parsed = parseDockerfile('Dockerfile', text);
  expect(parsed.errors).toEqual([]);
  return parsed.facts!;
}

describe('parseDockerfile: stages and FROM', () => {
  it('reads a multi-stage file: names lower-cased, stage references, scratch', () => {
    const text = [
      'FROM golang:1.22 AS Builder', // 1
      'RUN go build -o /app .', // 2
      'FROM builder AS Test', // 3
      'FROM scratch', // 4
      'FROM BUILDER', // 5
      '',
    ].join('\n');
    expect(facts(text)).toEqual({
      file: 'Dockerfile',
      stages: [
        stage({index: 0, line: 1, name: 'builder', from: {raw: 'golang:1.22', repository: 'golang', tag: '1.22', unresolved: false, line: 1}, runs: [{value: 'go build -o /app .', line: 2}]}),
        stage({index: 1, line: 3, name: 'test', from: null, fromStage: 0}),
        stage({index: 2, line: 4, from: null}),
        stage({index: 3, line: 5, from: null, fromStage: 0}),
      ],
    });
  });

  it('does not treat a later stage name as a reference (a stage can only build on an earlier one)', () => {
    const {stages} = facts('FROM app\nFROM alpine AS app\n');
    expect(stages[0]!.fromStage).toBeUndefined();
    expect(stages[0]!.from).toEqual({raw: 'app', repository: 'app', unresolved: false, line: 1});
  });

  it('ignores --platform and keeps the image', () => {
    const {stages} = facts('FROM --platform=$BUILDPLATFORM node:20-alpine AS deps\n');
    expect(stages[0]).toEqual(stage({index: 0, line: 1, name: 'deps', from: {raw: 'node:20-alpine', repository: 'node', tag: '20-alpine', unresolved: false, line: 1}}));
  });

  it.each([
    ['ARG TAG=20\nFROM node:${TAG}\n', 'node:20', false],
    ['ARG TAG=20\nFROM node:$TAG\n', 'node:20', false],
    ['ARG REG=ghcr.io ORG=acme\nFROM ${REG}/${ORG}/api:1\n', 'ghcr.io/acme/api:1', false],
    ['FROM ${BASE:-alpine}:3.20\n', 'alpine:3.20', false],
    ['ARG BASE=debian\nFROM ${BASE:-alpine}\n', 'debian', false],
    ['ARG BASE\nFROM ${BASE:-alpine}\n', 'alpine', false],
    ['ARG TAG\nFROM node:${TAG}\n', 'node:${TAG}', true],
    ['FROM $UNDECLARED\n', '$UNDECLARED', true],
  ])('substitutes ARGs declared before FROM: %j', (text, raw, unresolved) => {
    const from = facts(text).stages[0]!.from!;
    expect(from.raw).toBe(raw);
    expect(from.unresolved).toBe(unresolved);
  });

  it('does not substitute an ARG declared after FROM into a later FROM (BuildKit scoping)', () => {
    const {stages} = facts('FROM alpine\nARG TAG=9\nFROM node:${TAG}\n');
    expect(stages[1]!.from).toEqual({raw: 'node:${TAG}', repository: 'node', tag: '${TAG}', unresolved: true, line: 3});
  });
});

describe('parseDockerfile: instructions in a stage', () => {
  it('keeps the last USER, WORKDIR, and every CMD/ENTRYPOINT', () => {
    const text = 'FROM alpine\nUSER root\nWORKDIR /srv\nRUN apk add curl\nUSER 10001:10001\nENTRYPOINT ["tini", "--"]\nCMD node server.js\n';
    expect(facts(text).stages[0]).toEqual(stage({
      index: 0, line: 1,
      from: {raw: 'alpine', repository: 'alpine', unresolved: false, line: 1},
      user: {value: '10001:10001', line: 5},
      workdir: {value: '/srv', line: 3},
      runs: [{value: 'apk add curl', line: 4, workdir: '/srv'}],
      command: [{value: '["tini", "--"]', line: 6}, {value: 'node server.js', line: 7}],
    }));
  });

  it('reads VOLUME in JSON and shell form, several paths each', () => {
    const {volumes} = facts('FROM alpine\nVOLUME ["/data", "/var/log/app"]\nVOLUME /cache /tmp/x\n').stages[0]!;
    expect(volumes).toEqual([
      {value: '/data', line: 2},
      {value: '/var/log/app', line: 2},
      {value: '/cache', line: 3},
      {value: '/tmp/x', line: 3},
    ]);
  });

  it('reads ENV in key=value form (several, quoted) and the legacy key value form', () => {
    const {env} = facts('FROM alpine\nENV A=1 B="two words" \\\n    C=3\nENV LEGACY some value here\n').stages[0]!;
    expect(env).toEqual([
      {key: 'A', value: '1', line: 2},
      {key: 'B', value: 'two words', line: 2},
      {key: 'C', value: '3', line: 2},
      {key: 'LEGACY', value: 'some value here', line: 4},
    ]);
  });

  it('joins RUN continuation lines (escape and newline removed, as BuildKit does) and reports the first line', () => {
    const {runs} = facts('FROM alpine\nRUN apk add \\\n      curl \\\n  && rm -rf /var/cache/apk\nRUN echo a\\\nb\n').stages[0]!;
    expect(runs).toEqual([
      {value: 'apk add       curl   && rm -rf /var/cache/apk', line: 2},
      {value: 'echo ab', line: 5},
    ]);
  });

  it('keeps a RUN heredoc as one RUN and does not read its body as instructions', () => {
    const text = 'FROM alpine\nRUN <<EOF\nset -e\nFOO bar\nmkdir -p /data\nEOF\nUSER app\n';
    const parsed = parseDockerfile('Dockerfile', text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.facts!.stages[0]!.runs).toEqual([{value: '<<EOF\nset -e\nFOO bar\nmkdir -p /data\nEOF', line: 2}]);
    expect(parsed.facts!.stages[0]!.user).toEqual({value: 'app', line: 7});
  });

  it('honours `# escape=`` `: backtick continuations, backslashes are plain characters', () => {
    const text = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\app\nRUN echo a `\n    && echo b\nUSER ContainerUser\n';
    expect(facts(text).stages[0]).toEqual(stage({
      index: 0, line: 2,
      from: {raw: 'mcr.microsoft.com/windows/servercore:ltsc2022', registry: 'mcr.microsoft.com', repository: 'windows/servercore', tag: 'ltsc2022', unresolved: false, line: 2},
      workdir: {value: 'C:\\app', line: 3},
      runs: [{value: 'echo a     && echo b', line: 4, workdir: 'C:\\app'}],
      user: {value: 'ContainerUser', line: 6},
    }));
  });

  it('gives the same facts for CRLF line endings', () => {
    const lf = [
      'ARG TAG=3.20',
      'FROM alpine:${TAG} AS base',
      'ENV LOG_DIR=/app/logs A=1',
      'WORKDIR /app',
      'RUN mkdir -p data \\',
      '  && chown -R app data',
      'VOLUME ["/data"]',
      'VOLUME /a /b',
      'USER app',
      'CMD ["node", "server.js"]',
      '',
    ].join('\n');
    const crlf = lf.replaceAll('\n', '\r\n');
    const parsedLf = parseDockerfile('Dockerfile', lf);
    expect(parsedLf.errors).toEqual([]);
    expect(parseDockerfile('Dockerfile', crlf)).toEqual(parsedLf);
    expect(parsedLf.facts!.stages[0]!.writeHints.map(h => h.path)).toEqual(['/app/logs', '/app/data']);
  });
});

describe('parseDockerfile: line endings and BOM', () => {
  it('gives the same facts for CRLF inside a RUN heredoc (no stray \\r in the shell text)', () => {
    const lf = 'FROM alpine\nRUN <<EOF\nmkdir -p /data\nchown app /data\nEOF\nUSER app\n';
    const parsed = parseDockerfile('Dockerfile', lf.replaceAll('\n', '\r\n'));
    expect(parsed).toEqual(parseDockerfile('Dockerfile', lf));
    expect(parsed.facts!.stages[0]!.runs).toEqual([{value: '<<EOF\nmkdir -p /data\nchown app /data\nEOF', line: 2}]);
  });

  it('parses a BOM-prefixed file after decodeText like the same file without a BOM', () => {
    const text = 'FROM alpine\nUSER app\n';
    const decoded = decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]));
    expect(decoded).toEqual({ok: true, text, bom: true, crlf: false});
    expect(parseDockerfile('Dockerfile', decoded.ok ? decoded.text : '')).toEqual(parseDockerfile('Dockerfile', text));
  });
});

describe('parseDockerfile: errors, with lines', () => {
  it.each([
    ['an empty file', '', [{line: 1, message: 'no instructions: a Dockerfile needs at least a FROM line'}]],
    ['only comments and blank lines', '# Hello\n# just comments\n\n', [{line: 1, message: 'no instructions: a Dockerfile needs at least a FROM line'}]],
    ['no FROM at all', 'ARG X=1\n', [{line: 1, message: 'no FROM instruction: every Dockerfile must start a stage with FROM'}]],
  ])('%s: no facts', (_name, text, errors) => {
    expect(parseDockerfile('Dockerfile', text)).toEqual({facts: null, errors: errors.map(e => ({file: 'Dockerfile', ...e}))});
  });

  it('reports an instruction before FROM and still reads the stage', () => {
    const parsed = parseDockerfile('Dockerfile', '# syntax=docker/dockerfile:1\n\nRUN echo hi\nFROM alpine\nUSER app\n');
    expect(parsed.errors).toEqual([{file: 'Dockerfile', line: 3, message: 'RUN before the first FROM: only ARG may come before FROM'}]);
    expect(parsed.facts!.stages).toHaveLength(1);
    expect(parsed.facts!.stages[0]!.user).toEqual({value: 'app', line: 5});
  });

  it('reports an unknown instruction and keeps auditing the rest', () => {
    const parsed = parseDockerfile('Dockerfile', 'FROM alpine\nRUNN echo hi\nUSER app\n');
    expect(parsed.errors).toEqual([{file: 'Dockerfile', line: 2, message: 'unknown instruction "RUNN": Docker would refuse to build this file; check the spelling'}]);
    expect(parsed.facts!.stages[0]!.user).toEqual({value: 'app', line: 3});
    expect(parsed.facts!.stages[0]!.runs).toEqual([]);
  });

  it('reports ENV with no value', () => {
    const parsed = parseDockerfile('Dockerfile', 'FROM busybox\n\nENV PATH\nUSER app\n');
    expect(parsed.errors).toEqual([{file: 'Dockerfile', line: 3, message: 'ENV PATH has no value: write ENV PATH=value'}]);
    expect(parsed.facts!.stages[0]!.env).toEqual([]);
  });

  it('reports CMD/ENTRYPOINT JSON that is not an array of strings', () => {
    const parsed = parseDockerfile('Dockerfile', 'FROM alpine\nCMD [ "echo", [ "nested" ] ]\nENTRYPOINT ["a", 1]\n');
    expect(parsed.errors).toEqual([
      {file: 'Dockerfile', line: 2, message: 'CMD in JSON form must be an array of strings, like ["node", "server.js"]'},
      {file: 'Dockerfile', line: 3, message: 'ENTRYPOINT in JSON form must be an array of strings, like ["node", "server.js"]'},
    ]);
  });

  it('runs an unparsable [...] CMD as a shell command, as BuildKit does (no error)', () => {
    const parsed = parseDockerfile('Dockerfile', "FROM alpine\nCMD ['single', 'quotes']\n");
    expect(parsed.errors).toEqual([]);
    expect(parsed.facts!.stages[0]!.command).toEqual([{value: "['single', 'quotes']", line: 2}]);
  });

  it('reports a file of instructions without any FROM once, not once per line', () => {
    expect(parseDockerfile('Dockerfile', 'CMD [ "echo", [ "nested json" ] ]\nCMD ["a"]\n')).toEqual({
      facts: null,
      errors: [{file: 'Dockerfile', line: 1, message: 'no FROM instruction: every Dockerfile must start a stage with FROM'}],
    });
  });
});

describe('parseDockerfile: large input', () => {
  it('parses a 20,000-line Dockerfile', () => {
    const lines = ['FROM alpine'];
    for (let i = 1; i < 20_000; i++) lines.push(i % 2 ? `RUN mkdir -p /srv/d${i} && chown app /srv/d${i}` : `RUN mkdir -p /srv/e${i}`);
    const parsed = parseDockerfile('Dockerfile', lines.join('\n') + '\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.facts!.stages[0]!.runs).toHaveLength(19_999);
    expect(parsed.facts!.stages[0]!.writeHints).toHaveLength(10_000);
  });

  it('parses 5,000 stages', () => {
    const text = Array.from({length: 5000}, (_, i) => (i === 0 ? 'FROM alpine AS s0' : `FROM s${i - 1} AS s${i}`)).join('\n');
    const {stages} = facts(text);
    expect(stages).toHaveLength(5000);
    expect(stages[4999]).toEqual(stage({index: 4999, line: 5000, name: 's4999', from: null, fromStage: 4998}));
  });
});
