import {mkdir, rm} from 'node:fs/promises';
import {dirname, resolve} from 'node:path';
import {UserError} from '../../core/model/errors.js';
import type {FilePatch, Plan} from '../../core/model/plan.js';
import {encodeUtf8} from '../../core/parse/utf8.js';
import {readFileIfExists, sha256, writeFileAtomic, type ExistingFile, type WriteOptions} from './atomic-write.js';
import {createBackup} from './backups.js';

/** Options of {@link applyPlan}. */
export interface ApplyOptions {
  /** harden-wizard version, recorded in the backup manifest. */
  version: string;
  /** Writes one file; tests pass one that fails. Default {@link writeFileAtomic}. */
  write?: (path: string, bytes: Uint8Array, options: WriteOptions) => Promise<void>;
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
  path: string;
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
 * Writes the plan's files. Every file is checked before anything is written: a file that
 * changed since it was read, or a file to create that already exists, refuses the whole
 * plan. Then all originals are backed up, and each file is replaced atomically. When a write
 * fails, the files already written are put back and the backup is dropped, so the project
 * is as it was, and the error is rethrown.
 */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const write = options.write ?? writeFileAtomic;
  const pending = await check(plan);
  if (pending.length === 0) return {written: [], backupId: undefined};

  const backup = await createBackup(plan.cwd, pending.map(p => ({file: p.patch.file, ...(p.before ? {before: p.before} : {}), after: p.bytes})), {version: options.version});
  const written: Pending[] = [];
  try {
    for (const p of pending) {
      if (!p.before) await mkdir(dirname(p.path), {recursive: true});
      await write(p.path, p.bytes, {});
      written.push(p);
    }
  } catch (error) {
    const failed = await rollBack(written);
    if (failed.length > 0) {
      throw new UserError(
        `writing failed (${(error as Error).message}) and ${failed.join(', ')} could not be put back`,
        `the originals are in ${backup.dir}; run "harden undo --force" to restore them`,
      );
    }
    await rm(backup.dir, {recursive: true, force: true});
    throw error;
  }
  return {written: pending.map(p => p.patch.file), backupId: backup.id};
}

/** Reads every target and refuses the plan if any is not as the plan expects. Writes nothing. */
async function check(plan: Plan): Promise<Pending[]> {
  const pending: Pending[] = [];
  const seen = new Set<string>();
  for (const patch of plan.files) {
    const path = resolve(plan.cwd, patch.file);
    if (seen.has(path)) throw new Error(`plan has two patches for ${patch.file}`);
    seen.add(path);
    let before: ExistingFile | undefined;
    try {
      before = await readFileIfExists(path);
    } catch (error) {
      throw new UserError(`cannot read ${patch.file}: ${(error as Error).message}`, 'nothing was written; fix the file, then run harden fix again');
    }
    if (patch.created && before) {
      throw new UserError(`${patch.file} already exists; harden fix would create it`, 'nothing was written; move the file away or run harden fix again');
    }
    if (!patch.created && !before) {
      throw new UserError(`${patch.file} no longer exists`, 'nothing was written; run harden fix again');
    }
    if (before && patch.sha256 !== undefined && sha256(before.bytes) !== patch.sha256) {
      throw new UserError(`${patch.file} changed since it was read; run harden fix again`, 'nothing was written');
    }
    const bytes = encodePatch(patch);
    if (before?.bytes.equals(bytes)) continue;
    pending.push({patch, path, before, bytes});
  }
  return pending;
}

/** Puts back what was written, newest first; returns the files that could not be put back. */
async function rollBack(written: Pending[]): Promise<string[]> {
  const failed: string[] = [];
  for (const p of [...written].reverse()) {
    try {
      if (p.before) await writeFileAtomic(p.path, p.before.bytes, {mode: p.before.mode});
      else await rm(p.path, {force: true});
    } catch {
      failed.push(p.patch.file);
    }
  }
  return failed;
}
