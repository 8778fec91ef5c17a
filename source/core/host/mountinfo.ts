import type {MountEntry} from '../model/host.js';

/*
 * /proc/<pid>/mountinfo, proc(5):
 *
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   (1)(2)(3)   (4)   (5)      (6)      (7)   (8) (9)    (10)         (11)
 *
 * Optional fields (7) run up to the lone `-`. The kernel escapes space, tab, newline and
 * backslash in paths as `\040`, `\011`, `\012`, `\134`, so splitting on spaces is safe.
 * A line that does not fit is skipped: one odd line must not hide every other mount.
 */

function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

function options(field: string | undefined): string[] {
  return (field ?? '').split(',').filter(Boolean);
}

/** Every well-formed line of a mountinfo file, in file order (later mounts sit on top). */
export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    const dash = fields.indexOf('-', 6);
    if (fields.length < 9 || dash < 6 || fields.length < dash + 3) continue;
    const id = Number(fields[0]);
    if (!Number.isInteger(id) || !/^\d+:\d+$/.test(fields[2]!)) continue;
    const mountOptions = options(fields[5]);
    const superOptions = options(fields[dash + 3]);
    entries.push({
      id,
      device: fields[2]!,
      root: unescape(fields[3]!),
      mountPoint: unescape(fields[4]!),
      options: mountOptions,
      fsType: fields[dash + 1]!,
      source: unescape(fields[dash + 2]!),
      superOptions,
      readOnly: mountOptions.includes('ro') || superOptions.includes('ro'),
    });
  }
  return entries;
}

/** `/var/lib/docker/` and `/var/lib//docker` as `/var/lib/docker`. */
function normalise(path: string): string {
  const parts = path.split('/').filter(part => part !== '' && part !== '.');
  return '/' + parts.join('/');
}

/**
 * The mount that holds `path`: the longest mount point above it, and of several mounts on one
 * point the last (the one on top). Undefined only when the table has no `/`.
 */
export function mountFor(entries: readonly MountEntry[], path: string): MountEntry | undefined {
  const target = normalise(path);
  let best: MountEntry | undefined;
  for (const entry of entries) {
    const point = normalise(entry.mountPoint);
    const holds = point === '/' || target === point || target.startsWith(point + '/');
    if (holds && (!best || point.length >= normalise(best.mountPoint).length)) best = entry;
  }
  return best;
}
