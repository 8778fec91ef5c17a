import {lstat, mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {UserError} from '../../core/model/errors.js';
import {isCode} from './atomic-write.js';
import {confinedPath} from './confine.js';

/*
 * `.harden/` in the project: backups, the lock, temporary files. A cloned repository can
 * ship one, so it is used only when it is a real directory of this project: never through
 * a link, and a file in its place is a clear error rather than ENOTDIR.
 */

/** The real paths of `.harden` and the folders harden uses in it. */
export interface HardenDir {
  root: string;
  dir: string;
  backups: string;
  /** Temporary files of atomic writes: anything here is a leftover when the lock is taken. */
  tmp: string;
  lock: string;
}

/** The paths under `<root>/.harden`, without creating anything. `root` must be real. */
export function hardenPaths(root: string): HardenDir {
  const dir = join(root, '.harden');
  return {root, dir, backups: join(dir, 'backups'), tmp: join(dir, 'tmp'), lock: join(dir, 'lock')};
}

/** Makes `.harden`, `.harden/backups` and `.harden/tmp` if missing, and checks that each is a real directory. */
export async function ensureHardenDir(root: string): Promise<HardenDir> {
  const paths = hardenPaths(root);
  for (const file of ['.harden', '.harden/backups', '.harden/tmp']) {
    const path = await confinedPath(root, file, 'none');
    await mkdir(path, {mode: 0o700}).catch(error => {
      if (!isCode(error, 'EEXIST')) throw error;
    });
    await mustBeDirectory(path, file);
  }
  // Never committed by accident: backups hold the originals, secrets included.
  await writeFile(join(paths.dir, '.gitignore'), '*\n', {flag: 'wx'}).catch(error => {
    if (!isCode(error, 'EEXIST')) throw error;
  });
  return paths;
}

/** A clear error unless `path` is a directory and not a link. */
export async function mustBeDirectory(path: string, shown: string): Promise<void> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) throw new UserError(`${shown} is a symbolic link; harden keeps its backups only in a real directory of the project`, `remove the link; harden makes ${shown} itself`);
  if (!info.isDirectory()) throw new UserError(`${shown} is a file, not a directory; harden keeps its backups there`, `move ${shown} away; harden makes the directory itself`);
}
