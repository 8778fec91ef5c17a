import {isAbsolute, posix} from 'node:path';
import {printableName, projectFileProblem} from '../../core/project-file.js';

/*
 * `manifest.json` of a backup, read as untrusted input: a repository can ship its own
 * `.harden/backups`. A manifest is used only when every entry is one harden could have
 * written; one bad entry refuses the whole backup.
 */

/** One file in a backup, as `manifest.json` records it. */
export interface BackupFile {
  /** Project backups: path relative to the project, `/`-separated, through no link. Host backups: absolute. */
  file: string;
  /** False when the fix created the file: undo deletes it. */
  existed: boolean;
  /** Name of the copy of the original bytes inside the backup directory; only when `existed`. */
  backup?: string;
  /** Permission bits of the original (no set-id or sticky bit is ever restored); only when `existed`. */
  mode?: number;
  /** sha256 of the original bytes; only when `existed`. */
  sha256Before?: string;
  /** sha256 of the bytes the fix wrote: undo refuses to overwrite anything else. */
  sha256After: string;
}

/** `manifest.json` of a backup. It is written last, so a directory without one is an unfinished backup. */
export interface BackupManifest {
  /** Directory name: ISO timestamp (colons as dashes) and a counter, so names sort by time. */
  id: string;
  /** ISO timestamp. */
  createdAt: string;
  tool: {name: string; version: string};
  /** Real project directory when the backup was made. Informative for project backups; host backups are found by it. */
  cwd: string;
  files: BackupFile[];
  /**
   * Project backups only: the folders the fix created for new files (`.github/workflows`,
   * `falco`), project-relative, parents before children; absent in older backups. Undo
   * removes each one that is empty once the files are gone, deepest first, and nothing else.
   */
  createdDirs?: string[];
}

/** The manifest, or why it cannot be used: `damaged` (unreadable) or `foreign` (names a path harden never writes). */
export type ParsedManifest = {ok: true; manifest: BackupManifest} | {ok: false; kind: 'damaged' | 'foreign'; problem: string};

const hex64 = /^[0-9a-f]{64}$/;
const copyName = /^\d{3}-[^/\\\u0000-\u001f\u007f]{1,255}\.orig$/;

/** Reads `text` as the manifest of backup `id`; `host` backups hold absolute paths outside any project. */
export function parseManifest(text: string, id: string, host: boolean): ParsedManifest {
  const damaged = (problem: string): ParsedManifest => ({ok: false, kind: 'damaged', problem});
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return damaged('its manifest.json is not JSON');
  }
  const m = value as Partial<BackupManifest> | null;
  if (typeof m !== 'object' || m === null || m.id !== id || typeof m.createdAt !== 'string' || typeof m.cwd !== 'string' ||
    typeof m.tool?.name !== 'string' || typeof m.tool.version !== 'string' || !Array.isArray(m.files) || m.files.length === 0) {
    return damaged('its manifest.json lacks the fields harden writes');
  }
  const files = new Set<string>();
  const copies = new Set<string>();
  for (const entry of m.files as Array<Partial<BackupFile> | null>) {
    if (typeof entry !== 'object' || entry === null || typeof entry.file !== 'string') return damaged('an entry of its manifest.json has no file');
    const problem = host ? hostFileProblem(entry.file) : projectFileProblem(entry.file) ?? (entry.file.split('/')[0] === '.harden' ? 'is inside .harden' : undefined);
    if (problem !== undefined) return {ok: false, kind: 'foreign', problem: `it names ${printableName(entry.file.slice(0, 200))}, which ${problem}`};
    if (files.has(entry.file)) return damaged(`it lists ${printableName(entry.file)} twice`);
    files.add(entry.file);
    if (typeof entry.sha256After !== 'string' || !hex64.test(entry.sha256After)) return damaged(`the checksum of ${printableName(entry.file)} is missing`);
    if (entry.existed === false) continue;
    if (entry.existed !== true || typeof entry.backup !== 'string' || !copyName.test(entry.backup) || copies.has(entry.backup) ||
      !Number.isInteger(entry.mode) || entry.mode! < 0 || entry.mode! > 0o7777 ||
      typeof entry.sha256Before !== 'string' || !hex64.test(entry.sha256Before)) {
      return damaged(`the entry of ${printableName(entry.file)} is incomplete`);
    }
    copies.add(entry.backup);
  }
  const dirs = createdDirsProblem(m.createdDirs, m.files as BackupFile[], host);
  if (dirs !== undefined) return dirs;
  return {ok: true, manifest: m as BackupManifest};
}

/**
 * `createdDirs` as harden writes it, or why not: a list of project-relative folders, none in
 * `.harden`, none twice, each the parent of a file the fix created. Checked as strictly as
 * the files: undo deletes these folders (when empty), and a project can ship the manifest.
 */
function createdDirsProblem(dirs: unknown, files: readonly BackupFile[], host: boolean): ParsedManifest | undefined {
  if (dirs === undefined) return undefined;
  if (host || !Array.isArray(dirs) || dirs.length === 0) return {ok: false, kind: 'damaged', problem: 'its manifest.json has a createdDirs field harden does not write'};
  const created = files.filter(f => !f.existed).map(f => f.file);
  const seen = new Set<string>();
  for (const dir of dirs as unknown[]) {
    if (typeof dir !== 'string') return {ok: false, kind: 'damaged', problem: 'a folder of its manifest.json is not a name'};
    const problem = projectFileProblem(dir) ?? (dir.split('/')[0] === '.harden' ? 'is inside .harden' : undefined)
      ?? (created.some(file => file.startsWith(`${dir}/`)) ? undefined : 'holds no file the fix created');
    if (problem !== undefined) return {ok: false, kind: 'foreign', problem: `it names the folder ${printableName(dir.slice(0, 200))}, which ${problem}`};
    if (seen.has(dir)) return {ok: false, kind: 'damaged', problem: `it lists the folder ${printableName(dir)} twice`};
    seen.add(dir);
  }
  return undefined;
}

/** Host backups (daemon.json outside the project) live in the user's own state folder, which no project can write. */
function hostFileProblem(file: string): string | undefined {
  if (!isAbsolute(file) || posix.normalize(file) !== file || file.length > 4096) return 'is not a normal absolute path';
  if (/[\u0000-\u001f\u007f-\u009f]/.test(file)) return 'has a control character';
  return undefined;
}

/** The mode to restore: permission bits only. A setuid file in a backup can only be someone's attack. */
export function safeMode(mode: number): number {
  return mode & 0o777;
}
