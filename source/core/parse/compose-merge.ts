import {posix} from 'node:path';
import type {ComposeFacts, ComposeService, MountFact} from '../model/facts.js';

/*
 * `docker compose` with no -f reads one base file and one override file from a directory:
 * the first of each list below that exists (compose-go, cli/options.go: DefaultFileNames,
 * DefaultOverrideFileNames). Either override name goes with either base name.
 */
const baseNames = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
const overrideNames = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];

/**
 * The base file Compose reads this override over, when `file` is the override Compose
 * picks in its directory and the directory has a base file. `known` holds every compose
 * file found, read or not: an override that does not parse still stops Compose, and
 * another override name is then not read in its place.
 */
export function overrideBase(file: string, known: ReadonlySet<string>): string | undefined {
  const dir = posix.dirname(file);
  if (!overrideNames.includes(posix.basename(file))) return undefined;
  const first = (names: readonly string[]) => names.map(name => posix.join(dir, name)).find(path => known.has(path));
  return first(overrideNames) === file ? first(baseNames) : undefined;
}

/** Single values: the override's replaces the base's; `!reset` unsets it. Keyed by compose key. */
const single = [['image', 'image'], ['build', 'build'], ['read_only', 'readOnly'], ['user', 'user'], ['privileged', 'privileged'], ['command', 'command'],
  ['pid', 'pid'], ['ipc', 'ipc'], ['network_mode', 'networkMode']] as const;

/**
 * Lays an override's services over the base's as Compose merges them (compose-spec
 * 13-merge.md; compose-go override/merge.go and uncity.go): single values, `command`
 * included, are replaced; `security_opt` is appended to; `cap_drop` and `tmpfs` keep one
 * entry per value and `volumes` one per target, the override's taking the base's place; a
 * key tagged `!reset` is unset and one tagged `!override` replaces the base's whole.
 * Every value taken from the override carries its file and line, so findings and fixes
 * go where Compose reads the value. A service tagged `!reset` is removed; services only
 * the override defines, or redefines whole with `!override`, are returned apart, to be
 * audited in their own file.
 */
export function mergeOverride(base: ComposeFacts, override: ComposeFacts): {merged: ComposeFacts; own: ComposeFacts} {
  const removed = new Set(override.removed?.map(entry => entry.value));
  const tops = new Map(override.services.map(service => [service.name, service]));
  const names = new Set(base.services.map(service => service.name));
  const services: ComposeService[] = [];
  for (const service of base.services) {
    const top = tops.get(service.name);
    if (removed.has(service.name) || top?.replaces) continue;
    services.push(top ? overlay(service, top, override.file) : service);
  }
  const own = override.services.filter(top => top.replaces || !names.has(top.name));
  return {merged: {file: base.file, services}, own: {file: override.file, services: own}};
}

function overlay(base: ComposeService, top: ComposeService, file: string): ComposeService {
  const from = <T extends object>(value: T): T => ({...value, file});
  const tagged = new Map((top.tags ?? []).map(tag => [tag.key, tag.tag]));
  const result: ComposeService = {...base, override: {file, line: top.line}};
  delete result.tags;
  if (top.tags) result.tags = top.tags.map(from);
  const values = result as unknown as Record<string, unknown>;
  for (const [key, prop] of single) {
    const value = top[prop];
    if (value) values[prop] = from(value);
    else if (tagged.get(key) === 'reset') delete values[prop];
  }
  // A tagged list (`!reset []`, `!override [...]`) drops the base's entries.
  const kept = <T>(key: string, list: T[]) => (tagged.has(key) ? [] : list);
  result.securityOpt = [...kept('security_opt', base.securityOpt), ...top.securityOpt.map(from)];
  result.capDrop = byKey([...kept('cap_drop', base.capDrop), ...top.capDrop.map(from)], cap => cap.value);
  const capAdd = byKey([...kept('cap_add', base.capAdd ?? []), ...(top.capAdd ?? []).map(from)], cap => cap.value);
  if (capAdd.length > 0) result.capAdd = capAdd;
  else delete result.capAdd;
  // Compose appends ports; only whether one is below 1024 is read, so duplicates do not matter.
  const ports = [...(tagged.has('ports') ? [] : base.ports ?? []), ...(top.ports ?? []).map(from)];
  if (ports.length > 0) result.ports = ports;
  const baseMounts = base.mounts.filter(mount => !tagged.has(mount.key ?? 'volumes'));
  result.mounts = byKey<MountFact>([...baseMounts, ...top.mounts.map(from)], mount => `${mount.key ?? ''}\0${mount.target}`);
  return result;
}

/** One entry per key; a later entry takes an earlier one's place (compose-go's EnforceUnicity). Linear in the entries. */
function byKey<T>(values: readonly T[], key: (value: T) => string): T[] {
  const result: T[] = [];
  const at = new Map<string, number>();
  for (const value of values) {
    const k = key(value);
    const index = at.get(k);
    if (index === undefined) at.set(k, result.push(value) - 1);
    else result[index] = value;
  }
  return result;
}
