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
  const add = (raw: string, evidence: string, line: number, isFile = false) => {
    if (!raw.startsWith('/') && !stage.workdir) return;
    let path = normalisePath(raw.startsWith('/') ? raw : posix.join(stage.workdir!.value, raw));
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
    add(env.value, `ENV ${env.key}=${env.value} (Dockerfile line ${env.line})`, env.line, isFile);
  }

  for (const run of stage.runs) {
    const made = commandArgs(run.value, 'mkdir');
    if (made.length === 0) continue;
    const owned = [...commandArgs(run.value, 'chown', 1), ...commandArgs(run.value, 'chmod', 1)];
    for (const laterRun of stage.runs) {
      if (laterRun.line > run.line) owned.push(...commandArgs(laterRun.value, 'chown', 1), ...commandArgs(laterRun.value, 'chmod', 1));
    }
    for (const dir of made) {
      const given = owned.some(o => dir === o || dir.startsWith(o.endsWith('/') ? o : o + '/'));
      if (given) add(dir, `RUN mkdir ${dir} then chown/chmod for the runtime user (Dockerfile line ${run.line})`, run.line);
    }
  }
  return hints;
}

/**
 * The non-flag arguments of every `cmd` in a shell line, skipping the first `skip`
 * operands (chown's owner, chmod's mode). Good enough for the forms Dockerfiles use.
 */
function commandArgs(shell: string, cmd: string, skip = 0): string[] {
  const result: string[] = [];
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
