import {pathToMount} from './writable-dirs.js';

/*
 * Finds, in a container's logs, the paths the app failed to write: the other half of
 * `docker diff`, for a container already run read-only (or as a user who cannot
 * write). Each runtime words the error its own way; what they share is the errno text
 * (EROFS "Read-only file system", errno 30; EACCES "Permission denied", errno 13) and
 * the path somewhere on the same line, quoted or not.
 */

/** A write that failed, as a log line tells it. */
export interface WriteFailure {
  /** The absolute path the app tried to write or create. */
  path: string;
  /** The directory that needs a writable mount for it (a file's directory, collapsed as `docker diff` output is). */
  dir: string;
  /** The log line, without colour codes and surrounding space. */
  line: string;
  /** `read-only`: EROFS; `permission`: EACCES, the user may not write there. */
  reason: 'read-only' | 'permission';
}

const ansi = /\u001b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;
const readOnly = /read-only file ?system|\bEROFS\b|\[Errno 30\]|\(30\)|\(30: |ReadOnlyFilesystem/i;
/**
 * Node's recursive mkdir reports ENOENT, not EROFS, when the root filesystem is
 * read-only (seen with node 20: `ENOENT: no such file or directory, mkdir '/app/run'`);
 * a recursive mkdir has no other reason to miss a directory.
 */
const recursiveMkdir = /\bENOENT\b[^'"]*\bmkdir\b/;
const permission = /permission denied|\bEACCES\b|\[Errno 13\]|\(13\)|\(13: |AccessDeniedException/i;
/**
 * EACCES also comes from running a file (`exec /app/run.sh: permission denied`, a
 * script on a noexec tmpfs) and connecting to a socket (`dial unix /var/run/docker.sock:
 * connect: permission denied`); neither is a failed write.
 */
const notAWrite = /\b(?:exec|execve|spawn|dial|connect)\b|\bcannot execute\b/i;
/** The call created a directory, so the path is the directory itself, not a file in one. */
const createsDirectory = /\bmkdir(?:at)?\b|\bcreate directory\b|\bmakedirs\b/i;
/** Quoted with ', ", ` or the typographic quotes GNU coreutils use in a UTF-8 locale. */
const quoted = /['"`\u2018\u201c](\/[^'"`\u2019\u201d\n]*)['"`\u2019\u201d]/g;
/** Redis says where it writes apart from the file name: `(in server root dir /data)`. */
const serverRoot = /\bin server root dir (\/[^\s)]*)/;
/** Reasons as they follow an unquoted path: `open /data/x: read-only file system`, `/tmp/x (Read-only file system)`. */
const reasonAfterPath = /(?:: |\s\()(?:read-only file ?system|permission denied)/gi;

/** The unquoted path that ends where a reason starts, or after `AccessDeniedException: `. */
function unquotedPath(line: string): string | undefined {
  const denied = /AccessDeniedException: (\/\S+)/.exec(line);
  if (denied) return denied[1];
  for (const match of line.matchAll(reasonAfterPath)) {
    const before = line.slice(0, match.index);
    // The path starts at the last `/` that begins a word: after a space, `(`, `=` or the line start.
    const start = Math.max(before.lastIndexOf(' /'), before.lastIndexOf('(/'), before.lastIndexOf('=/'));
    const path = start >= 0 ? before.slice(start + 1) : before.startsWith('/') ? before : undefined;
    if (path) return path;
  }
  return undefined;
}

/**
 * The paths an app failed to write, from its logs: each path once (with the first
 * line that named it), in the order they appear. Lines without an absolute path are
 * skipped: `(30)Read-only file system: AH00058 ... logs/httpd.pid` names a path relative
 * to a directory the line does not give.
 */
export function writeFailures(logs: string): WriteFailure[] {
  const seen = new Set<string>();
  const failures: WriteFailure[] = [];
  for (const raw of logs.split(/\r\n|\r|\n/)) {
    const line = raw.replace(ansi, '').trim();
    if (line === '') continue;
    const reason = readOnly.test(line) || recursiveMkdir.test(line) ? 'read-only' : permission.test(line) && !notAWrite.test(line) ? 'permission' : undefined;
    if (!reason) continue;
    const root = serverRoot.exec(line);
    const paths = root ? [root[1]!] : [...line.matchAll(quoted)].map(m => m[1]!);
    if (paths.length === 0) {
      const path = unquotedPath(line);
      if (path) paths.push(path);
    }
    const directory = root !== null || createsDirectory.test(line);
    for (const found of paths) {
      const path = found.replace(/[.,;:]+$/, '');
      if (!path.startsWith('/') || path === '/') continue;
      const key = `${reason}\u0000${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      failures.push({path, dir: pathToMount(path, {directory}), line, reason});
    }
  }
  return failures;
}
