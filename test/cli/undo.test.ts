import {mkdir, mkdtemp, readFile, realpath, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {FilePatch, Plan} from '../../source/core/model/plan.js';
import {applyPlan} from '../../source/runtime/fs/apply-plan.js';
import {sha256} from '../../source/runtime/fs/atomic-write.js';
import {harden} from '../support/cli.js';

// Runs the built CLI (`npm test` builds first).

let cwd: string;
const compose = 'services:\r\n  web:\r\n    image: nginx\r\n';
beforeEach(async () => {
  cwd = await realpath(await mkdtemp(join(tmpdir(), 'harden-undo-')));
  await mkdir(join(cwd, 'k8s'));
  await writeFile(join(cwd, 'compose.yaml'), compose);
});
afterEach(async () => {
  await rm(cwd, {recursive: true, force: true});
});

/** Applies a fix as `harden fix --yes` would: compose.yaml patched, a PVC manifest created. */
async function fix(): Promise<string> {
  const files: FilePatch[] = [
    {file: 'compose.yaml', sha256: sha256(Buffer.from(compose)), bom: false, text: `${compose}    read_only: true\r\n`, created: false},
    {file: 'k8s/web-logs-pvc.yaml', bom: false, text: 'kind: PersistentVolumeClaim\n', created: true},
  ];
  const plan: Plan = {tool: {name: 'harden-wizard', version: '0.0.0-test'}, cwd, targets: [], files, errors: []};
  const {backupId} = await applyPlan(plan, {version: '0.0.0-test'});
  return backupId!;
}

describe('harden undo', () => {
  it('--list shows what would be restored and changes nothing', async () => {
    const id = await fix();
    const result = await harden(['undo', '--list'], cwd);
    expect(result).toMatchObject({code: 0, stderr: ''});
    expect(result.stdout).toMatch(new RegExp(`^backup ${id}, made \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z by harden-wizard 0\\.0\\.0-test; harden undo would:\n`));
    expect(result.stdout).toContain('\n  restore compose.yaml\n  remove  k8s/web-logs-pvc.yaml\n');
    expect(await readFile(join(cwd, 'compose.yaml'), 'utf8')).toContain('read_only');
    expect(await readFile(join(cwd, 'k8s/web-logs-pvc.yaml'), 'utf8')).toBe('kind: PersistentVolumeClaim\n');
  });

  it('restores the files, prints one line each, and a second undo has nothing to undo', async () => {
    await fix();
    const first = await harden(['undo'], cwd);
    expect(first).toEqual({code: 0, stdout: 'restored compose.yaml\nremoved k8s/web-logs-pvc.yaml\n', stderr: ''});
    expect(await readFile(join(cwd, 'compose.yaml'), 'utf8')).toBe(compose);
    await expect(readFile(join(cwd, 'k8s/web-logs-pvc.yaml'))).rejects.toMatchObject({code: 'ENOENT'});

    const second = await harden(['undo'], cwd);
    expect(second.code).toBe(2);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(new RegExp(`^harden: nothing to undo in ${cwd.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n  \\S`));
  });

  it('refuses when a file was edited since the fix, until --force', async () => {
    await fix();
    await writeFile(join(cwd, 'compose.yaml'), 'edited by hand\n');
    const refused = await harden(['undo'], cwd);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^harden: compose\.yaml was edited since harden fix wrote it/);
    expect(refused.stderr).toContain('harden undo --force');
    expect(await readFile(join(cwd, 'compose.yaml'), 'utf8')).toBe('edited by hand\n');
    expect((await harden(['undo', '--list'], cwd)).stdout).toContain('restore compose.yaml (edited since the fix: needs --force)');

    const forced = await harden(['undo', '--force'], cwd);
    expect(forced).toMatchObject({code: 0, stdout: 'restored compose.yaml\nremoved k8s/web-logs-pvc.yaml\n'});
    expect(await readFile(join(cwd, 'compose.yaml'), 'utf8')).toBe(compose);
  });

  it('says there is nothing to undo where no fix was applied, and rejects unknown flags', async () => {
    const list = await harden(['undo', '--list'], cwd);
    expect(list.code).toBe(2);
    expect(list.stderr).toContain(`harden: nothing to undo in ${cwd}\n`);
    const bad = await harden(['undo', '--all'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^harden: Unknown option '--all'/);
  });
});
