/**
 * Helpers for the hostile-input suite: the built CLI run on real files in a scratch folder,
 * with a victim folder beside the project that nothing may touch.
 */
import {createHash} from 'node:crypto';
import {lstat, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';

export {bin, harden, type Run} from '../support/cli.js';
import type {Run} from '../support/cli.js';

/** A scratch folder with `project/` (where harden runs) and `outside/` (what it must never touch). */
export async function scratch(): Promise<{base: string; project: string; outside: string; cleanup(): Promise<void>}> {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'harden-hostile-')));
  const project = join(base, 'project');
  const outside = join(base, 'outside');
  await mkdir(project);
  await mkdir(outside);
  return {base, project, outside, cleanup: () => rm(base, {recursive: true, force: true})};
}

export const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Every entry under `root` with its type, mode and content hash (or link target): equal snapshots mean untouched trees. */
export async function snapshot(root: string, skip: (rel: string) => boolean = () => false): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(root, {withFileTypes: true, recursive: true})) {
    const path = join(entry.parentPath, entry.name);
    const rel = relative(root, path);
    if (skip(rel)) continue;
    const info = await lstat(path);
    const mode = (info.mode & 0o7777).toString(8);
    if (info.isSymbolicLink()) result[rel] = `link ${await readlink(path)}`;
    else if (info.isDirectory()) result[rel] = `dir ${mode}`;
    else result[rel] = `${mode} ${sha256(await readFile(path))}`;
  }
  return result;
}

/** A backup id of the form harden makes, at a given time. */
export function backupId(date: Date, counter = 0): string {
  return `${date.toISOString().replace(/:/g, '-')}-${String(counter).padStart(3, '0')}`;
}

/** No stack trace, no "internal error": what a person sees from any refusal. */
export function isCleanRefusal(run: Run): boolean {
  return (run.code === 2 || run.code === 3) && !/internal error|\n\s+at /.test(run.stderr) && run.stderr.trim().split('\n').length <= 2;
}
