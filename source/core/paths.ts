import {posix} from 'node:path';
import type {MountFact} from './model/facts.js';

/*
 * Container paths are always POSIX, whatever the host OS. node:path/posix is pure
 * string work, so the core may use it.
 */

/** An absolute path whose segments are neither empty nor `.`/`..`, without spaces at either end. */
const plainPath = /^(?:\/(?!\.\.?(?:\/|$))[^/\s][^/]*(?<!\s))+$/;

/** Normalise an absolute container path: collapse `//`, `.`, `..`, drop a trailing `/`. */
export function normalisePath(path: string): string {
  // Most paths are already normal: absolute, no `//`, `.` or `..` segment, no trailing `/`, no
  // outer whitespace. Those come back as they are, as posix.normalize would give them.
  if (plainPath.test(path)) return path;
  const normal = posix.normalize(path.trim());
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

/**
 * Debian and Alpine link /var/run to /run and /var/lock to /run/lock, so a mount on
 * either name lands on the same directory. Compare paths by this canonical form.
 */
export function canonicalPath(path: string): string {
  const normal = normalisePath(path);
  for (const [alias, real] of [['/var/run', '/run'], ['/var/lock', '/run/lock']] as const) {
    if (normal === alias || normal.startsWith(alias + '/')) return real + normal.slice(alias.length);
  }
  return normal;
}

/** Paths that must never become a writable mount: the root, kernel filesystems, the Docker socket. */
export function isForbiddenWritable(path: string): boolean {
  const p = canonicalPath(path);
  if (p === '/') return true;
  if (['/proc', '/sys', '/dev'].some(root => p === root || p.startsWith(root + '/'))) return p !== '/dev/shm';
  return p === '/run/docker.sock';
}

/** True when some writable mount covers `path` (the path itself or a parent directory). */
export function isCovered(path: string, mounts: readonly MountFact[]): boolean {
  const p = canonicalPath(path);
  return mounts.some(mount => {
    if (mount.readOnly) return false;
    const m = canonicalPath(mount.target);
    return m === '/' || p === m || p.startsWith(m + '/');
  });
}

/**
 * Ephemeral data (temp files, caches, pid files, sockets) belongs on a tmpfs; data that
 * must outlive the container (databases, uploads, logs) on a named volume.
 */
export function suggestMount(path: string): 'tmpfs' | 'volume' {
  const p = canonicalPath(path).toLowerCase();
  if (/(^|\/)(tmp|temp|cache|caches|\.cache|run|pid|pids|sockets?|lock)(\/|$)/.test(p)) return 'tmpfs';
  if (/(^|\/)(data|db|uploads?|storage|media|logs?|state|spool|backups?)(\/|$)/.test(p) || p.startsWith('/var/lib/')) return 'volume';
  return 'tmpfs';
}
