import {createHash} from 'node:crypto';
import {cp, mkdtemp, readdir, readFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';

/** sha256 of every file under `dir`, by relative path: a tree's fingerprint, for byte-for-byte checks. */
export async function hashTree(dir: string, skip: readonly string[] = ['.harden']): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const entries = await readdir(dir, {withFileTypes: true, recursive: true});
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const rel = relative(dir, path);
    if (skip.some(s => rel === s || rel.startsWith(s + '/'))) continue;
    result[rel] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** A scratch copy of a fixture directory, so a test may change it. */
export async function copyFixture(source: string, prefix = 'harden-fixture-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await cp(source, dir, {recursive: true});
  return dir;
}
