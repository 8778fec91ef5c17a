import {chmod, mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {UserError} from '../../../source/core/model/errors.js';
import type {FilePatch, Plan} from '../../../source/core/model/plan.js';
import {applyPlan, encodePatch} from '../../../source/runtime/fs/apply-plan.js';
import {sha256, writeFileAtomic} from '../../../source/runtime/fs/atomic-write.js';
import {isUsable, listBackups, projectStore} from '../../../source/runtime/fs/backups.js';
import {restoreBackup} from '../../../source/runtime/fs/restore.js';

const backupsDir = (root: string) => projectStore(root).dir;
const latestBackup = async (root: string) => (await listBackups(root, {HARDEN_STATE_DIR: join(root, 'no-state')})).filter(isUsable).at(-1);

let cwd: string;
beforeEach(async () => {
  cwd = await realpath(await mkdtemp(join(tmpdir(), 'harden-apply-')));
  await mkdir(join(cwd, 'k8s'));
  await writeFile(join(cwd, 'compose.yaml'), 'services:\r\n  web:\r\n    image: nginx\r\n');
  await chmod(join(cwd, 'compose.yaml'), 0o640);
  await writeFile(join(cwd, 'Dockerfile'), Buffer.concat([bom, Buffer.from('FROM node:20\n')]));
  await writeFile(join(cwd, 'k8s/deployment.yaml'), 'kind: Deployment');
});
afterEach(async () => {
  await rm(cwd, {recursive: true, force: true});
});

const bom = Buffer.from([0xef, 0xbb, 0xbf]);

async function snapshot(root: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(root, {withFileTypes: true, recursive: true})) {
    const path = join(entry.parentPath, entry.name);
    const mode = ((await stat(path)).mode & 0o7777).toString(8);
    result[relative(root, path)] = entry.isDirectory() ? `dir ${mode}` : `${mode} ${sha256(await readFile(path))}`;
  }
  return result;
}

/** A patch as `harden fix` makes it: sha256 of the bytes it read, text without the BOM. */
async function patch(file: string, text: string): Promise<FilePatch> {
  const bytes = await readFile(join(cwd, file));
  const hasBom = bytes.subarray(0, 3).equals(bom);
  return {file, sha256: sha256(bytes), bom: hasBom, text, created: false};
}

const created = (file: string, text: string): FilePatch => ({file, bom: false, text, created: true});
const plan = (files: FilePatch[]): Plan => ({tool: {name: 'harden-wizard', version: '0.0.0-test'}, cwd, targets: [], files, errors: []});

describe('applyPlan', () => {
  it('writes every file, keeping CRLF, BOM and mode, creates new files, and undo restores the tree exactly', async () => {
    const before = await snapshot(cwd);
    const result = await applyPlan(plan([
      await patch('compose.yaml', 'services:\r\n  web:\r\n    image: nginx\r\n    read_only: true\r\n'),
      await patch('Dockerfile', 'FROM node:20\nUSER node\n'),
      created('k8s/volumes/web-logs-pvc.yaml', 'kind: PersistentVolumeClaim\n'),
    ]), {version: '9.9.9'});

    expect(result.written).toEqual(['compose.yaml', 'Dockerfile', 'k8s/volumes/web-logs-pvc.yaml']);
    expect(await readFile(join(cwd, 'compose.yaml'), 'utf8')).toBe('services:\r\n  web:\r\n    image: nginx\r\n    read_only: true\r\n');
    expect((await stat(join(cwd, 'compose.yaml'))).mode & 0o7777).toBe(0o640);
    expect((await readFile(join(cwd, 'Dockerfile'))).equals(Buffer.concat([bom, Buffer.from('FROM node:20\nUSER node\n')]))).toBe(true);
    expect(await readFile(join(cwd, 'k8s/volumes/web-logs-pvc.yaml'), 'utf8')).toBe('kind: PersistentVolumeClaim\n');

    const backup = await latestBackup(cwd);
    expect(backup?.id).toBe(result.backupId);
    expect(backup?.manifest.tool.version).toBe('9.9.9');
    // The folder made for the new file is recorded (k8s was there already), and undo removes it.
    expect(backup?.manifest.createdDirs).toEqual(['k8s/volumes']);
    await restoreBackup(cwd, backup!);
    const after = await snapshot(cwd);
    for (const key of Object.keys(after)) if (key.startsWith('.harden')) delete after[key];
    expect(after).toEqual(before);
  });

  it('records the folders the wizard\'s harden-host/ copies and nested new files create, and undo removes them deepest first', async () => {
    const before = await snapshot(cwd);
    const result = await applyPlan(plan([
      created('harden-host/daemon.json', '{}\n'),
      created('harden-host/README.md', '# host\n'),
      created('deploy/base/overlays/prod/pvc.yaml', 'kind: PersistentVolumeClaim\n'),
      created('k8s/pvc.yaml', 'kind: PersistentVolumeClaim\n'),
    ]), {version: '9.9.9'});
    const backup = await latestBackup(cwd);
    expect(backup?.id).toBe(result.backupId);
    expect(backup?.manifest.createdDirs).toEqual(['deploy', 'harden-host', 'deploy/base', 'deploy/base/overlays', 'deploy/base/overlays/prod']);
    const done = await restoreBackup(cwd, backup!);
    expect(done.filter(d => d.file.endsWith('/')).map(d => d.file)).toEqual(['deploy/base/overlays/prod/', 'deploy/base/overlays/', 'deploy/base/', 'harden-host/', 'deploy/']);
    const after = await snapshot(cwd);
    for (const key of Object.keys(after)) if (key.startsWith('.harden')) delete after[key];
    expect(after).toEqual(before);
  });

  it('removes the folders it made when a write fails and the plan is rolled back', async () => {
    const before = await snapshot(cwd);
    let calls = 0;
    const write = async (path: string, bytes: Uint8Array, options: object) => {
      if (++calls === 2) throw new Error('disk full');
      await writeFileAtomic(path, bytes, options);
    };
    await expect(applyPlan(plan([created('falco/rules.yaml', 'x\n'), created('signing/policy.yaml', 'y\n')]), {version: '9.9.9', write})).rejects.toThrow('disk full');
    const after = await snapshot(cwd);
    for (const key of Object.keys(after)) if (key.startsWith('.harden')) delete after[key];
    expect(after).toEqual(before);
  });

  it.each([
    ['without a BOM', Buffer.alloc(0)],
    ['with a BOM', bom],
  ])('writes bytes that were not UTF-8 back as they were (%s), and a patch that keeps them is no change', async (_name, head) => {
    const original = Buffer.concat([head, Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\r\nFROM node:20\r\n'), Buffer.from([0xed, 0xa0, 0x80])]);
    await writeFile(join(cwd, 'Dockerfile'), original);
    const text = '# caf\uDCE9\r\nFROM node:20\r\n\uDCED\uDCA0\uDC80';
    expect(await applyPlan(plan([await patch('Dockerfile', text)]), {version: '1'})).toEqual({written: [], backupId: undefined});
    expect(encodePatch({file: 'Dockerfile', bom: head.length > 0, text, created: false})).toEqual(original);

    await applyPlan(plan([await patch('Dockerfile', text.replace('FROM node:20', 'FROM node:22'))]), {version: '1'});
    expect(await readFile(join(cwd, 'Dockerfile'))).toEqual(Buffer.from(original.toString('latin1').replace('FROM node:20', 'FROM node:22'), 'latin1'));
  });

  it('refuses the whole plan when a file changed since it was read: nothing written, no backup', async () => {
    const patches = [await patch('compose.yaml', 'new compose\n'), await patch('Dockerfile', 'FROM node:22\n')];
    await writeFile(join(cwd, 'Dockerfile'), 'FROM node:20 # edited meanwhile\n');
    const before = await snapshot(cwd);
    const error = await applyPlan(plan(patches), {version: '1'}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe('Dockerfile changed since it was read; run harden fix again');
    expect(await snapshot(cwd)).toEqual(before);
  });

  it('refuses to create a file that already exists, and to patch one that is gone', async () => {
    const before = await snapshot(cwd);
    await expect(applyPlan(plan([await patch('compose.yaml', 'x\n'), created('k8s/deployment.yaml', 'y\n')]), {version: '1'}))
      .rejects.toThrow('k8s/deployment.yaml already exists');
    expect(await snapshot(cwd)).toEqual(before);
    const gone = await patch('compose.yaml', 'x\n');
    await rm(join(cwd, 'compose.yaml'));
    await expect(applyPlan(plan([gone]), {version: '1'})).rejects.toThrow('compose.yaml no longer exists');
  });

  it('skips a file whose bytes would not change, and makes no backup when nothing changes', async () => {
    const same = await patch('k8s/deployment.yaml', 'kind: Deployment');
    const sameWithBom = await patch('Dockerfile', 'FROM node:20\n');
    expect(await applyPlan(plan([same, sameWithBom]), {version: '1'})).toEqual({written: [], backupId: undefined});
    expect(await readdir(cwd)).not.toContain('.harden');

    const result = await applyPlan(plan([same, await patch('compose.yaml', 'services: {}\n')]), {version: '1'});
    expect(result.written).toEqual(['compose.yaml']);
    expect((await latestBackup(cwd))?.manifest.files.map(f => f.file)).toEqual(['compose.yaml']);
  });

  it('rolls back the files already written when a later write fails, drops the backup and rethrows', async () => {
    const before = await snapshot(cwd);
    const patches = [
      await patch('compose.yaml', 'services: {}\n'),
      created('k8s/web-logs-pvc.yaml', 'kind: PersistentVolumeClaim\n'),
      await patch('k8s/deployment.yaml', 'kind: Deployment\nspec: {}\n'),
      await patch('Dockerfile', 'FROM node:22\n'),
    ];
    const failing = join(cwd, 'k8s/deployment.yaml');
    const calls: string[] = [];
    // The third target turns into a directory just before it is written: the rename fails.
    const write = async (path: string, bytes: Uint8Array, options: {mode?: number}) => {
      calls.push(relative(cwd, path));
      if (path === failing) {
        await rm(path);
        await mkdir(path);
      }
      await writeFileAtomic(path, bytes, options);
    };
    await expect(applyPlan(plan(patches), {version: '1', write})).rejects.toMatchObject({code: 'EISDIR'});

    expect(calls).toEqual(['compose.yaml', 'k8s/web-logs-pvc.yaml', 'k8s/deployment.yaml']);
    const after = await snapshot(cwd);
    expect(after['k8s/deployment.yaml']).toMatch(/^dir/); // the test's doing, not the writer's
    delete after['k8s/deployment.yaml'];
    delete after['.harden'];
    delete after['.harden/.gitignore'];
    delete after['.harden/backups'];
    delete after['.harden/tmp'];
    delete before['k8s/deployment.yaml'];
    expect(after).toEqual(before);
    expect(await readdir(backupsDir(cwd))).toEqual([]);
    expect(await latestBackup(cwd)).toBeUndefined();
  });
});
