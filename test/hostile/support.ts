/**
 * Helpers for the hostile-input suite: the built CLI run on real files in a scratch folder,
 * with a victim folder beside the project that nothing may touch.
 */
import {execFile} from 'node:child_process';
import {createHash} from 'node:crypto';
import {lstat, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, relative, resolve} from 'node:path';

/** The CLI under test; HARDEN_TEST_BIN runs the suite against another build (an older release, to see it fail there). */
export const bin = process.env['HARDEN_TEST_BIN'] ?? resolve('bin/harden.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI; never throws for a non-zero exit. */
export function harden(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise(done => {
    execFile('node', [bin, ...args], {cwd, env: {...process.env, NO_COLOR: '1', ...env}, timeout: 60_000}, (error, stdout, stderr) => {
      const code = error ? (typeof (error as {code?: unknown}).code === 'number' ? (error as {code: number}).code : 1) : 0;
      done({code, stdout, stderr});
    });
  });
}

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
