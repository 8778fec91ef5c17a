/**
 * The build context as the docker CLI sends it: every file of the directory except what
 * `.dockerignore` excludes, with the Dockerfile and `.dockerignore` always included.
 */
import {readdir, readFile, stat} from 'node:fs/promises';
import {join, posix} from 'node:path';
import type {Readable} from 'node:stream';
import dockerignore from '@balena/dockerignore';
import {pack, type PackOptions} from 'tar-fs';

/** Relative `/`-separated paths to send, directories before what they hold, sorted. */
export async function contextEntries(context: string, dockerfile: string): Promise<string[]> {
  const wanted = posix.normalize(dockerfile.replaceAll('\\', '/')).replace(/^\.\//, '');
  if (wanted.startsWith('../') || wanted === '..' || posix.isAbsolute(wanted)) {
    throw new Error(`the Dockerfile ${dockerfile} is outside the build context ${context}`);
  }
  try {
    if (!(await stat(join(context, wanted))).isFile()) throw new Error('not a file');
  } catch {
    throw new Error(`no Dockerfile at ${join(context, wanted)}`);
  }

  const ignoreText = await readFile(join(context, '.dockerignore'), 'utf8').catch(() => '');
  const rules = dockerignore.default({ignorecase: false}).add(ignoreText);
  // Only an exception (`!pattern`) can bring back something under an excluded directory, so
  // without one an excluded directory (node_modules, .git) is not even walked.
  const hasExceptions = ignoreText.split(/\r?\n/).some(line => line.trim().startsWith('!'));
  const always = new Set([wanted, '.dockerignore']);
  const entries: string[] = [];

  const walk = async (dir: string): Promise<void> => {
    const children = await readdir(join(context, dir), {withFileTypes: true});
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      const path = dir === '' ? child.name : `${dir}/${child.name}`;
      const excluded = !always.has(path) && rules.ignores(path);
      if (!excluded) entries.push(path);
      if (child.isDirectory() && (!excluded || hasExceptions)) await walk(path);
    }
  };
  await walk('');
  // The Dockerfile may sit in an excluded directory that was not walked.
  if (!entries.includes(wanted)) entries.push(wanted);
  return entries;
}

/** A file added to the context as it is sent, never written to the project (a Dockerfile to try). */
export interface ExtraEntry {
  /** `/`-separated path in the context. */
  name: string;
  text: string;
}

/** A tar stream of exactly `entries` (no recursion into listed directories), modes kept as they are, then `extra`. */
export function packContext(context: string, entries: string[], extra?: ExtraEntry): Readable {
  const options: PackOptions & {umask: number} = {entries, ignore: () => true, umask: 0};
  if (extra) {
    options.finalize = false;
    options.finish = tar => {
      tar.entry({name: extra.name, mode: 0o644, mtime: new Date(0)}, extra.text);
      tar.finalize();
    };
  }
  return pack(context, options) as unknown as Readable;
}
