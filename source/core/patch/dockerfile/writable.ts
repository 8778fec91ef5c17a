import type {Stage} from '../../model/facts.js';
import {canonicalPath, normalisePath} from '../../paths.js';
import {parseArgv} from './command.js';
import {resolveIn, type BuildContext} from './artifacts.js';
import type {Placed} from './layout.js';

/*
 * Directories the app writes, as the Dockerfile tells (ENV LOG_DIR=..., mkdir + chown,
 * VOLUME, a directory the build makes with mkdir that the command line names a path in, an
 * output option's directory). As root the app could create them anywhere; as the runtime user it cannot,
 * so the runtime stage creates them owned by that user. Docker copies that ownership
 * into a fresh volume, and a read-only root filesystem mounts a tmpfs over them
 * (`harden fix` plans that separately), so the image works both ways.
 */

/** Paths that exist in every image and are world-writable already. */
const shared = new Set(['/tmp', '/var/tmp', '/run', '/dev/shm', '/run/lock']);

/**
 * The directories to create for the user, in the order the Dockerfile names them; `extra` are
 * those the rewrite found in the command line (named.ts).
 */
export function writableDirs(stage: Stage, volumes: readonly Placed[], home?: string, extra: readonly string[] = []): string[] {
  const dirs: string[] = [];
  const add = (path: string) => {
    if (!path.startsWith('/') || /[$\s"'*?]/.test(path)) return;
    const normal = normalisePath(path);
    if (normal === '/' || shared.has(canonicalPath(normal)) || normal === home) return;
    if (!dirs.includes(normal)) dirs.push(normal);
  };
  for (const hint of stage.writeHints) if (hint.source === 'dockerfile') add(hint.path);
  for (const volume of volumes) {
    const argv = parseArgv(volume.args);
    for (const word of argv.words) add(word);
  }
  for (const path of extra) add(path);
  return dirs;
}

/** `RUN mkdir -p A B && chown owner A B`, with a comment naming why. */
export function writableLines(dirs: readonly string[], owner: string): string[] {
  if (dirs.length === 0) return [];
  const list = dirs.join(' ');
  return ['# harden: directories the app writes, owned by the runtime user', `RUN mkdir -p ${list} && chown ${owner} ${list}`];
}

/** Directories the build makes with `mkdir` that hold a path the command line names: the app writes there (`mkdir -p out` and `--output out/summary.json`). */
export function madeForCommand(runs: BuildContext['runs'], named: readonly string[]): string[] {
  const made: string[] = [];
  for (const run of runs) {
    for (const segment of run.segments) {
      if (segment.words[0] !== 'mkdir') continue;
      for (const dir of segment.words.slice(1).filter(w => !w.startsWith('-') && !/[$*?]/.test(w))) made.push(resolveIn(run.placed.workdir, dir));
    }
  }
  return made.filter(dir => named.some(path => path === dir || path.startsWith(`${dir}/`)));
}
