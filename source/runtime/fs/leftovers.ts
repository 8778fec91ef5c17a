import {lstat, readdir, rm} from 'node:fs/promises';
import {join} from 'node:path';
import {isCode} from './atomic-write.js';
import type {HardenDir} from './harden-dir.js';

/*
 * A `harden fix` killed with kill -9 leaves temporary files and a backup folder whose
 * manifest was never written. Both are removed by the next run that takes the project's
 * lock: with the lock held, no other harden is writing them.
 */

/** Backup folder names: ISO time with dashes for colons, then a counter (`2026-12-06T02-28-28.123Z-000`). */
export const backupIdPattern = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-\d{3}$/;

/** What was removed, for tests and the debug log. */
export interface Swept {
  temporary: string[];
  unfinished: string[];
}

/** Removes every entry of `.harden/tmp`, and backup folders without `manifest.json`. Never follows a link. */
export async function sweepLeftovers(dir: HardenDir): Promise<Swept> {
  const swept: Swept = {temporary: [], unfinished: []};
  for (const name of await names(dir.tmp)) {
    await rm(join(dir.tmp, name), {force: true, recursive: true});
    swept.temporary.push(name);
  }
  for (const name of await names(dir.backups)) {
    if (!backupIdPattern.test(name)) continue;
    const folder = join(dir.backups, name);
    if (!(await lstat(folder)).isDirectory()) continue;
    try {
      await lstat(join(folder, 'manifest.json'));
    } catch (error) {
      if (!isCode(error, 'ENOENT')) throw error;
      await rm(folder, {force: true, recursive: true});
      swept.unfinished.push(name);
    }
  }
  return swept;
}

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isCode(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  }
}
