import {open, readdir, realpath, stat} from 'node:fs/promises';
import type {EntryKind, FileSystem} from '../ports.js';

function kindOf(entry: {isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean}): EntryKind {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isFile()) return 'file';
  return entry.isDirectory() ? 'directory' : 'other';
}

/** The real file system through node:fs. */
export const nodeFileSystem: FileSystem = {
  async list(dir) {
    const entries = await readdir(dir, {withFileTypes: true});
    return entries.map(entry => ({name: entry.name, kind: kindOf(entry)}));
  },
  async stat(path) {
    const info = await stat(path);
    return {kind: kindOf(info), size: info.size};
  },
  realpath: path => realpath(path),
  async read(path, maxBytes) {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(maxBytes + 1, (await handle.stat()).size));
      const {bytesRead} = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  },
};
