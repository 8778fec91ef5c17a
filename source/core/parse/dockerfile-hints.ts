import {posix} from 'node:path';
import type {Stage, WriteHint} from '../model/facts.js';
import {isForbiddenWritable, normalisePath, suggestMount} from '../paths.js';

/*
 * Static hints of where the app writes, read from its Dockerfile. Two signals that
 * authors leave when they know a path must be writable: an ENV naming a log, cache,
 * temp, data or pid location, and a directory made by `mkdir` and handed to the
 * runtime user by `chown`/`chmod` in the same stage.
 */
const envName = /(^|_)(LOG|LOGS|CACHE|TMP|TEMP|TMPDIR|DATA|UPLOAD|UPLOADS|PID|PIDFILE|RUN|STATE|SPOOL|SESSION|SESSIONS|STORAGE)(_?(DIR|PATH|FILE|FOLDER|ROOT|HOME|PREFIX|DIRECTORY))?$|^(TMPDIR|XDG_CACHE_HOME|XDG_STATE_HOME|XDG_DATA_HOME|PYTHONPYCACHEPREFIX|npm_config_cache|NPM_CONFIG_CACHE)$/i;

/** System trees an app never needs to write at runtime; an ENV pointing there is configuration. */
const systemRoots = ['/usr', '/bin', '/sbin', '/lib', '/lib64', '/etc', '/boot', '/opt/java'];

export function stageWriteHints(stage: Stage): WriteHint[] {
  const hints: WriteHint[] = [];
  const seen = new Set<string>();
  const add = (raw: string, evidence: string, line: number, workdir?: string, isFile = false) => {
    // A relative path is only known against an absolute WORKDIR (not `$HOME`, not a base image's).
    const absolute = raw.startsWith('/') ? raw : workdir?.startsWith('/') ? posix.join(workdir, raw) : undefined;
    if (absolute === undefined) return;
    let path = normalisePath(absolute);
    if (isFile) path = posix.dirname(path);
    if (isForbiddenWritable(path) || systemRoots.some(r => path === r || path.startsWith(r + '/'))) return;
    if (seen.has(path)) return;
    seen.add(path);
    hints.push({path, evidence, source: 'dockerfile', mount: suggestMount(path), line});
  };

  for (const env of stage.env) {
    const match = envName.exec(env.key);
    if (!match || !/^\/[^\s:;$]*$/.test(env.value)) continue;
    const isFile = /FILE$/i.test(env.key);
    add(env.value, `ENV ${env.key}=${env.value} (Dockerfile line ${env.line})`, env.line, undefined, isFile);
  }

  // Walk the RUNs backwards, so "chowned in this RUN or a later one" is one growing set:
  // rescanning every later RUN for each mkdir was quadratic (minutes for 20,000 RUNs).
  // Relative paths are compared made absolute against their RUN's WORKDIR: `mkdir -p data` in
  // /home/node/app is handed over by `chown -R node:node /home/node/app`.
  const owned = new Set<string>();
  const given: string[][] = [];
  for (let i = stage.runs.length - 1; i >= 0; i--) {
    const run = stage.runs[i]!;
    for (const o of [...commandArgs(run.value, 'chown', 1), ...commandArgs(run.value, 'chmod', 1)]) owned.add(absoluteIn(o, run.workdir));
    given[i] = commandArgs(run.value, 'mkdir').filter(dir => isOwned(absoluteIn(dir, run.workdir), owned));
  }
  stage.runs.forEach((run, i) => {
    for (const dir of given[i]!) add(dir, `RUN mkdir ${dir} then chown/chmod for the runtime user (Dockerfile line ${run.line})`, run.line, run.workdir);
  });
  return hints;
}

/** `path` made absolute against an absolute WORKDIR; as written otherwise. */
function absoluteIn(path: string, workdir: string | undefined): string {
  return path.startsWith('/') || !workdir?.startsWith('/') ? path : posix.join(workdir, path);
}

/** True when `dir` itself or a parent of it (written with or without a trailing `/`) is in `owned`. */
function isOwned(dir: string, owned: ReadonlySet<string>): boolean {
  if (owned.has(dir)) return true;
  for (let k = dir.indexOf('/'); k >= 0; k = dir.indexOf('/', k + 1)) {
    if (owned.has(dir.slice(0, k)) || owned.has(dir.slice(0, k + 1))) return true;
  }
  return false;
}

/**
 * The non-flag arguments of every `cmd` in a shell line, skipping the first `skip`
 * operands (chown's owner, chmod's mode). Good enough for the forms Dockerfiles use.
 */
function commandArgs(shell: string, cmd: string, skip = 0): string[] {
  const result: string[] = [];
  // Every match names the command: a line without it has nothing to split.
  if (!shell.includes(cmd)) return result;
  for (const part of shell.split(/&&|\|\||;|\||\n/)) {
    const words = part.trim().split(/\s+/).filter(Boolean);
    const at = words.findIndex(w => w === cmd || w.endsWith('/' + cmd));
    if (at < 0) continue;
    const operands = words.slice(at + 1).filter(w => !w.startsWith('-'));
    for (const w of operands.slice(skip)) {
      if (/[$`*?]/.test(w)) continue;
      result.push(w.replace(/^["']|["']$/g, ''));
    }
  }
  return result;
}
