import {createHash, randomBytes} from 'node:crypto';
import {lstat, open, realpath, rename, rm, stat, type FileHandle} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';

/** Options of {@link writeFileAtomic}. */
export interface WriteOptions {
  /** Permission bits of the written file. Default: the existing file's; for a new file 0o666 less the umask. */
  mode?: number;
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
export async function writeFileAtomic(path: string, bytes: Uint8Array, options: WriteOptions = {}): Promise<void> {
  const target = await followLink(path);
  let existing;
  try {
    existing = await stat(target);
  } catch (error) {
    if (!isCode(error, 'ENOENT')) throw error;
  }
  const keepMode = options.mode ?? (existing ? existing.mode & 0o7777 : undefined);
  const {handle, temp} = await openTemp(target, keepMode ?? 0o666);
  let closed = false;
  try {
    await handle.writeFile(bytes);
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
  await syncDirectory(dirname(target));
}

async function followLink(path: string): Promise<string> {
  try {
    if ((await lstat(path)).isSymbolicLink()) return await realpath(path);
  } catch {
    // Missing file or dangling link: write at the path itself.
  }
  return path;
}

/** O_EXCL never opens someone else's file; on the rare name collision a fresh name is tried. */
async function openTemp(target: string, mode: number): Promise<{handle: FileHandle; temp: string}> {
  for (let attempt = 1; ; attempt++) {
    const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
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
