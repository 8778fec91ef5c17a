/** What a directory entry is, without following a symbolic link. */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

/**
 * The file system as the core's discovery needs it. The real one is runtime/fs/node-fs.ts;
 * tests may give an in-memory one.
 */
export interface FileSystem {
  /** Entries of a directory, not sorted. */
  list(dir: string): Promise<Array<{name: string; kind: EntryKind}>>;
  /** Follows links; `kind` is never `symlink`. Rejects when the path does not exist. */
  stat(path: string): Promise<{kind: EntryKind; size: number}>;
  /** The canonical absolute path, links resolved. */
  realpath(path: string): Promise<string>;
  /** Reads at most `maxBytes + 1` bytes, so a caller can tell that a file is too large without reading it all. */
  read(path: string, maxBytes: number): Promise<Uint8Array>;
}
