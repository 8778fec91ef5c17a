import {lstat, mkdir, readFile, rename, rm} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {UserError} from '../../core/model/errors.js';
import {printableName} from '../../core/project-file.js';
import {isCode, sha256, writeFileAtomic} from './atomic-write.js';
import {undone, type Backup, type BackupFile} from './backups.js';
import {confinedPath} from './confine.js';
import {locateDirs, removeEmptyDirs} from './created-dirs.js';
import {ensureHardenDir} from './harden-dir.js';
import {safeMode} from './manifest.js';

/** Where a file stands against its backup: `ready` to restore, `done` already as before the fix, or edited since. */
export type FileState = 'ready' | 'done' | 'changed' | 'deleted';

/** What undo did to one file. */
export interface RestoredFile {
  file: string;
  action: 'restored' | 'removed';
}

/** A file of the backup, where it is on disk, and how it stands. */
export interface CheckedFile {
  entry: BackupFile;
  path: string;
  state: FileState;
}

/**
 * Where an entry is on disk. Project entries are relative and are followed through no link
 * at all: harden recorded the real path when it wrote the file, so a link now in the way
 * was put there since, and undo does not write through it.
 */
async function locate(root: string, backup: Backup, entry: BackupFile): Promise<string> {
  return backup.host ? entry.file : confinedPath(root, entry.file, 'none');
}

/** The bytes of a regular file, undefined when there is none, 'other' for a directory, device or link. */
async function current(path: string): Promise<{bytes: Buffer; mode: number} | undefined | 'other'> {
  let info;
  try {
    info = await lstat(path);
  } catch (error) {
    if (isCode(error, 'ENOENT', 'ENOTDIR')) return undefined;
    throw error;
  }
  if (!info.isFile()) return 'other';
  return {bytes: await readFile(path), mode: info.mode & 0o7777};
}

/** Compares each file of the backup with what is on disk now. Changes nothing. */
export async function checkBackup(root: string, backup: Backup): Promise<CheckedFile[]> {
  const result: CheckedFile[] = [];
  for (const entry of backup.manifest.files) {
    const path = await locate(root, backup, entry);
    const now = await current(path);
    const hash = now && now !== 'other' ? sha256(now.bytes) : undefined;
    let state: FileState;
    if (now === 'other') state = 'changed';
    else if (!entry.existed) state = !now ? 'done' : hash === entry.sha256After ? 'ready' : 'changed';
    else if (!now) state = 'deleted';
    else if (hash === entry.sha256After) state = 'ready';
    else if (hash === entry.sha256Before) state = now.mode === safeMode(entry.mode!) ? 'done' : 'ready';
    else state = 'changed';
    result.push({entry, path, state});
  }
  return result;
}

/**
 * Puts every file back as it was before the fix, byte for byte and with its permission bits,
 * deletes the files the fix created, then the folders it created for them when they are
 * empty (a folder someone has added a file to is kept). Checks every file first: when one was edited since
 * the fix, nothing is touched unless `force`. Files already as before are skipped, so an
 * interrupted undo can be run again. The backup is then kept as `<id>.undone`, so it is
 * never applied twice.
 */
export async function restoreBackup(root: string, backup: Backup, options: {force?: boolean} = {}): Promise<RestoredFile[]> {
  const states = await checkBackup(root, backup);
  const edited = states.filter(s => s.state === 'changed' || s.state === 'deleted');
  if (edited.length > 0 && !options.force) {
    const names = edited.map(s => printableName(s.state === 'deleted' ? `${s.entry.file} (deleted)` : s.entry.file)).join(', ');
    throw new UserError(
      `${names} ${edited.length === 1 ? 'was' : 'were'} edited since harden fix wrote ${edited.length === 1 ? 'it' : 'them'}; undo would lose those edits`,
      'review the edits, then run "harden undo --force" to restore the backup anyway',
    );
  }
  const originals = new Map<BackupFile, Buffer>();
  for (const {entry} of states) if (entry.existed) originals.set(entry, await readOriginal(backup, entry));
  // Checked before anything changes: a folder reached through a link refuses the whole undo.
  const createdDirs = backup.host ? [] : (backup.manifest.createdDirs ?? []);
  await locateDirs(root, createdDirs);
  const tempDir = backup.host ? undefined : (await ensureHardenDir(root)).tmp;
  const done: RestoredFile[] = [];
  for (const {entry, path, state} of states) {
    if (!entry.existed) {
      if ((await current(path)) === 'other') throw new UserError(`${printableName(entry.file)} is no longer a file; undo removes only files`, 'move it away, then run harden undo again');
      await rm(path, {force: true});
      done.push({file: entry.file, action: 'removed'});
      continue;
    }
    if (state !== 'done') {
      if ((await current(path)) === 'other') throw new UserError(`${printableName(entry.file)} is no longer a file; undo writes only files`, 'move it away, then run harden undo again');
      await mkdir(dirname(path), {recursive: true});
      await writeFileAtomic(path, originals.get(entry)!, {mode: safeMode(entry.mode!), ...(tempDir ? {tempDir} : {})});
    }
    done.push({file: entry.file, action: 'restored'});
  }
  for (const dir of await removeEmptyDirs(root, createdDirs)) done.push({file: `${dir}/`, action: 'removed'});
  await rename(backup.dir, backup.dir + undone);
  return done;
}

async function readOriginal(backup: Backup, entry: BackupFile): Promise<Buffer> {
  const damaged = (why: string) => new UserError(`backup ${backup.id} is damaged: ${why}`, `nothing was restored; the backup is in ${backup.dir}`);
  let bytes: Buffer;
  try {
    const path = join(backup.dir, entry.backup!);
    if (!(await lstat(path)).isFile()) throw new Error('not a file');
    bytes = await readFile(path);
  } catch (error) {
    throw damaged(`cannot read the copy of ${printableName(entry.file)}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (sha256(bytes) !== entry.sha256Before) throw damaged(`the copy of ${printableName(entry.file)} does not match its checksum`);
  return bytes;
}
