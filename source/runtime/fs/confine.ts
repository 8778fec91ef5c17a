import {lstat, realpath} from 'node:fs/promises';
import {join, relative, sep} from 'node:path';
import {UserError} from '../../core/model/errors.js';
import {printableName, projectFileProblem} from '../../core/project-file.js';
import {isCode} from './atomic-write.js';

/*
 * Every write and delete harden makes in a project goes through here first. Everything
 * in the project is untrusted (a cloned repository can ship `.harden/`, a saved plan, a
 * `compose.yaml` that links to ~/.bashrc), so a path is accepted only when it stays
 * inside the directory harden was pointed at, symbolic links included.
 */

/** Whether links inside the project may be followed (a `compose.yaml` that links to `deploy/compose.yaml`), or no link at all is accepted. */
export type LinkPolicy = 'inside' | 'none';

/** True when `path` is `root` or below it. Both must be real (links resolved) and absolute. */
export function isWithin(root: string, path: string): boolean {
  if (path === root) return true;
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The real path of the project directory; a clear error when it is not one. */
export async function projectRoot(dir: string): Promise<string> {
  try {
    return await realpath(dir);
  } catch (error) {
    throw new UserError(`cannot use ${dir} as the project directory: ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * The real absolute path of `file` (project-relative, `/`-separated) inside `root` (real),
 * for reading, writing or deleting. Parts that exist are followed only as `links` allows and
 * only while they stay inside `root`; the first part that does not exist ends the walk (what
 * is below it will be created). Throws a {@link UserError} naming the offending part.
 */
export async function confinedPath(root: string, file: string, links: LinkPolicy = 'inside'): Promise<string> {
  const problem = projectFileProblem(file);
  if (problem !== undefined) throw new UserError(`${printableName(String(file))} ${problem}; harden writes only inside the project`, 'nothing was written');
  const parts = file.split('/');
  let current = root;
  for (const [index, part] of parts.entries()) {
    const next = join(current, part);
    const shown = parts.slice(0, index + 1).join('/');
    let info;
    try {
      info = await lstat(next);
    } catch (error) {
      if (isCode(error, 'ENOENT')) return join(next, ...parts.slice(index + 1));
      if (isCode(error, 'ENOTDIR')) throw notDirectory(file, parts.slice(0, index).join('/'));
      throw error;
    }
    if (info.isSymbolicLink()) {
      if (links === 'none') throw new UserError(`${printableName(shown)} is a symbolic link; harden follows no link here`, `replace the link with the real ${index === parts.length - 1 ? 'file' : 'directory'}`);
      let target: string;
      try {
        target = await realpath(next);
      } catch {
        throw new UserError(`${printableName(shown)} is a symbolic link to nothing`, 'remove the link or point it at a file in the project');
      }
      if (!isWithin(root, target)) {
        throw new UserError(`${printableName(shown)} is a symbolic link to ${target}, outside ${root}; harden writes only inside the project`, 'nothing was written; replace the link with a copy of the file if harden should change it');
      }
      current = target;
    } else {
      if (index < parts.length - 1 && !info.isDirectory()) throw notDirectory(file, shown);
      current = next;
    }
  }
  return current;
}

function notDirectory(file: string, part: string): UserError {
  return new UserError(`cannot use ${printableName(file)}: ${printableName(part)} is a file, not a directory`, 'move that file away, then run harden again');
}

/** `file` relative to `root`, `/`-separated, for a real path {@link confinedPath} returned. */
export function relativeTo(root: string, real: string): string {
  return relative(root, real).split(sep).join('/');
}
