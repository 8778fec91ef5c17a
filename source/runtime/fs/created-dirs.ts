import {lstat, rmdir} from 'node:fs/promises';
import {isCode} from './atomic-write.js';
import {confinedPath} from './confine.js';

/*
 * The folders a fix created for its new files (`.github/workflows`, `falco`), removed again
 * by undo. The list comes from a manifest a cloned repository can ship, so each folder is
 * found through no link at all (confinedPath with 'none'), only a real folder is touched,
 * and only when it is empty: rmdir, never a recursive delete. A folder someone has put a
 * file in since is kept.
 */

/** Where each folder is on disk, deepest first; throws (a UserError) for a link on the way, before anything is removed. */
export async function locateDirs(root: string, dirs: readonly string[]): Promise<Array<{dir: string; path: string}>> {
  const deepestFirst = [...dirs].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? 1 : a > b ? -1 : 0));
  const located: Array<{dir: string; path: string}> = [];
  for (const dir of deepestFirst) located.push({dir, path: await confinedPath(root, dir, 'none')});
  return located;
}

/** Removes each folder that is still an empty, real folder, deepest first; returns the ones removed. */
export async function removeEmptyDirs(root: string, dirs: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const {dir, path} of await locateDirs(root, dirs)) {
    try {
      if (!(await lstat(path)).isDirectory()) continue;
      await rmdir(path);
      removed.push(dir);
    } catch (error) {
      // Gone already, or holds something now: either way it is not ours to remove.
      if (!isCode(error, 'ENOENT', 'ENOTEMPTY', 'EEXIST', 'ENOTDIR')) throw error;
    }
  }
  return removed;
}
