import {posix} from 'node:path';
import type {Subject} from './model/facts.js';
import {canonicalPath} from './paths.js';

/*
 * The names of the volumes harden proposes, in one place: the audit's advice and the
 * fix's files must name the same volume (a message said `postgres-postgresql` while the
 * fix wrote `postgres-postgresql-2`, the first name taken by the tmpfs of another path).
 */

/** Whose the volume is: the compose service's or the container's name. */
export function volumeOwner(subject: Subject): string {
  return subject.kind === 'compose-service' ? subject.service.name : subject.kind === 'k8s-container' ? subject.container.name : 'app';
}

/** Names a new volume of the subject must not take: those its Kubernetes pod uses already (the fix makes its own unique among them). */
export function takenVolumeNames(subject: Subject): readonly string[] {
  return subject.kind === 'k8s-container' ? (subject.container.pod.volumeNames ?? []) : [];
}

/** `web` + `/app/logs` -> `web-logs`: a DNS-1123 label (valid in compose and Kubernetes), room kept for a `-N`. */
function baseName(owner: string, path: string): string {
  return `${owner}-${posix.basename(path) || 'root'}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 55).replace(/-+$/, '') || 'data';
}

/**
 * A name for each path, unique among them (`-2`, `-3` for a later path with the same last
 * part), volumes first: compose writes only a volume's name, so postgres:18's
 * /var/lib/postgresql is `postgres-postgresql` and its /var/run/postgresql tmpfs the `-2`.
 * The audit and the plan pass the same write hints in the same order, so both say the same name.
 */
export function volumeNames(owner: string, hints: readonly {path: string; mount: 'tmpfs' | 'volume'}[], taken: Iterable<string> = []): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>(taken);
  const ordered = [...hints.filter(h => h.mount === 'volume'), ...hints.filter(h => h.mount !== 'volume')];
  for (const {path: raw} of ordered) {
    const path = canonicalPath(raw);
    if (names.has(path)) continue;
    const base = baseName(owner, path);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    names.set(path, name);
  }
  return names;
}
