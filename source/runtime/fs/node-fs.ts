import {closeSync, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync} from 'node:fs';
import type {EntryKind, FileSystem} from '../ports.js';

function kindOf(entry: {isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean}): EntryKind {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isFile()) return 'file';
  return entry.isDirectory() ? 'directory' : 'other';
}

/**
 * The real file system through node:fs. The calls are synchronous behind the async port: a
 * scan makes a few calls per small file, and a thread-pool round trip costs far more than the
 * system call itself (9,000 files read in 0.1 s with sync calls, 0.9 s through fs/promises,
 * on 2 CPUs). Each call still blocks for only one system call or a few.
 */
export const nodeFileSystem: FileSystem = {
  async list(dir) {
    const entries = readdirSync(dir, {withFileTypes: true});
    return entries.map(entry => ({name: entry.name, kind: kindOf(entry)}));
  },
  async stat(path) {
    const info = statSync(path);
    return {kind: kindOf(info), size: info.size};
  },
  realpath: async path => realpathSync.native(path),
  async read(path, maxBytes) {
    const fd = openSync(path, 'r');
    try {
      // A first read into a shared buffer takes most files whole without asking their size.
      const limit = maxBytes + 1;
      const first = readSync(fd, scratch, 0, Math.min(scratch.length, limit), 0);
      if (first < Math.min(scratch.length, limit) || first === limit) return Buffer.from(scratch.subarray(0, first));
      const buffer = Buffer.alloc(Math.min(limit, Math.max(fstatSync(fd).size, first)));
      scratch.copy(buffer, 0, 0, first);
      let bytesRead = first;
      while (bytesRead < buffer.length) {
        const more = readSync(fd, buffer, bytesRead, buffer.length - bytesRead, bytesRead);
        if (more === 0) break;
        bytesRead += more;
      }
      return buffer.subarray(0, bytesRead);
    } finally {
      closeSync(fd);
    }
  },
};

/** The first read of every file goes here; only the bytes read are copied out. */
const scratch = Buffer.alloc(64 * 1024);
