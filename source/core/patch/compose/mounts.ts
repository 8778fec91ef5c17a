import type {YAMLMap} from 'yaml';
import type {WritableMount} from '../../model/plan.js';
import {shortVolume} from '../../parse/compose.js';
import {get, items, locatedBool, locatedString, scalar, stringList} from '../../parse/yaml-nodes.js';
import {canonicalPath, normalisePath} from '../../paths.js';
import {valueChain, type Source} from './locate.js';

/** A path a service already mounts, keyed by its canonical form (/var/run is /run). */
export interface Mounted {
  kind: 'tmpfs' | 'volume' | 'bind' | 'other';
  readOnly: boolean;
  /** Where it was found, for the reason text: `tmpfs`, `volumes`, or `this fix`. */
  where: string;
}

/**
 * Compose's tmpfs short syntax, `<path>:<options>`, with the mount options Docker's
 * tmpfs takes: mode, uid, gid, size and exec (Docker mounts tmpfs noexec, which breaks
 * native libraries; RESEARCH.md). Without options it is the bare path.
 */
export function tmpfsEntry(mount: WritableMount): string {
  const options: string[] = [];
  if (mount.mode !== undefined && mount.mode !== '') options.push(`mode=${mount.mode}`);
  if (mount.uid !== undefined) options.push(`uid=${mount.uid}`);
  if (mount.gid !== undefined) options.push(`gid=${mount.gid}`);
  if (mount.sizeMiB !== undefined) {
    options.push(Number.isInteger(mount.sizeMiB) ? `size=${mount.sizeMiB}m` : `size=${Math.ceil(mount.sizeMiB * 1024)}k`);
  }
  if (mount.exec) options.push('exec');
  return options.length === 0 ? mount.path : `${mount.path}:${options.join(',')}`;
}

/**
 * Every path the service mounts through `volumes:` and `tmpfs:`, its own or merged-in
 * values and those of same-file services it extends (Compose merges those lists).
 */
export function mountedPaths(src: Source, map: YAMLMap): Map<string, Mounted> {
  const {ctx} = src;
  const found = new Map<string, Mounted>();
  const add = (target: string, mounted: Mounted) => {
    const key = canonicalPath(target);
    if (!found.has(key)) found.set(key, mounted);
  };
  for (const list of valueChain(src, map, 'volumes')) {
    for (const item of items(ctx, list)) {
      const short = locatedString(ctx, item);
      if (short) {
        const mount = shortVolume(short.value, 0);
        if (mount) add(mount.target, {kind: mount.kind === 'bind' ? 'bind' : 'volume', readOnly: mount.readOnly, where: 'volumes'});
        continue;
      }
      const target = locatedString(ctx, get(ctx, item, 'target'))?.value;
      if (!target?.startsWith('/')) continue;
      const type = String(scalar(ctx, get(ctx, item, 'type')) ?? 'volume');
      const kind = type === 'tmpfs' || type === 'volume' || type === 'bind' ? type : 'other';
      add(normalisePath(target), {kind, readOnly: locatedBool(ctx, get(ctx, item, 'read_only'))?.value === true, where: 'volumes'});
    }
  }
  for (const list of valueChain(src, map, 'tmpfs')) {
    for (const entry of stringList(ctx, list)) {
      const path = entry.value.split(':')[0]!;
      if (path.startsWith('/')) add(normalisePath(path), {kind: 'tmpfs', readOnly: false, where: 'tmpfs'});
    }
  }
  return found;
}

/**
 * A short-syntax volume entry with `ro` in its mode when it binds `target` writable
 * (`./nginx.conf:/etc/nginx/nginx.conf` -> `...:ro`, `...:rw,z` -> `...:z,ro`); undefined
 * for any other entry, which stays as written.
 */
export function readOnlyEntry(entry: string, target: string): string | undefined {
  const mount = shortVolume(entry, 0);
  if (mount?.kind !== 'bind' || mount.readOnly || canonicalPath(mount.target) !== canonicalPath(target)) return undefined;
  const at = entry.lastIndexOf(':');
  const mode = entry.slice(at + 1);
  // The last part is the mode unless it is the target itself (`source:target`).
  if (mode.startsWith('/')) return `${entry}:ro`;
  const kept = mode.split(',').filter(option => option !== '' && option !== 'rw');
  return `${entry.slice(0, at)}:${[...kept, 'ro'].join(',')}`;
}
