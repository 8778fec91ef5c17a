import {tmpfsEntry} from '../patch/compose/mounts.js';
import type {KeptMount, PortBinding, RestartPolicy, RunConfig, RunWritable} from './model.js';
import {printable} from './quote.js';

/*
 * What the three renderers say the same way: mount and port specs in Docker's syntax
 * (compose and Podman take the same), file names, and the explanation of each hardening
 * setting for the comments.
 */

/** Longest file base; with `.compose.yaml` a name stays well under the 255 bytes file systems allow. */
const maxFileBase = 100;

/**
 * The base of the generated file names: the container name with anything but `[A-Za-z0-9_.-]`
 * replaced, never a path. A longer name is cut and ends in a hash of the whole name, so two
 * containers whose names share their first 100 characters get two sets of files.
 */
export function fileBase(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '') || 'container';
  return safe.length <= maxFileBase ? safe : `${safe.slice(0, maxFileBase - 9)}-${shortHash(name)}`;
}

/** The file base a configuration's files use: the one it was given, else the one its name gives. */
export function baseOf(config: RunConfig): string {
  return config.fileBase ?? fileBase(config.name);
}

/** 8 hex digits of FNV-1a over the UTF-16 code units: stable, and enough to tell names apart (not for secrets). */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** `[hostIp:][hostPort:]containerPort/protocol`; an IPv6 host address in brackets. */
export function portSpec(port: PortBinding): string {
  const ip = port.hostIp.includes(':') ? `[${port.hostIp}]` : port.hostIp;
  const host = ip !== '' ? `${ip}:${port.hostPort}:` : port.hostPort !== '' ? `${port.hostPort}:` : '';
  return `${host}${port.containerPort}/${port.protocol}`;
}

/** `--tmpfs` / compose `tmpfs:` / Quadlet `Tmpfs=`: `/path[:options]`. */
export function tmpfsSpec(mount: Extract<KeptMount, {kind: 'tmpfs'}> | RunWritable): string {
  if ('kind' in mount) return mount.options === '' ? mount.target : `${mount.target}:${mount.options}`;
  return tmpfsEntry(mount);
}

/** `-v` / Quadlet `Volume=`: `source:/path[:ro]`. */
export function volumeSpec(source: string, target: string, readOnly: boolean): string {
  return `${source}:${target}${readOnly ? ':ro' : ''}`;
}

/** `--restart` / compose `restart:`: `always`, `on-failure:5`. */
export function restartSpec(restart: RestartPolicy): string {
  return restart.maxRetries !== undefined ? `${restart.policy}:${restart.maxRetries}` : restart.policy;
}

/** Why the root filesystem is read-only, for a comment. */
export const readOnlyWhy = "The root filesystem is read-only: nothing at run time can change the image's files (OWASP Docker Top 10, D09).";

/** Why no-new-privileges, for a comment. */
export const noNewPrivilegesWhy = 'No process can gain privileges through setuid binaries or file capabilities.';

/** Why a directory is writable and why this kind of mount, for a comment. */
export function writableWhy(mount: RunWritable): string {
  if (mount.mount === 'volume') {
    return `${printable(mount.why)}. A named volume: the data outlives the container, and a new volume starts with what the image has there.`;
  }
  const parts = [`in memory, at most ${mount.sizeMiB ?? 64} MiB, empty at every start`];
  if (mount.mode === '1777') parts.push('mode 1777 like any /tmp');
  if (mount.uid !== undefined) parts.push(`owned by ${mount.uid}${mount.gid !== undefined ? `:${mount.gid}` : ''} so the non-root user can write it`);
  return `${printable(mount.why)}. A tmpfs: ${parts.join(', ')}.`;
}

/** The opening comment lines every file shares: what this is, what it is not (it never touches the running container). */
export function preamble(config: RunConfig): string[] {
  return [
    `Hardened launch configuration of container ${printable(config.name)} (image ${printable(config.image)}),`,
    "written by harden from the container's inspect data and the files it changed (docker diff).",
    'It starts a NEW container; harden never stops, changes or recreates the running one.',
  ];
}

/** The notes, one comment line each (wrapped by nobody: they stay greppable). */
export function noteLines(config: RunConfig): string[] {
  return config.notes.length === 0 ? [] : ['Review:', ...config.notes.map(note => `  - ${printable(note)}`)];
}
