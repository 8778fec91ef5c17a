import {basename, isAbsolute, join, relative, resolve, sep} from 'node:path';
import type {AuditError} from '../model/finding.js';
import type {FileSystem} from '../../runtime/ports.js';
import {classify, classifyExplicit, skippedDirectories, type FileType} from './classify.js';

/** A project file found by discovery. */
export interface FoundFile {
  /** Absolute path on the host. */
  path: string;
  /** Path shown to the user and written in reports: relative to `cwd`, `/`-separated. */
  file: string;
  type: FileType;
}

export interface Discovery {
  files: FoundFile[];
  /** Roots that do not exist or cannot be read. */
  errors: AuditError[];
}

export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path) || basename(path);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/**
 * Finds Dockerfiles, compose files and YAML candidates under each root. Symbolic
 * links are followed only while they stay inside the root they were found under,
 * and each real directory is read once, so link loops end.
 */
export async function discover(fs: FileSystem, roots: readonly string[], cwd: string): Promise<Discovery> {
  const files: FoundFile[] = [];
  const errors: AuditError[] = [];
  const seenFiles = new Set<string>();
  const add = (path: string, real: string, type: FileType, file = displayPath(cwd, path)) => {
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push({path, file, type});
  };

  for (const root of roots) {
    const absolute = resolve(cwd, root);
    let info;
    let real: string;
    try {
      info = await fs.stat(absolute);
      real = await fs.realpath(absolute);
    } catch (error) {
      errors.push({file: displayPath(cwd, absolute), line: 0, message: `cannot read: ${reason(error)}; check the path`});
      continue;
    }
    if (info.kind === 'file') {
      add(absolute, real, classifyExplicit(basename(absolute)));
      continue;
    }
    const visited = new Set<string>();
    // Paths below the root are built by appending names, and shown relative to cwd by prefix,
    // when that gives what join() and relative() would: POSIX separators, a root at or below cwd.
    const rootDisplay = relative(cwd, absolute);
    const direct = sep === '/' && !rootDisplay.startsWith('..') && !isAbsolute(rootDisplay);
    const child = (dir: string, name: string) => (direct ? (dir === '/' ? `/${name}` : `${dir}/${name}`) : join(dir, name));
    const walk = async (dir: string, realDir: string, display: string): Promise<void> => {
      if (visited.has(realDir)) return;
      visited.add(realDir);
      let entries;
      try {
        entries = await fs.list(dir);
      } catch (error) {
        errors.push({file: displayPath(cwd, dir), line: 0, message: `cannot list directory: ${reason(error)}`});
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const path = child(dir, entry.name);
        const shown = direct ? (display === '' ? entry.name : `${display}/${entry.name}`) : '';
        let kind = entry.kind;
        let realPath = child(realDir, entry.name);
        if (kind === 'symlink') {
          try {
            realPath = await fs.realpath(path);
            kind = (await fs.stat(path)).kind;
          } catch {
            continue; // a dangling link points at nothing to audit
          }
          if (realPath !== real && !realPath.startsWith(real + sep)) continue;
        }
        if (kind === 'directory') {
          if (!skippedDirectories.has(entry.name)) await walk(path, realPath, shown);
        } else if (kind === 'file') {
          const type = classify(entry.name);
          if (type) add(path, realPath, type, direct ? shown : displayPath(cwd, path));
        }
      }
    };
    await walk(absolute, real, rootDisplay);
  }
  return {files, errors};
}

function reason(error: unknown): string {
  const code = (error as {code?: string}).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
