import {posix} from 'node:path';
import {userIds} from '../knowledge/user-ids.js';
import {isRootUser} from '../knowledge/well-known-images.js';
import type {FileChangeFact, MountFact} from '../model/facts.js';
import {normalisePath} from '../paths.js';
import {collapseChanges} from '../runtime/writable-dirs.js';
import type {KeptMount, RunWritable} from './model.js';
import {shortHash} from './format.js';
import {printable} from './quote.js';

/*
 * The mounts of the hardened container: those the original had, and one per directory
 * it wrote in its own layer.
 */

type Json = Record<string, unknown>;

const record = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const array = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Default tmpfs size, as `harden fix` plans it: enough for temp files and caches, small enough to stop a runaway writer. */
const tmpfsMiB = 64;

/**
 * A path every output can carry: `-v` and `--tmpfs` split at `:`, `--mount` and Quadlet's
 * `Volume=` options at `,`, and no file format here has room for a control character.
 */
export function mountablePath(path: string): boolean {
  return path.startsWith('/') && !/[:,\u0000-\u001f\u007f]/.test(path);
}

/** A Docker volume name: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`. */
const volumeName = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** `--mount type=tmpfs` options from `HostConfig.Mounts[].TmpfsOptions`, in `--tmpfs` form. */
function tmpfsOptions(host: Json, target: string): string {
  const spec = array(host['Mounts']).map(record).find(m => text(m['Target']) !== undefined && normalisePath(text(m['Target'])!) === target);
  const options = record(spec?.['TmpfsOptions']);
  const parts: string[] = [];
  if (typeof options['Mode'] === 'number' && options['Mode'] > 0) parts.push(`mode=${options['Mode'].toString(8)}`);
  if (typeof options['SizeBytes'] === 'number' && options['SizeBytes'] > 0) parts.push(`size=${options['SizeBytes']}`);
  return parts.join(',');
}

/** The binds, volumes and tmpfs of the original container (`Mounts[]` and `HostConfig.Tmpfs`), sorted by target. */
export function keptMounts(doc: Json, notes: string[]): KeptMount[] {
  const host = record(doc['HostConfig']);
  const byTarget = new Map<string, KeptMount>();
  const skip = (what: string, why: string) => notes.push(`mount ${printable(what)} not carried over: ${why}`);
  for (const entry of array(doc['Mounts']).map(record)) {
    const destination = text(entry['Destination']);
    if (!destination?.startsWith('/')) continue;
    const target = normalisePath(destination);
    if (!mountablePath(target)) {
      skip(target, 'its path has a ":", "," or control character, which a mount flag cannot carry');
      continue;
    }
    const readOnly = entry['RW'] === false;
    const type = text(entry['Type']);
    if (type === 'bind') {
      const source = text(entry['Source']) ?? '';
      if (!mountablePath(source)) skip(target, `its source ${printable(source)} is not an absolute path a mount flag can carry`);
      else byTarget.set(target, {kind: 'bind', source, target, readOnly});
    } else if (type === 'volume') {
      const name = text(entry['Name']) ?? '';
      const driver = text(entry['Driver']) ?? 'local';
      if (!volumeName.test(name)) skip(target, `its volume name ${printable(name)} is not one Docker accepts`);
      else {
        byTarget.set(target, {kind: 'volume', name, target, readOnly});
        if (driver !== 'local') notes.push(`volume ${name} uses the ${printable(driver)} driver; it must exist before the container starts`);
      }
    } else if (type === 'tmpfs') {
      byTarget.set(target, {kind: 'tmpfs', target, options: tmpfsOptions(host, target)});
    } else {
      skip(target, `its type ${printable(type ?? 'unknown')} is not a bind, volume or tmpfs`);
    }
  }
  for (const [path, options] of Object.entries(record(host['Tmpfs']))) {
    if (!path.startsWith('/')) continue;
    const target = normalisePath(path);
    if (byTarget.has(target)) continue;
    if (!mountablePath(target)) skip(target, 'its path has a ":", "," or control character, which a mount flag cannot carry');
    else byTarget.set(target, {kind: 'tmpfs', target, options: text(options) ?? ''});
  }
  return [...byTarget.values()].sort((a, b) => compare(a.target, b.target));
}

/**
 * `<name>-<dir>`: readable in `docker volume ls`, a valid volume name, unique among `used`. When
 * the name had to be cut or changed to make one, a hash of the name and path follows, so two
 * containers (`Web` and `web`, or two long names alike in their first 60 characters) never
 * share a volume by accident.
 */
function uniqueVolume(name: string, path: string, used: Set<string>): string {
  const last = posix.basename(path) || 'root';
  const wanted = `${name}-${last}`;
  const clean = wanted.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '');
  const base = clean === wanted && clean.length <= 60 ? clean : `${clean.slice(0, 51).replace(/-+$/, '') || 'data'}-${shortHash(`${name}\u0000${path}`)}`;
  let volume = base;
  for (let n = 2; used.has(volume); n++) volume = `${base}-${n}`;
  used.add(volume);
  return volume;
}

/**
 * A mount for each directory the container wrote outside its mounts (collapseChanges):
 * a tmpfs for ephemeral data (mode 1777 on /tmp and /var/tmp; owned by a non-root user
 * whose ids are known), a named volume `<name>-<dir>` for data. Writes straight into a
 * system directory cannot be mounted and become a note.
 */
export function writableMounts(changes: readonly FileChangeFact[], kept: readonly KeptMount[], imageVolumes: readonly string[], name: string, user: string, notes: string[]): RunWritable[] {
  const covered: MountFact[] = [
    ...kept.map(m => ({target: m.target, kind: m.kind, readOnly: false, line: 0})),
    ...imageVolumes.map(target => ({target, kind: 'volume' as const, readOnly: false, line: 0})),
  ];
  const used = new Set(kept.flatMap(m => (m.kind === 'volume' ? [m.name] : [])));
  const ids = user !== '' && !isRootUser(user) ? userIds(user) : undefined;
  const result: RunWritable[] = [];
  for (const dir of collapseChanges(changes, {mounts: covered})) {
    if (dir.system) {
      notes.push(`${dir.path}: ${dir.reason ?? 'a system directory'} (${dir.evidence.slice(0, 3).join(', ')})`);
      continue;
    }
    if (!mountablePath(dir.path)) {
      notes.push(`${printable(dir.path)}: written, but its path has a ":" or ",", which a mount flag cannot carry`);
      continue;
    }
    const why = `Written at run time: ${dir.evidence.slice(0, 3).join(', ')}${dir.evidence.length > 3 ? ', and more' : ''}`;
    // Only a volume has a name; a tmpfs leaves it empty.
    const mount: RunWritable = {path: dir.path, mount: dir.mount, name: dir.mount === 'volume' ? uniqueVolume(name, dir.path, used) : '', why, evidence: dir.evidence};
    if (dir.mount === 'tmpfs') {
      if (dir.path === '/tmp' || dir.path === '/var/tmp') mount.mode = '1777';
      else if (ids && ids.uid !== 0) {
        mount.uid = ids.uid;
        if (ids.gid !== undefined) mount.gid = ids.gid;
      }
      mount.sizeMiB = tmpfsMiB;
      if (dir.shipped === 'directory') notes.push(`${dir.path} is in the image; if it holds files the app reads, a tmpfs hides them: make it a volume`);
    }
    result.push(mount);
  }
  return result;
}
