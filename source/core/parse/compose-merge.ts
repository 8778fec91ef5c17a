import {posix} from 'node:path';
import type {ComposeFacts, ComposeService, Located, MountFact} from '../model/facts.js';

/**
 * `docker compose` reads compose.override.yaml on top of compose.yaml (and
 * docker-compose.override.yml on top of docker-compose.yml) without being asked, so a
 * service is judged on the merged settings. Returns the base file this override
 * belongs to, if the project has one.
 */
export function overrideBase(file: string, known: ReadonlySet<string>): string | undefined {
  const dir = posix.dirname(file);
  const match = /^(docker-compose|compose)\.override\.ya?ml$/i.exec(posix.basename(file));
  if (!match) return undefined;
  for (const ext of ['yaml', 'yml']) {
    const base = posix.join(dir, `${match[1]}.${ext}`);
    if (known.has(base)) return base;
  }
  return undefined;
}

/**
 * Lays an override's services over the base's, as Compose merges them: single
 * values replace, mounts merge by target, option lists add up. A value taken from
 * the override keeps the base service's line, since findings point into the base file.
 * Services only the override defines are returned apart, to be audited in their own file.
 */
export function mergeOverride(base: ComposeFacts, override: ComposeFacts): {merged: ComposeFacts; own: ComposeFacts} {
  const own: ComposeService[] = [];
  const services = base.services.map(s => ({...s}));
  for (const top of override.services) {
    const index = services.findIndex(s => s.name === top.name);
    if (index < 0) {
      own.push(top);
      continue;
    }
    services[index] = overlay(services[index]!, top);
  }
  return {merged: {file: base.file, services}, own: {file: override.file, services: own}};
}

function overlay(base: ComposeService, top: ComposeService): ComposeService {
  const at = <T>(value: Located<T> | undefined): Located<T> | undefined => (value ? {value: value.value, line: base.line} : undefined);
  const result: ComposeService = {...base};
  if (top.image) result.image = {...top.image, line: base.line};
  if (top.build) result.build = {...top.build, line: base.line};
  for (const key of ['readOnly', 'user', 'privileged', 'command'] as const) {
    const value = at<unknown>(top[key]);
    if (value) (result as unknown as Record<string, unknown>)[key] = value;
  }
  result.securityOpt = unique([...base.securityOpt, ...top.securityOpt.map(o => at(o)!)]);
  result.capDrop = unique([...base.capDrop, ...top.capDrop.map(o => at(o)!)]);
  const mounts = new Map<string, MountFact>(base.mounts.map(m => [m.target, m]));
  for (const mount of top.mounts) mounts.set(mount.target, {...mount, line: base.line});
  result.mounts = [...mounts.values()];
  return result;
}

function unique(values: Array<Located<string>>): Array<Located<string>> {
  const seen = new Set<string>();
  return values.filter(v => !seen.has(v.value) && seen.add(v.value));
}
