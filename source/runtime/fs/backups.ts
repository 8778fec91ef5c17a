import {mkdir, readdir, readFile, rm} from 'node:fs/promises';
import {homedir} from 'node:os';
import {basename, join} from 'node:path';
import {isCode, sha256, writeFileAtomic, type ExistingFile} from './atomic-write.js';
import {ensureHardenDir} from './harden-dir.js';
import {backupIdPattern} from './leftovers.js';
import {parseManifest, type BackupFile, type BackupManifest} from './manifest.js';

export type {BackupFile, BackupManifest} from './manifest.js';

/*
 * Backups of what `harden fix` overwrote, so that `harden undo` can put every byte back.
 * Project files are backed up in `<project>/.harden/backups`. A file outside the project
 * (only ever the engine's daemon.json, named by the person with --daemon-json or
 * --daemon-config) is backed up in the user's own state folder: a project's `.harden` is
 * untrusted, so nothing read from it may name a path outside the project.
 */

/** Where a backup is kept. */
export interface BackupStore {
  /** The folder that holds one folder per backup. */
  dir: string;
  /** True for the user's store of files outside projects (absolute paths). */
  host: boolean;
}

/** A complete backup found on disk. */
export interface Backup {
  id: string;
  /** Absolute path of the backup directory. */
  dir: string;
  manifest: BackupManifest;
  host: boolean;
}

/** A backup folder that cannot be used, and why. */
export interface UnusableBackup {
  id: string;
  dir: string;
  kind: 'damaged' | 'foreign';
  problem: string;
}

/** A file about to be written, as `createBackup` takes it. */
export interface BackupEntry {
  /** Project-relative (`/`-separated, checked by the caller) or, in the host store, absolute. */
  file: string;
  /** The file as it is now; absent when the write creates it. */
  before?: ExistingFile;
  /** The bytes that will be written. */
  after: Uint8Array;
}

/** The suffix of an undone backup's folder. */
export const undone = '.undone';

/** The project's store: `<root>/.harden/backups`. */
export function projectStore(root: string): BackupStore {
  return {dir: join(root, '.harden', 'backups'), host: false};
}

/** The user's store of backups of files outside projects: `$HARDEN_STATE_DIR` or `$XDG_STATE_HOME/harden-wizard` (`~/.local/state/harden-wizard`). */
export function hostStore(env: Readonly<Record<string, string | undefined>> = process.env): BackupStore {
  const state = env['HARDEN_STATE_DIR'] || join(env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state'), 'harden-wizard');
  return {dir: join(state, 'backups'), host: true};
}

/** Saves the original bytes and mode of each entry, and the manifest last. On failure nothing is left behind. */
export async function createBackup(store: BackupStore, cwd: string, entries: readonly BackupEntry[], options: {version: string; createdDirs?: readonly string[]}): Promise<Backup> {
  if (store.host) await mkdir(store.dir, {recursive: true, mode: 0o700});
  else await ensureHardenDir(cwd);
  const {id, dir, createdAt} = await reserve(store.dir);
  try {
    const files: BackupFile[] = [];
    for (const [index, entry] of entries.entries()) {
      const {before} = entry;
      if (!before) {
        files.push({file: entry.file, existed: false, sha256After: sha256(entry.after)});
        continue;
      }
      const backup = `${String(index).padStart(3, '0')}-${basename(entry.file).slice(0, 200)}.orig`;
      await writeFileAtomic(join(dir, backup), before.bytes, {mode: 0o600});
      files.push({file: entry.file, existed: true, backup, mode: before.mode, sha256Before: sha256(before.bytes), sha256After: sha256(entry.after)});
    }
    const manifest: BackupManifest = {id, createdAt, tool: {name: 'harden-wizard', version: options.version}, cwd, files};
    if (options.createdDirs && options.createdDirs.length > 0) manifest.createdDirs = [...options.createdDirs];
    await writeFileAtomic(join(dir, 'manifest.json'), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), {mode: 0o600});
    return {id, dir, manifest, host: store.host};
  } catch (error) {
    await rm(dir, {recursive: true, force: true}).catch(() => undefined);
    throw error;
  }
}

async function reserve(root: string): Promise<{id: string; dir: string; createdAt: string}> {
  const createdAt = new Date().toISOString();
  const stamp = createdAt.replace(/:/g, '-'); // colons are not allowed in Windows file names
  const taken = new Set(await readdir(root));
  for (let counter = 0; counter < 1000; counter++) {
    const id = `${stamp}-${String(counter).padStart(3, '0')}`;
    if (taken.has(id + undone)) continue;
    const dir = join(root, id);
    try {
      await mkdir(dir, {mode: 0o700});
      return {id, dir, createdAt};
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
  }
  throw new Error(`cannot choose a backup name in ${root}: 1000 backups in the same millisecond`);
}

/**
 * The backups of the project at `root` not yet undone, oldest first: its own, and the host
 * store's made from this project. Unfinished ones (no manifest) are left out; damaged and
 * foreign ones are listed as unusable, in their place in time.
 */
export async function listBackups(root: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<Array<Backup | UnusableBackup>> {
  const found = [...(await readStore(projectStore(root), root)), ...(await readStore(hostStore(env), root))];
  return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** True for a backup that can be checked and restored. */
export function isUsable(backup: Backup | UnusableBackup): backup is Backup {
  return 'manifest' in backup;
}

async function readStore(store: BackupStore, root: string): Promise<Array<Backup | UnusableBackup>> {
  let names: string[];
  try {
    names = await readdir(store.dir);
  } catch (error) {
    if (isCode(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  }
  const result: Array<Backup | UnusableBackup> = [];
  for (const id of names) {
    if (!backupIdPattern.test(id)) continue;
    const dir = join(store.dir, id);
    let text: string;
    try {
      text = await readFile(join(dir, 'manifest.json'), 'utf8');
    } catch (error) {
      if (isCode(error, 'ENOENT', 'ENOTDIR') || store.host) continue;
      result.push({id, dir, kind: 'damaged', problem: `its manifest.json cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`});
      continue;
    }
    const parsed = parseManifest(text, id, store.host);
    // The host store serves every project: only the backups made from this one are its.
    if (!parsed.ok) {
      if (!store.host) result.push({id, dir, kind: parsed.kind, problem: parsed.problem});
    } else if (!store.host || parsed.manifest.cwd === root) result.push({id, dir, manifest: parsed.manifest, host: store.host});
  }
  return result;
}
