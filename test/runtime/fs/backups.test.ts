import {chmod, mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join, relative} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {UserError} from '../../../source/core/model/errors.js';
import {readFileIfExists, sha256, writeFileAtomic} from '../../../source/runtime/fs/atomic-write.js';
import {createBackup, isUsable, listBackups as listAll, projectStore, type Backup} from '../../../source/runtime/fs/backups.js';
import {checkBackup, restoreBackup} from '../../../source/runtime/fs/restore.js';

let cwd: string;
let state: string;
beforeEach(async () => {
  cwd = await realpath(await mkdtemp(join(tmpdir(), 'harden-backups-')));
  state = await mkdtemp(join(tmpdir(), 'harden-state-'));
});
afterEach(async () => {
  await rm(cwd, {recursive: true, force: true});
  await rm(state, {recursive: true, force: true});
});

const backupsDir = (root: string) => projectStore(root).dir;
const listBackups = async (root: string) => (await listAll(root, {HARDEN_STATE_DIR: state})).filter(isUsable);
const latestBackup = async (root: string) => (await listBackups(root)).at(-1);

/** Every file and directory under `root` (but .harden) with its mode and sha256: equal snapshots mean identical trees. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(root, {withFileTypes: true, recursive: true})) {
    const path = join(entry.parentPath, entry.name);
    const rel = relative(root, path);
    if (rel === '.harden' || rel.startsWith('.harden/')) continue;
    const mode = ((await stat(path)).mode & 0o7777).toString(8);
    result[rel] = entry.isDirectory() ? `dir ${mode}` : `${mode} ${sha256(await readFile(path))}`;
  }
  return result;
}

const original: Record<string, {bytes: Buffer; mode: number}> = {
  'compose.yaml': {bytes: Buffer.from('services:\r\n  web:\r\n    image: nginx\r\n'), mode: 0o644},
  Dockerfile: {bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('FROM node:20\nCMD ["node"]\n')]), mode: 0o640},
  'k8s/deployment.yaml': {bytes: Buffer.from('kind: Deployment\nmetadata:\n  name: web'), mode: 0o644},
  'k8s/ünï cödé.yaml': {bytes: Buffer.from('note: "€ 😀 ñ"\n# ÿ\n', 'utf8'), mode: 0o755},
  'secrets.env': {bytes: Buffer.from('TOKEN=abc\n'), mode: 0o600},
  'blob.bin': {bytes: Buffer.from(Array.from({length: 256}, (_, i) => i)), mode: 0o644},
};

async function writeTree(): Promise<void> {
  for (const [file, {bytes, mode}] of Object.entries(original)) {
    await mkdir(dirname(join(cwd, file)), {recursive: true});
    await writeFile(join(cwd, file), bytes);
    await chmod(join(cwd, file), mode);
  }
}

/** What `harden fix` does: back up, then write every file (new bytes, a created one among them). */
async function fakeFix(changes: Record<string, string>, version = '1.2.3'): Promise<Backup> {
  const entries = [];
  for (const [file, text] of Object.entries(changes)) {
    const before = await readFileIfExists(join(cwd, file));
    entries.push({file, ...(before ? {before} : {}), after: Buffer.from(text)});
  }
  const backup = await createBackup(projectStore(cwd), cwd, entries, {version});
  for (const entry of entries) await writeFileAtomic(join(cwd, entry.file), entry.after);
  return backup;
}

const allChanged = () => ({
  ...Object.fromEntries(Object.keys(original).map(file => [file, `changed ${file}\r\n`])),
  'k8s/web-logs-pvc.yaml': 'kind: PersistentVolumeClaim\n',
});

describe('createBackup and restoreBackup', () => {
  it('restores a whole tree byte for byte, modes too, and removes the files the fix created', async () => {
    await writeTree();
    const before = await snapshot(cwd);
    const backup = await fakeFix(allChanged());
    expect(await snapshot(cwd)).not.toEqual(before);

    const done = await restoreBackup(cwd, backup);
    expect(await snapshot(cwd)).toEqual(before);
    expect(done).toEqual([
      ...Object.keys(original).map(file => ({file, action: 'restored'})),
      {file: 'k8s/web-logs-pvc.yaml', action: 'removed'},
    ]);
    expect(await readdir(backupsDir(cwd))).toEqual([`${backup.id}.undone`]);
    expect(await listBackups(cwd)).toEqual([]);
  });

  it('writes a manifest, the original bytes and a .gitignore that keeps .harden out of git', async () => {
    await writeTree();
    const backup = await fakeFix({'secrets.env': 'TOKEN=xyz\n', 'k8s/web-logs-pvc.yaml': 'kind: PersistentVolumeClaim\n'});
    expect(backup.id).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-000$/);
    expect(await readFile(join(cwd, '.harden', '.gitignore'), 'utf8')).toBe('*\n');
    const manifest = JSON.parse(await readFile(join(backup.dir, 'manifest.json'), 'utf8'));
    expect(manifest).toEqual({
      id: backup.id,
      createdAt: expect.stringMatching(/Z$/),
      tool: {name: 'harden-wizard', version: '1.2.3'},
      cwd,
      files: [
        {file: 'secrets.env', existed: true, backup: '000-secrets.env.orig', mode: 0o600, sha256Before: sha256(Buffer.from('TOKEN=abc\n')), sha256After: sha256(Buffer.from('TOKEN=xyz\n'))},
        {file: 'k8s/web-logs-pvc.yaml', existed: false, sha256After: sha256(Buffer.from('kind: PersistentVolumeClaim\n'))},
      ],
    });
    expect(await readFile(join(backup.dir, '000-secrets.env.orig'), 'utf8')).toBe('TOKEN=abc\n');
    expect((await stat(join(backup.dir, '000-secrets.env.orig'))).mode & 0o777).toBe(0o600);
  });

  it('refuses, touching nothing, when a file was edited since the fix; names it and offers --force', async () => {
    await writeTree();
    const backup = await fakeFix(allChanged());
    await writeFile(join(cwd, 'compose.yaml'), 'edited by hand\n');
    const edited = await snapshot(cwd);

    const error = await restoreBackup(cwd, backup).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('compose.yaml');
    expect((error as UserError).message).not.toContain('Dockerfile');
    expect((error as UserError).hint).toContain('--force');
    expect(await snapshot(cwd)).toEqual(edited);
    expect((await latestBackup(cwd))?.id).toBe(backup.id);
  });

  it('counts a deleted file, or an edited created file, as edited', async () => {
    await writeTree();
    const backup = await fakeFix(allChanged());
    await rm(join(cwd, 'Dockerfile'));
    await writeFile(join(cwd, 'k8s/web-logs-pvc.yaml'), 'mine now\n');
    await expect(restoreBackup(cwd, backup)).rejects.toThrow(/Dockerfile \(deleted\), k8s\/web-logs-pvc\.yaml were edited/);
    expect((await checkBackup(cwd, backup)).map(s => s.state)).toEqual(['ready', 'deleted', 'ready', 'ready', 'ready', 'ready', 'changed']);
  });

  it('with force, restores over edits and deletions', async () => {
    await writeTree();
    const before = await snapshot(cwd);
    const backup = await fakeFix(allChanged());
    await writeFile(join(cwd, 'compose.yaml'), 'edited by hand\n');
    await rm(join(cwd, 'k8s'), {recursive: true});
    await restoreBackup(cwd, backup, {force: true});
    expect(await snapshot(cwd)).toEqual(before);
  });

  it('skips files already as before, so an interrupted undo can be run again', async () => {
    await writeTree();
    const before = await snapshot(cwd);
    const backup = await fakeFix(allChanged());
    await writeFile(join(cwd, 'compose.yaml'), original['compose.yaml']!.bytes);
    await rm(join(cwd, 'k8s/web-logs-pvc.yaml'));
    expect((await checkBackup(cwd, backup)).map(s => s.state)).toEqual(['done', 'ready', 'ready', 'ready', 'ready', 'ready', 'done']);
    await restoreBackup(cwd, backup);
    expect(await snapshot(cwd)).toEqual(before);
  });

  it('refuses a damaged backup before touching anything', async () => {
    await writeTree();
    const backup = await fakeFix(allChanged());
    const fixed = await snapshot(cwd);
    await writeFile(join(backup.dir, '002-deployment.yaml.orig'), 'corrupted');
    await expect(restoreBackup(cwd, backup)).rejects.toThrow(/damaged: the copy of k8s\/deployment\.yaml/);
    expect(await snapshot(cwd)).toEqual(fixed);
  });
});

describe('listBackups and latestBackup', () => {
  it('list backups oldest first, leave out undone and unfinished ones, and the latest is undone first', async () => {
    await writeTree();
    expect(await listBackups(cwd)).toEqual([]);
    expect(await latestBackup(cwd)).toBeUndefined();
    const first = await fakeFix({'compose.yaml': 'one\n'});
    const second = await fakeFix({'compose.yaml': 'two\n', 'Dockerfile': 'FROM scratch\n'});
    await mkdir(join(backupsDir(cwd), '9999-unfinished'));
    expect(second.id > first.id).toBe(true);
    expect((await listBackups(cwd)).map(b => b.id)).toEqual([first.id, second.id]);
    expect((await latestBackup(cwd))?.manifest).toEqual(second.manifest);

    await restoreBackup(cwd, (await latestBackup(cwd))!);
    expect(await readFile(join(cwd, 'compose.yaml'), 'utf8')).toBe('one\n');
    await restoreBackup(cwd, (await latestBackup(cwd))!);
    expect((await readFile(join(cwd, 'compose.yaml'))).equals(original['compose.yaml']!.bytes)).toBe(true);
    expect(await latestBackup(cwd)).toBeUndefined();
  });

  it('list a damaged manifest as unusable in its place, rather than skip to an older backup', async () => {
    await writeTree();
    const first = await fakeFix({'compose.yaml': 'one\n'});
    const second = await fakeFix({'compose.yaml': 'two\n'});
    await writeFile(join(second.dir, 'manifest.json'), '{"id": ');
    const all = await listAll(cwd, {HARDEN_STATE_DIR: state});
    expect(all.map(b => [b.id, isUsable(b)])).toEqual([[first.id, true], [second.id, false]]);
    expect(all[1]).toMatchObject({kind: 'damaged', problem: 'its manifest.json is not JSON'});
  });
});
