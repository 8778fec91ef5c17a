import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {PlannedChange} from '../../../../source/core/model/plan.js';
import {patchCompose, type ComposePatchResult} from '../../../../source/core/patch/compose/index.js';
import {capDropAll, changes, hardening, noNewPrivileges, readOnly, runAs, tmpfs, volume} from './make.js';

/*
 * Golden files: test/fixtures/patch/compose/<case>/{input,expected}.yaml, compared byte
 * for byte. UPDATE_GOLDEN=1 rewrites the expected files; review the diff before committing.
 */

const root = 'test/fixtures/patch/compose';

interface Case {
  name: string;
  changes: Map<string, PlannedChange[]>;
  /** `service what: reason` of each skipped change. */
  skipped?: string[];
}

const cases: Case[] = [
  {name: 'simple', changes: changes({frontend: [...hardening('101:101'), tmpfs('/var/cache/nginx')]})},
  {name: 'tmpfs-list', changes: changes({proxy: [tmpfs('/tmp', {mode: '1777', uid: 101, gid: 101}), tmpfs('/var/run'), tmpfs('/var/cache/nginx'), readOnly()]})},
  {name: 'tmpfs-scalar', changes: changes({app: [tmpfs('/tmp', {mode: '1777', sizeMiB: 256, exec: true}), readOnly()]})},
  {name: 'tmpfs-flow', changes: changes({worker: [tmpfs('/tmp'), tmpfs('/home/app/.cache', {uid: 1000, gid: 1000}), capDropAll()], cache: [tmpfs('/tmp'), noNewPrivileges()]})},
  {
    name: 'volumes-existing',
    changes: changes({db: [volume('db-data', '/var/lib/postgresql/data'), tmpfs('/var/run/postgresql'), volume('backups', '/backups'), readOnly(), runAs('999:999')]}),
  },
  {name: 'volumes-no-top', changes: changes({grafana: [volume('grafana-data', '/var/lib/grafana'), tmpfs('/tmp'), readOnly()]})},
  {name: 'comments', changes: changes({web: hardening(), db: [volume('db', '/var/lib/postgresql/data'), tmpfs('/run/postgresql'), tmpfs('/tmp'), readOnly()]})},
  {name: 'indent-4', changes: changes({web: [...hardening('node'), tmpfs('/home/node/.npm')], mongo: [readOnly(), tmpfs('/tmp'), volume('mongo-data', '/data/db'), volume('mongo-config', '/data/configdb')]})},
  {name: 'quoted-keys', changes: changes({'web-app': [readOnly(), tmpfs('/tmp')], 'api.v2': [runAs('10001:10001'), noNewPrivileges()]})},
  {name: 'merge-keys', changes: changes({web: [readOnly(), tmpfs('/tmp'), noNewPrivileges()], worker: [readOnly(), volume('celery-state', '/var/lib/celery')]})},
  {name: 'extends-same-file', changes: changes({base: [readOnly(), tmpfs('/tmp'), capDropAll()], web: [readOnly(), tmpfs('/tmp'), capDropAll(), tmpfs('/var/cache/app')], admin: [readOnly(), capDropAll()]})},
  {
    name: 'extends-other-file',
    changes: changes({web: [readOnly(), tmpfs('/tmp')], cache: [readOnly(), tmpfs('/data')]}),
    skipped: [
      'web read_only: true: extends another file (../common/compose.base.yaml); fix the base service there',
      'web /tmp: extends another file (../common/compose.base.yaml); fix the base service there',
    ],
  },
  {
    name: 'override-tags',
    changes: changes({
      web: [readOnly(), runAs('10001:10001'), tmpfs('/tmp', {mode: '1777'}), volume('web-cache', '/app/cache'), noNewPrivileges(), capDropAll()],
      worker: [readOnly(), tmpfs('/tmp'), noNewPrivileges()],
      cache: [readOnly(), volume('cache-data', '/data'), noNewPrivileges()],
    }),
  },
  {name: 'flow-service', changes: changes({redis: hardening('999:999'), empty: [readOnly()], proxy: [readOnly()], mq: [tmpfs('/tmp'), volume('mq', '/var/lib/rabbitmq'), volume('mq-logs', '/var/log/rabbitmq')]})},
];

function read(name: string, file: string): string {
  return readFileSync(join(root, name, file), 'utf8');
}

function patch(name: string, text: string, planned: Map<string, PlannedChange[]>): ComposePatchResult {
  const out = patchCompose(`${name}/compose.yaml`, text, planned);
  if (!out.ok) throw new Error(`${out.error.file}:${out.error.line}: ${out.error.message}`);
  return out.result;
}

function described(result: ComposePatchResult): string[] {
  return result.skipped.map(s => `${s.service} ${s.what}: ${s.reason}`);
}

describe('patchCompose golden files', () => {
  it.each(cases)('$name', ({name, changes: planned, skipped}) => {
    const input = read(name, 'input.yaml');
    const result = patch(name, input, planned);
    const expectedFile = join(root, name, 'expected.yaml');
    if (process.env.UPDATE_GOLDEN) writeFileSync(expectedFile, result.text);
    expect(result.text).toBe(read(name, 'expected.yaml'));
    expect(described(result)).toEqual(skipped ?? []);
    // Idempotence: fixing the fixed file changes nothing.
    expect(patch(name, result.text, planned).text).toBe(result.text);
  });

  it.each(cases)('$name with CRLF line endings keeps CRLF everywhere', ({name, changes: planned}) => {
    const crlf = (text: string) => text.replaceAll('\n', '\r\n');
    const result = patch(name, crlf(read(name, 'input.yaml')), planned);
    expect(result.text).toBe(crlf(read(name, 'expected.yaml')));
    expect(result.text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it.each(cases)('$name without a final newline adds none', ({name, changes: planned}) => {
    const result = patch(name, read(name, 'input.yaml').replace(/\n$/, ''), planned);
    expect(result.text).toBe(read(name, 'expected.yaml').replace(/\n$/, ''));
  });

  it.each(cases)('$name with no changes is byte-identical', ({name}) => {
    const input = read(name, 'input.yaml');
    expect(patch(name, input, new Map()).text).toBe(input);
    expect(patch(name, input, changes({})).text).toBe(input);
  });
});
