import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {AuditReport} from '../../source/core/model/finding.js';
import {harden} from '../support/cli.js';

/*
 * Issue 15: the audit proposed `postgres-postgresql` for postgres:18's data and fix wrote
 * `postgres-postgresql-2` (the tmpfs of /var/run/postgresql took the name first).
 */

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, {recursive: true, force: true});
});

async function project(file: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'harden-volume-names-'));
  dirs.push(dir);
  await writeFile(join(dir, file), text);
  return dir;
}

async function proposed(dir: string, path: string): Promise<string[]> {
  const report = JSON.parse((await harden(['audit', '.', '--format', 'json', '--fail-on', 'none'], dir)).stdout) as AuditReport;
  const finding = report.findings.find(f => f.rule === 'writable-path-unmounted' && f.path === path);
  expect(finding, path).toBeDefined();
  return [...finding!.message.matchAll(/(?:"|name: )(postgres-[a-z0-9-]+)/g)].map(m => m[1]!);
}

describe('the volume the audit proposes is the one fix writes', () => {
  it('in compose', async () => {
    const dir = await project('compose.yaml', 'services:\n  postgres:\n    image: postgres:18\n');
    const [name] = await proposed(dir, '/var/lib/postgresql');
    expect(name).toBe('postgres-postgresql');
    expect((await harden(['fix', '--yes'], dir)).code).toBe(0);
    const written = await readFile(join(dir, 'compose.yaml'), 'utf8');
    expect(written).toContain(`- ${name}:/var/lib/postgresql\n`);
    expect(written).toMatch(new RegExp(`^volumes:\\n  ${name}:`, 'm'));
  });

  it('in Kubernetes', async () => {
    const manifest = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n        - name: postgres\n          image: postgres:18\n';
    const dir = await project('db.yaml', manifest);
    const names = await proposed(dir, '/var/lib/postgresql');
    expect(names[0]).toBe('postgres-postgresql');
    expect((await harden(['fix', '--yes'], dir)).code).toBe(0);
    const written = await readFile(join(dir, 'db.yaml'), 'utf8');
    expect(written).toMatch(new RegExp(`- name: ${names[0]}\\n\\s+mountPath: /var/lib/postgresql\\n`));
  });

  it('in Kubernetes, when the pod has a volume of that name already', async () => {
    // A volume named as harden would name postgres:18's data, mounted elsewhere: the fix must take another name, and the audit must say that one.
    const manifest = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n        - name: postgres\n          image: postgres:18\n          volumeMounts:\n            - name: postgres-postgresql\n              mountPath: /etc/postgresql\n      volumes:\n        - name: postgres-postgresql\n          configMap: {name: pg-conf}\n';
    const dir = await project('db.yaml', manifest);
    const names = await proposed(dir, '/var/lib/postgresql');
    expect(names[0]).toBe('postgres-postgresql-2');
    expect((await harden(['fix', '--yes'], dir)).code).toBe(0);
    const written = await readFile(join(dir, 'db.yaml'), 'utf8');
    expect(written).toMatch(new RegExp(`- name: ${names[0]}\\n\\s+mountPath: /var/lib/postgresql\\n`));
    expect(written).toContain('            - name: postgres-postgresql\n              mountPath: /etc/postgresql\n');
  });
});
