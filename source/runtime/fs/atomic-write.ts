import {createHash, randomBytes} from 'node:crypto';
import {lstat, open, realpath, rename, rm, stat, type FileHandle} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';
import {UserError} from '../../core/model/errors.js';

/** Options of {@link writeFileAtomic}. */
export interface WriteOptions {
  /** Permission bits of the written file. Default: the existing file's; for a new file 0o666 less the umask. */
  mode?: number;
  /**
   * Where the temporary file is made (`.harden/tmp` of the project), so that one left by a
   * killed process is found and removed at the next start. It must be on the same file
   * system as `path`; when it is not (EXDEV), the temporary file goes beside the target.
   */
  tempDir?: string;
  /**
   * `follow` (the default) writes through a symbolic link, so the link stays a link: for the
   * host's daemon.json. `refuse` throws instead: for files whose path was checked to stay in
   * the project, and for outputs the person named (a link planted in /tmp must not redirect them).
   */
  links?: 'follow' | 'refuse';
}

/** A file's bytes and permission bits, read in one go. */
export interface ExistingFile {
  bytes: Buffer;
  /** Permission bits (`mode & 0o7777`). */
  mode: number;
}

/** Lowercase hex sha256 of the bytes, the form `FilePatch.sha256` and backup manifests use. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The file's bytes and mode, or undefined when there is no file at the path. Other errors (EISDIR, EACCES) are thrown. */
export async function readFileIfExists(path: string): Promise<ExistingFile | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isCode(error, 'ENOENT', 'ENOTDIR')) return undefined;
    throw error;
  }
  try {
    const info = await handle.stat();
    return {bytes: await handle.readFile(), mode: info.mode & 0o7777};
  } finally {
    await handle.close();
  }
}

/**
 * Replaces the file at `path` so that a reader (or a crash) sees either the old bytes or
 * the new ones, never a mix: a temporary file in the same directory is written and fsynced,
 * renamed over the target, then the directory is fsynced. The existing file's mode (and,
 * when running as root, its owner) is kept unless `mode` is given. A symbolic link is
 * written through, so the link stays a link. On any failure the temporary file is removed
 * and the target is left as it was.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | Iterable<string>, options: WriteOptions = {}): Promise<void> {
  const target = options.links === 'refuse' ? await notLink(path) : await followLink(path);
  let existing;
  try {
    existing = await stat(target);
  } catch (error) {
    if (!isCode(error, 'ENOENT')) throw error;
  }
  const keepMode = options.mode ?? (existing ? existing.mode & 0o7777 : undefined);
  try {
    await replace(target, bytes, keepMode, existing, options.tempDir ?? dirname(target));
  } catch (error) {
    if (!isCode(error, 'EXDEV') || options.tempDir === undefined) throw error;
    await replace(target, bytes, keepMode, existing, dirname(target));
  }
  await syncDirectory(dirname(target));
}

async function replace(target: string, bytes: Uint8Array | Iterable<string>, keepMode: number | undefined, existing: {uid: number; gid: number} | undefined, tempDir: string): Promise<void> {
  const {handle, temp} = await openTemp(tempDir, target, keepMode ?? 0o666);
  let closed = false;
  try {
    if (bytes instanceof Uint8Array) await handle.writeFile(bytes);
    else for (const chunk of bytes) await handle.write(chunk);
    // The mode given to open() is reduced by the umask; chmod sets exactly the bits wanted.
    if (keepMode !== undefined) await handle.chmod(keepMode);
    if (existing && process.getuid?.() === 0) await handle.chown(existing.uid, existing.gid);
    await handle.sync();
    closed = true;
    await handle.close();
    await rename(temp, target);
  } catch (error) {
    if (!closed) await handle.close().catch(() => undefined);
    await rm(temp, {force: true}).catch(() => undefined);
    throw error;
  }
}

async function notLink(path: string): Promise<string> {
  let link = false;
  try {
    link = (await lstat(path)).isSymbolicLink();
  } catch {
    // Missing: created at the path.
  }
  if (link) throw new UserError(`${path} is a symbolic link; harden does not write through it`, 'remove the link or write to another path');
  return path;
}

async function followLink(path: string): Promise<string> {
  try {
    if ((await lstat(path)).isSymbolicLink()) return await realpath(path);
  } catch {
    // Missing file or dangling link: write at the path itself.
  }
  return path;
}

/** Names of temporary files: `.<name>.harden-<pid>-<random>.tmp`, so a sweep can tell them from the person's files. */
export const tempName = /^\..*\.harden-\d+-[0-9a-f]{12}\.tmp$/;

/** O_EXCL never opens someone else's file (nor follows a link); on the rare name collision a fresh name is tried. */
async function openTemp(dir: string, target: string, mode: number): Promise<{handle: FileHandle; temp: string}> {
  for (let attempt = 1; ; attempt++) {
    const temp = join(dir, `.${basename(target).slice(0, 100)}.harden-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    try {
      return {handle: await open(temp, 'wx', mode), temp};
    } catch (error) {
      if (!isCode(error, 'EEXIST') || attempt >= 5) throw error;
    }
  }
}

/**
 * Makes the rename durable. Best effort: by now the new file is in place, so failing here
 * would report a write that did happen (and some platforms cannot open a directory).
 */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // See above.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** True when the error is a Node system error with one of the codes. */
export function isCode(error: unknown, ...codes: string[]): boolean {
  const code = (error as {code?: unknown} | null)?.code;
  return typeof code === 'string' && codes.includes(code);
}
