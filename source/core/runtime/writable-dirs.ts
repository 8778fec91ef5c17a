import type {FileChangeFact, MountFact} from '../model/facts.js';
import {canonicalPath, isForbiddenWritable, normalisePath, suggestMount} from '../paths.js';

/*
 * Turns `docker diff` into the directories a read-only container needs writable. The
 * diff lists every entry of the container's own layer: real writes, the parents the
 * overlay copied up on the way (`C /var`, `C /var/cache`), mount points Docker created
 * (`A /data` for `-v x:/data`, with `A` parents when they did not exist, which are Docker's
 * too, never the app's) and files Docker
 * manages. It does not say what is a file and what a directory, so an entry with nothing
 * listed below it is taken for a file, and its directory needs the mount.
 */

/** A directory that needs a writable mount, and the changes that show it. */
export interface WritableDir {
  /** Canonical absolute directory (`/var/run` is `/run`). */
  path: string;
  /** Suggested mount: tmpfs for ephemeral data, a volume for data that must outlive the container or that the image ships. */
  mount: 'tmpfs' | 'volume';
  /** The changes, as `docker diff` prints them (`A /var/log/app/access.log`, `C /run`), sorted; long lists end in `... and N more`. */
  evidence: string[];
  /**
   * What the image ships here. `directory`: the directory existed in the image (the
   * diff says C, not A), so it may hold files a tmpfs would hide. `files`: the app
   * changed or deleted files the image ships, so a tmpfs would certainly hide them and
   * the suggestion is a volume (Docker seeds a new volume from the image's files).
   */
  shipped?: 'directory' | 'files';
  /** Set when the writes land straight in a system directory (`/`, `/etc`, `/usr`): no mount fits, the image must change. */
  system?: true;
  /** Why, for a system directory. */
  reason?: string;
}

/** Options of {@link collapseChanges}. */
export interface CollapseOptions {
  /** The container's mounts: writes at or under them are not in its layer, and their mount points are Docker's. */
  mounts?: readonly MountFact[];
  /** More paths (and everything below them) to leave out. */
  ignore?: readonly string[];
}

/** Paths Docker creates or bind-mounts into every container (Podman adds /run/.containerenv). */
const managed = ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf', '/etc/mtab', '/.dockerenv', '/.dockerinit', '/run/.containerenv', '/proc', '/sys', '/dev'];

/**
 * Directories no mount may cover: a mount there hides the system's own files. Writes
 * straight into one of them (`/etc/foo.conf`, a file in `/`) need an image change.
 */
const systemDirs = new Set([
  '/', '/bin', '/boot', '/etc', '/home', '/lib', '/lib32', '/lib64', '/libx32', '/opt', '/sbin', '/usr', '/var', '/var/lib',
  '/usr/bin', '/usr/include', '/usr/lib', '/usr/lib64', '/usr/libexec', '/usr/local', '/usr/local/bin', '/usr/local/lib',
  '/usr/local/sbin', '/usr/sbin', '/usr/share',
]);

/** True for `/`, a kernel or Docker path, or a top-level system directory such as `/etc` or `/usr/lib`. */
export function isSystemDir(path: string): boolean {
  const p = canonicalPath(path);
  return systemDirs.has(p) || isForbiddenWritable(p);
}

/**
 * Where writes collapse to a well-known root, whatever is below: temp and run
 * directories, one cache per program, npm's cache. Returns the number of leading
 * components of the root, or 0. Each root is a directory even when nothing is listed
 * below it: programs keep their cache in /var/cache/<name>, not in files beside it.
 */
function knownRoot(parts: readonly string[]): number {
  const [a, b] = parts;
  if (a === 'tmp' || a === 'run') return 1;
  if ((a === 'var' && b === 'tmp') || (a === 'dev' && b === 'shm') || (a === 'root' && b === '.npm')) return 2;
  if (a === 'home' && parts[2] === '.npm') return 3;
  if (a === 'var' && b === 'cache' && parts.length >= 3) return 3;
  return 0;
}

/** A component a mount path cannot carry: compose files and `--tmpfs` flags have no way to write a control character. */
const unsafe = /[\u0000-\u001f\u007f]/;

const toPath = (parts: readonly string[]) => '/' + parts.join('/');
const letter = {added: 'A', modified: 'C', deleted: 'D'} as const;
const printable = (path: string) => path.replace(/[\u0000-\u001f\u007f]/g, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Linux's PATH_MAX; anything longer is not a path the kernel would have written. */
const maxPath = 4096;
const maxEvidence = 20;

interface Node {
  name: string;
  parent: Node | undefined;
  children: Map<string, Node>;
  /** Set when the diff lists this path. */
  change?: {kind: FileChangeFact['kind']; text: string; ignored: boolean; directory?: boolean};
}

function under(path: string, roots: readonly string[]): boolean {
  return roots.some(root => root === '/' || path === root || path.startsWith(root + '/'));
}

function partsOf(node: Node): string[] {
  const parts: string[] = [];
  for (let n: Node | undefined = node; n?.parent; n = n.parent) parts.push(n.name);
  return parts.reverse();
}

/** The directory a single written path needs mounted: its own when it is a directory, else its parent's, collapsed to a known root. */
export function pathToMount(path: string, options: {directory?: boolean} = {}): string {
  const parts = canonicalPath(path).split('/').filter(Boolean);
  const root = knownRoot(parts);
  const dir = root > 0 ? parts.slice(0, root) : options.directory ? parts : parts.slice(0, -1);
  const cut = dir.findIndex(part => unsafe.test(part));
  return toPath(cut >= 0 ? dir.slice(0, cut) : dir);
}

/**
 * The directories that need a writable mount for the changes a container made, one
 * per directory, sorted by path. Files collapse into their directory; a tree the app
 * created (`A` all the way down) into its top; anything under /tmp, /var/tmp, /run,
 * /dev/shm, /var/cache/<program>, ~/.npm into that root. A directory inside another
 * one that is proposed folds into it. Writes straight into a system directory are
 * reported with `system: true` rather than proposed.
 */
export function collapseChanges(changes: readonly FileChangeFact[], options: CollapseOptions = {}): WritableDir[] {
  const mountPoints = [...(options.mounts ?? []).map(m => canonicalPath(m.target)), ...(options.ignore ?? []).map(p => canonicalPath(p))];
  const skip = [...managed, ...mountPoints];
  const root: Node = {name: '', parent: undefined, children: new Map()};
  const listed: Node[] = [];
  for (const change of changes) {
    if (typeof change.path !== 'string' || !change.path.startsWith('/') || change.path.length > maxPath || change.path.includes('\u0000')) continue;
    const canonical = canonicalPath(change.path);
    if (canonical === '/') continue;
    let node = root;
    for (const name of canonical.slice(1).split('/')) {
      let child = node.children.get(name);
      if (!child) node.children.set(name, (child = {name, parent: node, children: new Map()}));
      node = child;
    }
    if (node.change || !(change.kind in letter)) continue;
    // A parent of a mount point that the diff says was added is Docker's too: `A /srv` for VOLUME /srv/uploads.
    const madeForMount = change.kind === 'added' && mountPoints.some(path => path.startsWith(`${canonical}/`));
    const ignored = canonical === '/dev/shm' || canonical.startsWith('/dev/shm/') ? false : under(canonical, skip) || madeForMount;
    node.change = {kind: change.kind, text: `${letter[change.kind]} ${printable(normalisePath(change.path))}`, ignored};
    if (change.directory !== undefined) node.change.directory = change.directory;
    listed.push(node);
  }

  const groups = new Map<string, Group>();
  for (const leaf of listed) {
    if (leaf.children.size > 0 || leaf.change!.ignored) continue;
    const {kind} = leaf.change!;
    const parts = partsOf(leaf);
    // A lone top-level entry without an extension is a directory: files in / are rare, and /.dockerenv is Docker's.
    const isDir = leaf.change!.directory ?? (kind !== 'deleted' && parts.length === 1 && !parts[0]!.includes('.'));
    const rootLength = knownRoot(parts);
    let dir: Node | undefined;
    let dirParts: string[];
    if (rootLength > 0) {
      dirParts = parts.slice(0, rootLength);
      dir = leaf;
      for (let i = parts.length; i > rootLength; i--) dir = dir!.parent;
    } else {
      dir = isDir ? leaf : leaf.parent;
      dirParts = isDir ? parts : parts.slice(0, -1);
      // A tree the app created at run time is mounted at its top: it may create more below.
      while (dir?.change?.kind === 'added' && dir.parent?.change?.kind === 'added' && !dir.parent.change.ignored && !isSystemDir(toPath(dirParts.slice(0, -1)))) {
        dir = dir.parent;
        dirParts = dirParts.slice(0, -1);
      }
    }
    const cut = dirParts.findIndex(part => unsafe.test(part));
    if (cut >= 0) {
      for (let i = dirParts.length; i > cut; i--) dir = dir?.parent;
      dirParts = dirParts.slice(0, cut);
    }
    const path = toPath(dirParts);
    let group = groups.get(path);
    if (!group) groups.set(path, (group = {parts: dirParts, evidence: new Set(), root: rootLength > 0}));
    if (!isDir && kind !== 'added') ship(group, 'files');
    else if (dir?.change?.kind === 'modified') ship(group, 'directory');
    // Evidence: the leaf and every listed entry up to the directory, stopping where an earlier leaf already walked.
    for (let n: Node | undefined = leaf; n && n !== dir?.parent; n = n.parent) {
      if (!n.change || n.change.ignored) continue;
      if (group.evidence.has(n)) break;
      group.evidence.add(n);
    }
  }

  // Fold a proposed directory into a proposed (non-system) directory above it.
  const paths = [...groups.keys()].sort((a, b) => a.length - b.length || compare(a, b));
  for (const path of paths) {
    const group = groups.get(path)!;
    for (let i = group.parts.length - 1; i >= 0; i--) {
      const above = groups.get(toPath(group.parts.slice(0, i)));
      if (!above || isSystemDir(toPath(above.parts))) continue;
      for (const n of group.evidence) above.evidence.add(n);
      if (group.shipped) ship(above, group.shipped);
      groups.delete(path);
      break;
    }
  }

  return [...groups.entries()].sort(([a], [b]) => compare(a, b)).map(([path, group]) => describe(path, group));
}

interface Group {
  parts: string[];
  /** Listed entries that led here. */
  evidence: Set<Node>;
  /** A well-known ephemeral root: always a tmpfs, whatever the image ships there. */
  root: boolean;
  shipped?: 'directory' | 'files';
}

/** Records what the image ships in a group; `files` outranks `directory`. */
function ship(group: Group, what: 'directory' | 'files'): void {
  if (group.shipped !== 'files') group.shipped = what;
}

function describe(path: string, group: Group): WritableDir {
  const all = [...group.evidence].map(n => ({path: partsOf(n).join('/'), text: n.change!.text})).sort((a, b) => compare(a.path, b.path) || compare(a.text, b.text));
  const evidence = all.slice(0, maxEvidence).map(e => e.text);
  if (all.length > maxEvidence) evidence.push(`... and ${all.length - maxEvidence} more`);
  const result: WritableDir = {path, mount: suggestMount(path), evidence};
  if (isSystemDir(path)) {
    result.system = true;
    const where = path === '/' ? 'the root directory' : path;
    result.reason = `the app writes straight into ${where}, and a mount there would hide the system's own files; the image must move these writes into a directory of their own (create it in the Dockerfile and mount that)`;
    return result;
  }
  if (group.root) result.mount = 'tmpfs';
  else if (group.shipped === 'files') result.mount = 'volume';
  if (!group.root && group.shipped) result.shipped = group.shipped;
  return result;
}
