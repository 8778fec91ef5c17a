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

/** Discovers and reads the files under the given paths, at most 32 reads at a time. */
export async function loadProject(fs: FileSystem, paths: readonly string[], cwd: string, maxBytes: number): Promise<LoadedProject> {
  const found = await discover(fs, paths, cwd);
  const files = await mapLimit(found.files, 32, file => load(fs, file, maxBytes));
  return {files, errors: found.errors};
}

async function load(fs: FileSystem, found: FoundFile, maxBytes: number): Promise<LoadedFile> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.read(found.path, maxBytes);
  } catch (error) {
    const code = (error as {code?: string}).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied; check the file mode' : `cannot read: ${(error as Error).message}`;
    return {file: found.file, type: found.type, error: why};
  }
  const decoded = decodeText(bytes, maxBytes);
  if (!decoded.ok) return {file: found.file, type: found.type, error: decoded.message};
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return {file: found.file, type: found.type, text: decoded.text, sha256, bom: decoded.bom};
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
  return results;
}
