import {describe, expect, it} from 'vitest';
import type {PlannedChange} from '../../../../source/core/model/plan.js';
import {patchCompose} from '../../../../source/core/patch/compose/index.js';
import {capDropAll, noNewPrivileges, readOnly, runAs, tmpfs, volume} from './make.js';

function run(text: string, entries: Record<string, PlannedChange[]>) {
  const out = patchCompose('app/compose.yaml', text, new Map(Object.entries(entries)));
  if (!out.ok) throw new Error(`unexpected error: ${out.error.message}`);
  const again = patchCompose('app/compose.yaml', out.result.text, new Map(Object.entries(entries)));
  expect(again.ok && again.result.text).toBe(out.result.text);
  return {text: out.result.text, skipped: out.result.skipped.map(s => `${s.service} ${s.what}: ${s.reason}`)};
}

const lines = (...l: string[]) => l.map(line => `${line}\n`).join('');

describe('patchCompose refuses', () => {
  it('a file that does not parse, with the line of the error', () => {
    const out = patchCompose('compose.yaml', 'services:\n  web:\n    image: x\n   bad: [\n', new Map([['web', [readOnly()]]]));
    expect(out).toEqual({ok: false, error: {file: 'compose.yaml', line: 4, message: expect.stringMatching(/^invalid YAML: /)}});
  });

  it('a file whose top level is not a mapping', () => {
    const out = patchCompose('compose.yaml', '- a\n- b\n', new Map([['web', [readOnly()]]]));
    expect(out).toMatchObject({ok: false, error: {line: 1, message: expect.stringContaining('not a compose file')}});
  });

  it('even a broken file when there is nothing to change', () => {
    expect(patchCompose('compose.yaml', 'a: [\n', new Map()).ok).toBe(false);
  });
});

describe('patchCompose skips, with the reason', () => {
  it('services the file does not have and Dockerfile changes', () => {
    const text = lines('services:', '  web:', '    image: x');
    const result = run(text, {nope: [readOnly()], web: [{kind: 'dockerfile-user', user: 'app', rule: 'root-user', reason: 'r'}]});
    expect(result.text).toBe(text);
    expect(result.skipped).toEqual([
      'nope read_only: true: no service of that name in this file',
      'web dockerfile-user: dockerfile-user is a Dockerfile change, not a compose setting',
    ]);
  });

  it('a path mounted read-only, and a volume where a tmpfs already is', () => {
    const text = lines('services:', '  web:', '    image: x', '    volumes:', '      - ./conf:/etc/app:ro', '      - type: tmpfs', '        target: /tmp');
    const result = run(text, {web: [tmpfs('/etc/app'), volume('scratch', '/tmp'), tmpfs('/tmp')]});
    expect(result.text).toBe(text);
    expect(result.skipped).toEqual([
      'web /etc/app: already mounted read-only (in volumes); make that mount writable instead',
      'web /tmp: already a tmpfs mount (in volumes), whose data does not outlive the container; a path gets one mount, so change it to a volume by hand if the data must persist',
    ]);
  });

  it('a second mount of another kind on the same path', () => {
    const result = run(lines('services:', '  web:', '    image: x'), {web: [tmpfs('/data'), volume('data', '/data')]});
    expect(result.text).toBe(lines('services:', '  web:', '    image: x', '    tmpfs:', '      - /data'));
    expect(result.skipped).toEqual(['web /data: another change of this fix already mounts a tmpfs there; a path gets one mount, never both']);
  });

  it('values shared through an anchor, while the service with the alias gets its own', () => {
    const text = lines('services:', '  a:', '    tmpfs: &t [/run]', '    read_only: &ro false', '  b:', '    tmpfs: *t', '    read_only: *ro');
    const result = run(text, {a: [tmpfs('/tmp'), readOnly()], b: [tmpfs('/tmp'), readOnly()]});
    expect(result.text).toBe(lines('services:', '  a:', '    tmpfs: &t [/run]', '    read_only: &ro false', '  b:', '    tmpfs:', '      - /run', '      - /tmp', '    read_only: true'));
    expect(result.skipped).toEqual([
      'a read_only: true: its read_only carries anchor &ro, which other places may share; change it by hand',
      'a /tmp: its tmpfs carries anchor &t, which other places may share; change it by hand',
    ]);
  });

  it('a service that is an alias, or whose mapping other services merge', () => {
    const text = lines('x-base: &base', '  image: x', 'services:', '  a: *base', '  b: &b', '    image: y', '  c:', '    <<: *b');
    const result = run(text, {a: [readOnly()], b: [readOnly()], c: [readOnly()]});
    expect(result.text).toBe(`${text}    read_only: true\n`);
    expect(result.skipped).toEqual([
      'a read_only: true: its settings are an alias (*base) of a mapping other keys share; give the service its own mapping',
      'b read_only: true: its settings are shared through anchor &b with other services; patching them would change those too',
    ]);
  });

  it('a second, different user', () => {
    const result = run(lines('services:', '  web:', '    image: x'), {web: [runAs('1000'), runAs('2000'), runAs('1000')]});
    expect(result.text).toBe(lines('services:', '  web:', '    image: x', '    user: "1000"'));
    expect(result.skipped).toEqual(['web user: 2000: conflicts with another change that sets user: "1000"']);
  });

  it('a value with a tag in front, which is kept', () => {
    const result = run(lines('services:', '  web:', '    tmpfs: !!str /run', '    read_only: !!bool false'), {web: [readOnly(), tmpfs('/tmp')]});
    expect(result.text).toBe(lines('services:', '  web:', '    tmpfs: !!str /run', '    read_only: !!bool true'));
    expect(result.skipped).toEqual(['web /tmp: its tmpfs value has a tag or anchor in front; not rewritten']);
  });

  it('a named volume when the top-level volumes: is an alias', () => {
    const text = lines('x-v: &v', '  a: {}', 'services:', '  web:', '    image: x', 'volumes: *v');
    const result = run(text, {web: [volume('data', '/data'), readOnly()]});
    expect(result.text).toBe(lines('x-v: &v', '  a: {}', 'services:', '  web:', '    image: x', '    read_only: true', 'volumes: *v'));
    expect(result.skipped).toEqual(['web /data: the top-level volumes: is not a mapping, so a named volume cannot be declared there']);
  });
});

describe('patchCompose writes', () => {
  it('into empty values', () => {
    const result = run(lines('services:', '  web:', '    image: x', '    read_only:', '    tmpfs:', '    cap_drop: ~', 'volumes:'), {web: [readOnly(), tmpfs('/tmp'), capDropAll(), volume('data', '/data')]});
    expect(result.text).toBe(lines('services:', '  web:', '    image: x', '    read_only: true', '    tmpfs:', '      - /tmp', '    cap_drop:', '      - ALL', '    volumes:', '      - data:/data', 'volumes:', '  data:'));
  });

  it('indentless lists when the file writes them so', () => {
    const result = run(lines('services:', '  web:', '    image: x', '    ports:', '    - 80:80'), {web: [tmpfs('/tmp'), capDropAll()]});
    expect(result.text).toBe(lines('services:', '  web:', '    image: x', '    ports:', '    - 80:80', '    tmpfs:', '    - /tmp', '    cap_drop:', '    - ALL'));
  });

  it('before a document end marker', () => {
    const result = run(lines('---', 'services:', '  web:', '    image: x', '...'), {web: [volume('data', '/data')]});
    expect(result.text).toBe(lines('---', 'services:', '  web:', '    image: x', '    volumes:', '      - data:/data', 'volumes:', '  data:', '...'));
  });

  it('nothing when the setting is already in effect in another spelling', () => {
    const text = lines('services:', '  a:', '    security_opt: [no-new-privileges]', '  c:', '    cap_drop: [all]', '    user: 1000');
    expect(run(text, {a: [noNewPrivileges()], c: [capDropAll(), runAs('1000')]})).toEqual({text, skipped: []});
  });

  it('no-new-privileges=false turned on in place', () => {
    const result = run(lines('services:', '  b:', '    security_opt:', '      - no-new-privileges=false', '      - label:disable'), {b: [noNewPrivileges()]});
    expect(result.text).toBe(lines('services:', '  b:', '    security_opt:', '      - no-new-privileges:true', '      - label:disable'));
  });

  it('after a kept block scalar, not into it', () => {
    const result = run(lines('services:', '  web:', '    command: |+', '      echo hi', '', '  db:', '    image: y'), {web: [readOnly()]});
    expect(result.text).toBe(lines('services:', '  web:', '    command: |+', '      echo hi', '', '    read_only: true', '  db:', '    image: y'));
  });

  it('into multi-line flow lists and flow mappings with trailing commas', () => {
    expect(run(lines('services:', '  web:', '    tmpfs: [', '      /run, # the run dir', '    ]'), {web: [tmpfs('/tmp')]}).text)
      .toBe(lines('services:', '  web:', '    tmpfs: [', '      /run, /tmp, # the run dir', '    ]'));
    expect(run(lines('services:', '  web: {image: x,}'), {web: [readOnly(), tmpfs('/tmp')]}).text).toBe(lines('services:', '  web: {image: x, read_only: true, tmpfs: [/tmp],}'));
  });

  it('JSON style into a JSON file', () => {
    const result = run('{"services": {"web": {"image": "x"}}}\n', {web: [readOnly(), tmpfs('/tmp'), volume('data', '/data')]});
    expect(result.text).toBe('{"services": {"web": {"image": "x", "read_only": true, "tmpfs": ["/tmp"], "volumes": ["data:/data"]}}, "volumes": {"data": {}}}\n');
  });

  it('own copies of lists merged from several anchors', () => {
    const text = lines('x-a: &a', '  tmpfs: [/run]', 'x-b: &b', '  cap_drop: [NET_RAW]', 'services:', '  web:', '    <<: [*a, *b]', '    image: x');
    expect(run(text, {web: [tmpfs('/tmp'), capDropAll()]}).text).toBe(`${text}${lines('    tmpfs:', '      - /run', '      - /tmp', '    cap_drop:', '      - NET_RAW', '      - ALL')}`);
  });

  it('merged long-syntax volumes copied, re-indented in block style and as JSON in flow style', () => {
    const text = lines('x-a: &a', '  volumes:', '    - type: bind', '      source: ./conf', '      target: /conf', 'services:', '  web:', '    <<: *a', '  web2: {<<: *a, image: y}');
    expect(run(text, {web: [volume('data', '/data')], web2: [volume('data', '/data')]}).text).toBe(lines(
      'x-a: &a', '  volumes:', '    - type: bind', '      source: ./conf', '      target: /conf', 'services:', '  web:', '    <<: *a',
      '    volumes:', '      - type: bind', '        source: ./conf', '        target: /conf', '      - data:/data',
      '  web2: {<<: *a, image: y, volumes: [{"type":"bind","source":"./conf","target":"/conf"}, "data:/data"]}',
      'volumes:', '  data:',
    ));
  });

  it('after commented-out lines of the last value, before shallower comments', () => {
    const text = lines('services:', '  web:', '    ports:', '      - 80:80', '      # - 443:443', '    # healthcheck:', '', '# end');
    expect(run(text, {web: [readOnly()]}).text).toBe(lines('services:', '  web:', '    ports:', '      - 80:80', '      # - 443:443', '    read_only: true', '    # healthcheck:', '', '# end'));
  });

  it('a service extending this same file by name like any same-file extends', () => {
    const text = lines('services:', '  base:', '    read_only: true', '  web:', '    extends:', '      file: ./compose.yaml', '      service: base');
    expect(run(text, {web: [readOnly(), tmpfs('/tmp')]}).text).toBe(`${text}${lines('    tmpfs:', '      - /tmp')}`);
  });
});
