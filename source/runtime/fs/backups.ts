import {mkdir, readdir, readFile, rename, rm, writeFile} from 'node:fs/promises';
import {basename, dirname, join, resolve} from 'node:path';
import {UserError} from '../../core/model/errors.js';
import {isCode, readFileIfExists, sha256, writeFileAtomic, type ExistingFile} from './atomic-write.js';

/** One file in a backup, as `manifest.json` records it. */
export interface BackupFile {
  /** Path relative to the project directory, `/`-separated. */
  file: string;
  /** False when the fix created the file: undo deletes it. */
  existed: boolean;
  /** Name of the copy of the original bytes inside the backup directory; only when `existed`. */
  backup?: string;
  /** Permission bits of the original; only when `existed`. */
  mode?: number;
  /** sha256 of the original bytes; only when `existed`. */
  sha256Before?: string;
  /** sha256 of the bytes the fix wrote: undo refuses to overwrite anything else. */
  sha256After: string;
}

/** `manifest.json` of a backup. It is written last, so a directory without one is an unfinished backup. */
export interface BackupManifest {
  /** Directory name: ISO timestamp (colons as dashes) and a counter, so names sort by time. */
  id: string;
  /** ISO timestamp. */
  createdAt: string;
  tool: {name: string; version: string};
  /** Absolute project directory when the backup was made; restore uses the directory it is given. */
  cwd: string;
  files: BackupFile[];
}

/** A complete backup found on disk. */
export interface Backup {
  id: string;
  /** Absolute path of the backup directory. */
  dir: string;
  manifest: BackupManifest;
}

/** A file about to be written, as `createBackup` takes it. */
export interface BackupEntry {
  /** Path relative to the project directory, `/`-separated. */
  file: string;
  /** The file as it is now; absent when the write creates it. */
  before?: ExistingFile;
  /** The bytes that will be written. */
  after: Uint8Array;
}

/** Where a file stands against its backup: `ready` to restore, `done` already as before the fix, or edited since. */
export type FileState = 'ready' | 'done' | 'changed' | 'deleted';

/** What undo did to one file. */
export interface RestoredFile {
  file: string;
  action: 'restored' | 'removed';
}

const undone = '.undone';

/** `<cwd>/.harden/backups` */
export function backupsDir(cwd: string): string {
  return join(cwd, '.harden', 'backups');
}

/** Saves the original bytes and mode of each entry, and the manifest last. On failure nothing is left behind. */
export async function createBackup(cwd: string, entries: readonly BackupEntry[], options: {version: string}): Promise<Backup> {
  const root = backupsDir(cwd);
  await mkdir(root, {recursive: true});
  await writeFile(join(cwd, '.harden', '.gitignore'), '*\n', {flag: 'wx'}).catch(error => {
    if (!isCode(error, 'EEXIST')) throw error;
  });
  const {id, dir, createdAt} = await reserve(root);
  try {
    const files: BackupFile[] = [];
    for (const [index, entry] of entries.entries()) {
      const {before} = entry;
      if (!before) {
        files.push({file: entry.file, existed: false, sha256After: sha256(entry.after)});
        continue;
      }
      const backup = `${String(index).padStart(3, '0')}-${basename(entry.file)}.orig`;
      await writeFileAtomic(join(dir, backup), before.bytes, {mode: 0o600});
      files.push({file: entry.file, existed: true, backup, mode: before.mode, sha256Before: sha256(before.bytes), sha256After: sha256(entry.after)});
    }
    const manifest: BackupManifest = {id, createdAt, tool: {name: 'harden-wizard', version: options.version}, cwd, files};
    await writeFileAtomic(join(dir, 'manifest.json'), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), {mode: 0o600});
    return {id, dir, manifest};
  } catch (error) {
    await rm(dir, {recursive: true, force: true}).catch(() => undefined);
    throw error;
  }
}

async function reserve(root: string): Promise<{id: string; dir: string; createdAt: string}> {
  const createdAt = new Date().toISOString();
  const stamp = createdAt.replace(/:/g, '-'); // colons are not allowed in Windows file names
  for (let counter = 0; counter < 1000; counter++) {
    const id = `${stamp}-${String(counter).padStart(3, '0')}`;
    const dir = join(root, id);
    if ((await readdir(root)).includes(id + undone)) continue;
    try {
      await mkdir(dir, {mode: 0o700});
      return {id, dir, createdAt};
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
  }
  throw new Error(`cannot choose a backup name in ${root}: 1000 backups in the same millisecond`);
}

/** Backups not yet undone, oldest first. Unfinished ones (no manifest) are left out; a damaged manifest is an error. */
export async function listBackups(cwd: string): Promise<Backup[]> {
  const root = backupsDir(cwd);
  let names: string[];
  try {
    names = await readdir(root);
  } catch (error) {
    if (isCode(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  }
  const backups: Backup[] = [];
  for (const id of names.sort()) {
    if (id.endsWith(undone)) continue;
    const dir = join(root, id);
    let text: string;
    try {
      text = await readFile(join(dir, 'manifest.json'), 'utf8');
    } catch (error) {
      if (isCode(error, 'ENOENT', 'ENOTDIR')) continue;
      throw error;
    }
    const manifest = parseManifest(text);
    if (manifest?.id !== id) throw new UserError(`backup ${id} is damaged: its manifest.json cannot be read`, `restore it by hand from ${dir}, then delete that directory`);
    backups.push({id, dir, manifest});
  }
  return backups;
}

/** The newest backup not yet undone. */
export async function latestBackup(cwd: string): Promise<Backup | undefined> {
  return (await listBackups(cwd)).at(-1);
}

/** Compares each file of the backup with what is on disk now. Changes nothing. */
export async function checkBackup(cwd: string, backup: Backup): Promise<Array<{entry: BackupFile; state: FileState}>> {
  const result = [];
  for (const entry of backup.manifest.files) {
    const current = await readFileIfExists(resolve(cwd, entry.file));
    const hash = current && sha256(current.bytes);
    let state: FileState;
    if (!entry.existed) state = !current ? 'done' : hash === entry.sha256After ? 'ready' : 'changed';
    else if (!current) state = 'deleted';
    else if (hash === entry.sha256After) state = 'ready';
    else if (hash === entry.sha256Before) state = current.mode === entry.mode ? 'done' : 'ready';
    else state = 'changed';
    result.push({entry, state});
  }
  return result;
}

/**
 * Puts every file back as it was before the fix, byte for byte and with its mode, and deletes
 * the files the fix created. Checks every file first: when one was edited since the fix, nothing
 * is touched unless `force`. Files already as before are skipped, so an interrupted undo can be
 * run again. The backup is then kept as `<id>.undone`, so it is never applied twice.
 */
export async function restoreBackup(cwd: string, backup: Backup, options: {force?: boolean} = {}): Promise<RestoredFile[]> {
  const states = await checkBackup(cwd, backup);
  const edited = states.filter(s => s.state === 'changed' || s.state === 'deleted');
  if (edited.length > 0 && !options.force) {
    const names = edited.map(s => (s.state === 'deleted' ? `${s.entry.file} (deleted)` : s.entry.file)).join(', ');
    throw new UserError(
      `${names} ${edited.length === 1 ? 'was' : 'were'} edited since harden fix wrote ${edited.length === 1 ? 'it' : 'them'}; undo would lose those edits`,
      'review the edits, then run "harden undo --force" to restore the backup anyway',
    );
  }
  const originals = new Map<BackupFile, Buffer>();
  for (const {entry} of states) if (entry.existed) originals.set(entry, await readOriginal(backup, entry));
  const done: RestoredFile[] = [];
  for (const {entry, state} of states) {
    const path = resolve(cwd, entry.file);
    if (!entry.existed) {
      await rm(path, {force: true});
      done.push({file: entry.file, action: 'removed'});
      continue;
    }
    if (state !== 'done') {
      await mkdir(dirname(path), {recursive: true});
      await writeFileAtomic(path, originals.get(entry)!, {mode: entry.mode!});
    }
    done.push({file: entry.file, action: 'restored'});
  }
  await rename(backup.dir, backup.dir + undone);
  return done;
}

async function readOriginal(backup: Backup, entry: BackupFile): Promise<Buffer> {
  const damaged = (why: string) => new UserError(`backup ${backup.id} is damaged: ${why}`, `nothing was restored; the backup is in ${backup.dir}`);
  let bytes: Buffer;
  try {
    bytes = await readFile(join(backup.dir, entry.backup!));
  } catch (error) {
    throw damaged(`cannot read the copy of ${entry.file}: ${(error as Error).message}`);
  }
  if (sha256(bytes) !== entry.sha256Before) throw damaged(`the copy of ${entry.file} does not match its checksum`);
  return bytes;
}

function parseManifest(text: string): BackupManifest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const m = value as Partial<BackupManifest> | null;
  if (typeof m?.id !== 'string' || typeof m.createdAt !== 'string' || !Array.isArray(m.files)) return undefined;
  const fileOk = (f: Partial<BackupFile>) =>
    typeof f?.file === 'string' && typeof f.sha256After === 'string' &&
    (f.existed === false || (f.existed === true && typeof f.backup === 'string' && f.backup === basename(f.backup) &&
      !f.backup.startsWith('.') && typeof f.mode === 'number' && typeof f.sha256Before === 'string'));
  return m.files.every(fileOk) ? (m as BackupManifest) : undefined;
}
