import {createHash} from 'node:crypto';
import type {LoadedFile} from '../../core/audit.js';
import {discover, type FoundFile} from '../../core/discover/walk.js';
import type {AuditError} from '../../core/model/finding.js';
import {decodeText} from '../../core/parse/text.js';
import type {FileSystem} from '../ports.js';

/** The project's files, read and decoded, with the paths that could not be read. */
export interface LoadedProject {
  files: LoadedFile[];
  errors: AuditError[];
}

/** How many reads are in flight at once. */
const readAhead = 32;

/** Discovers and reads the files under the given paths, at most 32 reads at a time. */
export async function loadProject(fs: FileSystem, paths: readonly string[], cwd: string, maxBytes: number): Promise<LoadedProject> {
  const found = await discover(fs, paths, cwd);
  const files: LoadedFile[] = [];
  await readInOrder(found.files, file => load(fs, file, maxBytes, true), loaded => files.push(loaded));
  return {files, errors: found.errors};
}

/**
 * Discovers the files and hands each to `use` as soon as it is read, in discovery order,
 * keeping none: an audit needs only the facts parsed from a file, not its text, so a scan
 * of thousands of files never holds them all. No sha256 either: only a writer needs one.
 */
export async function scanProject(fs: FileSystem, paths: readonly string[], cwd: string, maxBytes: number, use: (file: LoadedFile) => void): Promise<{errors: AuditError[]}> {
  const found = await discover(fs, paths, cwd);
  await readInOrder(found.files, file => load(fs, file, maxBytes, false), use);
  return {errors: found.errors};
}

async function load(fs: FileSystem, found: FoundFile, maxBytes: number, hash: boolean): Promise<LoadedFile> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.read(found.path, maxBytes);
  } catch (error) {
    const code = (error as {code?: string}).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied; check the file mode' : `cannot read: ${(error as Error).message}`;
    return {file: found.file, type: found.type, error: why};
  }
  // The reader stops at maxBytes + 1: the size in the message comes from the file itself.
  const size = bytes.length > maxBytes ? await fs.stat(found.path).then(info => info.size, () => bytes.length) : bytes.length;
  const decoded = decodeText(bytes, maxBytes, size);
  if (!decoded.ok) return {file: found.file, type: found.type, error: decoded.message};
  const loaded: LoadedFile = {file: found.file, type: found.type, text: decoded.text, bom: decoded.bom};
  if (hash) loaded.sha256 = createHash('sha256').update(bytes).digest('hex');
  return loaded;
}

/** Runs `read` on up to {@link readAhead} items at a time and hands the results to `use` in the items' order. */
async function readInOrder<T, R>(items: readonly T[], read: (item: T) => Promise<R>, use: (result: R) => void): Promise<void> {
  const inFlight: Array<Promise<R>> = [];
  let next = 0;
  while (next < items.length && inFlight.length < readAhead) inFlight.push(read(items[next++]!));
  while (inFlight.length > 0) {
    const result = await inFlight.shift()!;
    if (next < items.length) inFlight.push(read(items[next++]!));
    use(result);
  }
}
