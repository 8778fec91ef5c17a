import {lstat, mkdir, rm} from 'node:fs/promises';
import {dirname, isAbsolute, join, posix} from 'node:path';
import {UserError} from '../../core/model/errors.js';
import type {FilePatch, Plan} from '../../core/model/plan.js';
import {encodeUtf8} from '../../core/parse/utf8.js';
import {printableName} from '../../core/project-file.js';
import {isCode, readFileIfExists, sha256, writeFileAtomic, type ExistingFile, type WriteOptions} from './atomic-write.js';
import {createBackup, hostStore, projectStore, type BackupStore} from './backups.js';
import {confinedPath, projectRoot, relativeTo} from './confine.js';
import {removeEmptyDirs} from './created-dirs.js';
import {withProjectLock, type LockOptions} from './lock.js';

/** Options of {@link applyPlan}. */
export interface ApplyOptions {
  /** harden-wizard version, recorded in the backup manifest. */
  version: string;
  /** Writes one file; tests pass one that fails. Default {@link writeFileAtomic}. */
  write?: (path: string, bytes: Uint8Array, options: WriteOptions) => Promise<void>;
  /**
   * Absolute paths outside the project that the person named (`--daemon-json FILE`,
   * `--daemon-config FILE`): the only patches whose `file` may be absolute. Never taken
   * from a plan file.
   */
  hostFiles?: readonly string[];
  /** Where the host store is (tests); default the process environment. */
  env?: Readonly<Record<string, string | undefined>>;
  lock?: LockOptions;
}

/** What {@link applyPlan} did. */
export interface ApplyResult {
  /** Files written or created (`FilePatch.file`), in plan order. Files whose bytes were already right are left out. */
  written: string[];
  /** The backup `harden undo` restores; undefined when nothing had to be written (no backup is made). */
  backupId: string | undefined;
}

interface Pending {
  patch: FilePatch;
  /** Real path to write. */
  path: string;
  /** What the backup records: the real path relative to the project, or the absolute host path. */
  recorded: string;
  before: ExistingFile | undefined;
  bytes: Buffer;
}

const bomBytes = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The bytes of a patched file: UTF-8, with the BOM put back when the original had one, and
 * bytes of the original that were not valid UTF-8 put back as they were (core/parse/utf8.ts).
 */
export function encodePatch(patch: FilePatch): Buffer {
  const encoded = encodeUtf8(patch.text);
  const text = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  return patch.bom ? Buffer.concat([bomBytes, text]) : text;
}

/**
 * Writes the plan's files, holding the project's lock. Every path is checked to stay inside
 * the project (links included) and every file is read before anything is written: a file
 * that changed since it was read, or a file to create that already exists, refuses the
 * whole plan. Then the originals are backed up, and each file is replaced atomically. When a
 * write fails, the files already written are put back and the backup is dropped, so the
 * project is as it was, and the error is rethrown.
 */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const root = await projectRoot(plan.cwd);
  const hostFiles = new Set(options.hostFiles ?? []);
  // Checked once without the lock, so that a plan with nothing to write leaves no .harden behind.
  if ((await check(root, plan, hostFiles)).length === 0) return {written: [], backupId: undefined};
  return withProjectLock(root, 'fix', async dir => {
    const pending = await check(root, plan, hostFiles);
    const project = pending.filter(p => !isAbsolute(p.recorded));
    const host = pending.filter(p => isAbsolute(p.recorded));
    let backupId: string | undefined;
    const written: string[] = [];
    // One backup per store, so `harden undo` never reads a path outside the project from the project.
    for (const [store, group] of [[projectStore(root), project], [hostStore(options.env), host]] as const) {
      if (group.length === 0) continue;
      backupId = await writeGroup(root, store, group, {...options, tempDir: store.host ? undefined : dir.tmp});
      written.push(...group.map(p => p.patch.file));
    }
    return {written: plan.files.map(f => f.file).filter(f => written.includes(f)), backupId};
  }, options.lock);
}

async function writeGroup(root: string, store: BackupStore, group: Pending[], options: ApplyOptions & {tempDir: string | undefined}): Promise<string> {
  const write = options.write ?? writeFileAtomic;
  const createdDirs = store.host ? [] : await missingDirs(root, group.filter(p => !p.before).map(p => p.recorded));
  const backup = await createBackup(store, root, group.map(p => ({file: p.recorded, ...(p.before ? {before: p.before} : {}), after: p.bytes})), {version: options.version, createdDirs});
  const written: Pending[] = [];
  try {
    for (const p of group) {
      if (!p.before) await mkdir(dirname(p.path), {recursive: true});
      await write(p.path, p.bytes, options.tempDir ? {tempDir: options.tempDir} : {});
      written.push(p);
    }
  } catch (error) {
    const failed = await rollBack(written, options.tempDir);
    // The folders made for new files go too; a failure here must not hide the write's own error.
    if (failed.length === 0) await removeEmptyDirs(root, createdDirs).catch(() => []);
    if (failed.length > 0) {
      throw new UserError(
        `writing failed (${(error as Error).message}) and ${failed.join(', ')} could not be put back`,
        `the originals are in ${backup.dir}; run "harden undo --force" to restore them`,
      );
    }
    await rm(backup.dir, {recursive: true, force: true});
    throw error;
  }
  return backup.id;
}

/**
 * The folders that creating `files` (project-relative, real) will create: each parent that
 * does not exist yet, parents first. Recorded in the backup so that undo removes them again.
 */
async function missingDirs(root: string, files: readonly string[]): Promise<string[]> {
  const missing = new Set<string>();
  for (const file of files) {
    for (let dir = posix.dirname(file); dir !== '.' && !missing.has(dir); dir = posix.dirname(dir)) {
      if (await exists(join(root, dir))) break;
      missing.add(dir);
    }
  }
  return [...missing].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0));
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return false;
    throw error;
  }
}

/**
 * Takes out of the plan every file harden may not write (a link that leaves the project, a
 * path outside it) and lists each as an error, so the preview never offers a change that
 * the write would refuse, and the other files are still fixed.
 */
export async function dropUnwritable(plan: Plan, hostFiles: readonly string[] = []): Promise<void> {
  const root = await projectRoot(plan.cwd);
  const allowed = new Set(hostFiles);
  const kept: FilePatch[] = [];
  for (const patch of plan.files) {
    try {
      await locate(root, patch, allowed);
      kept.push(patch);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      plan.errors.push({file: patch.file, line: 0, message: `not written: ${error.message}`});
    }
  }
  plan.files = kept;
}

/** Where a patch goes: inside the project, or one of the host files the person named. */
async function locate(root: string, patch: FilePatch, hostFiles: ReadonlySet<string>): Promise<{path: string; recorded: string}> {
  if (isAbsolute(patch.file)) {
    if (!hostFiles.has(patch.file)) throw new UserError(`${printableName(patch.file)} is outside the project; harden writes only inside it`, 'nothing was written');
    return {path: patch.file, recorded: patch.file};
  }
  const path = await confinedPath(root, patch.file, 'inside');
  return {path, recorded: relativeTo(root, path)};
}

/** Reads every target and refuses the plan if any is not as the plan expects. Writes nothing. */
async function check(root: string, plan: Plan, hostFiles: ReadonlySet<string>): Promise<Pending[]> {
  const pending: Pending[] = [];
  const seen = new Map<string, string>();
  for (const patch of plan.files) {
    const {path, recorded} = await locate(root, patch, hostFiles);
    const shown = printableName(patch.file);
    const twice = seen.get(path);
    if (twice !== undefined) throw new UserError(`${shown} and ${printableName(twice)} are the same file; harden will not write it twice`, 'nothing was written');
    seen.set(path, patch.file);
    let before: ExistingFile | undefined;
    try {
      before = await readFileIfExists(path);
    } catch (error) {
      throw new UserError(`cannot read ${shown}: ${(error as Error).message}`, 'nothing was written; fix the file, then run harden fix again');
    }
    if (patch.created && before) {
      throw new UserError(`${shown} already exists; harden fix would create it`, 'nothing was written; move the file away or run harden fix again');
    }
    if (!patch.created && !before) {
      throw new UserError(`${shown} no longer exists`, 'nothing was written; run harden fix again');
    }
    if (before && patch.sha256 !== undefined && sha256(before.bytes) !== patch.sha256) {
      throw new UserError(`${shown} changed since it was read; run harden fix again`, 'nothing was written');
    }
    const bytes = encodePatch(patch);
    if (before?.bytes.equals(bytes)) continue;
    pending.push({patch, path, recorded, before, bytes});
  }
  return pending;
}

/** Puts back what was written, newest first; returns the files that could not be put back. */
async function rollBack(written: Pending[], tempDir: string | undefined): Promise<string[]> {
  const failed: string[] = [];
  for (const p of [...written].reverse()) {
    try {
      if (p.before) await writeFileAtomic(p.path, p.before.bytes, {mode: p.before.mode, ...(tempDir ? {tempDir} : {})});
      else await rm(p.path, {force: true});
    } catch {
      failed.push(p.patch.file);
    }
  }
  return failed;
}
