import {isDeepStrictEqual} from 'node:util';
import {isMap, type Document, type Node, type Scalar} from 'yaml';
import {readYaml} from '../../parse/yaml-read.js';
import {thrownYamlMessage, yamlErrorMessage} from '../../parse/yaml-errors.js';
import type {ComposeService} from '../../model/facts.js';
import type {PlannedChange} from '../../model/plan.js';
import {parseCompose, shortVolume} from '../../parse/compose.js';
import {canonicalPath} from '../../paths.js';
import {noNewPrivileges} from '../../rules/privilege-escalation.js';
import {userOf} from './changes.js';
import {readOnlyEntry} from './mounts.js';
import {unwritable} from '../text-edit.js';
import {plainDocument} from './plain.js';

/** What the patch meant to do, to check the result against. */
export interface Expected {
  /** Per service, the changes edits were made for. */
  applied: ReadonlyMap<string, readonly PlannedChange[]>;
  /** Per service, the keys the edits may change. */
  owned: ReadonlyMap<string, ReadonlySet<string>>;
  /** Top-level volume names the patch declares. */
  volumes: ReadonlySet<string>;
}

type Problem = {line: number; message: string};

const lists = new Set(['tmpfs', 'volumes', 'security_opt', 'cap_drop', 'cap_add']);

/**
 * Re-parses the patched text and checks that it is valid YAML, has the same services,
 * reads back every applied change through the audit's own parser, and that nothing
 * else changed: every value outside the owned keys is deep-equal to before, and owned
 * lists kept all their entries. `lineOf` gives a service's line for the message.
 */
export function verifyPatch(file: string, before: Document, original: string, after: string, expected: Expected, lineOf: (service: string) => number): Problem | undefined {
  const bytes = unwritable(after);
  if (bytes) return bytes;
  const doc = readYaml(after, {merge: true});
  if (doc.errors.length > 0) return {line: 1, message: `the patched text would not parse (${yamlErrorMessage(doc.errors[0]!, after)}), so nothing is written`};
  // Problems the original already had (a service with no settings) are the audit's to report, not new ones.
  const known = new Set(parseCompose(file, original).errors.map(e => e.message));
  const parsed = parseCompose(file, after);
  const added = parsed.errors.find(e => !known.has(e.message));
  if (!parsed.facts || added) return {line: added?.line ?? 1, message: `the patched file would not read as compose (${added?.message ?? 'no services'}), so nothing is written`};
  let old: unknown;
  let now: unknown;
  try {
    old = plainDocument(before);
    now = plainDocument(doc);
  } catch (error) {
    return {line: 1, message: `the patched file cannot be compared with the original (${thrownYamlMessage(error)}), so nothing is written`};
  }
  return sameElsewhere(record(old), record(now), expected, lineOf, resetKeys(before)) ?? readsBack(parsed.facts.services, expected, lineOf);
}

/** `service\0key` of each service key tagged `!reset` before the patch: its entries were never in effect, so they need not stay. */
function resetKeys(doc: Document): Set<string> {
  const found = new Set<string>();
  const services = doc.get('services', true);
  if (!isMap(services)) return found;
  for (const service of services.items) {
    if (!isMap(service.value)) continue;
    for (const pair of service.value.items) {
      if ((pair.value as Node | null)?.tag === '!reset') found.add(`${String((service.key as Scalar | null)?.value)}\0${String((pair.key as Scalar | null)?.value)}`);
    }
  }
  return found;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function keysOf(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function sameElsewhere(old: Record<string, unknown>, now: Record<string, unknown>, expected: Expected, lineOf: (service: string) => number, reset: ReadonlySet<string>): Problem | undefined {
  for (const key of keysOf(old, now)) {
    if (key === 'services' || key === 'volumes') continue;
    if (!isDeepStrictEqual(old[key], now[key])) return {line: 1, message: `the patch would change the top-level ${key}, so nothing is written`};
  }
  const [oldVolumes, newVolumes] = [record(old.volumes), record(now.volumes)];
  for (const name of keysOf(oldVolumes, newVolumes)) {
    const added = !(name in oldVolumes) && expected.volumes.has(name) && (newVolumes[name] == null || isDeepStrictEqual(newVolumes[name], {}));
    if (!added && !isDeepStrictEqual(oldVolumes[name], newVolumes[name])) return {line: 1, message: `the patch would change top-level volume "${name}", so nothing is written`};
  }
  const [oldServices, newServices] = [record(old.services), record(now.services)];
  const names = (services: Record<string, unknown>) => Object.keys(services).sort().join('\n');
  if (names(oldServices) !== names(newServices)) return {line: 1, message: 'the patch would change the set of services, so nothing is written'};
  for (const service of Object.keys(oldServices)) {
    const [was, is] = [record(oldServices[service]), record(newServices[service])];
    const owned = expected.owned.get(service) ?? new Set<string>();
    for (const key of keysOf(was, is)) {
      const kept = owned.has(key) ? !lists.has(key) || reset.has(`${service}\0${key}`) || keepsEntries(key, was[key], is[key]) : isDeepStrictEqual(was[key], is[key]);
      if (!kept) return {line: lineOf(service), message: `the patch would change ${key} of service "${service}" beyond what was asked, so nothing is written`};
    }
  }
  return undefined;
}

/**
 * Every entry of the old list is still there, except `no-new-privileges:false`, which the
 * patch turns on, and a bind mount it made read-only (`:ro`), which must still be there so.
 */
function keepsEntries(key: string, was: unknown, is: unknown): boolean {
  const entries = (value: unknown): unknown[] => (Array.isArray(value) ? value : value == null ? [] : [value]);
  const now = entries(is);
  const madeReadOnly = (entry: string) => {
    const target = shortVolume(entry, 0)?.target;
    const readOnly = target === undefined ? undefined : readOnlyEntry(entry, target);
    return readOnly !== undefined && now.includes(readOnly);
  };
  // A long-syntax mount made read-only: the same mapping with read_only: true.
  const withoutReadOnly = (value: unknown) => {
    const {read_only: _, ...rest} = value as Record<string, unknown>;
    return rest;
  };
  const mapMadeReadOnly = (entry: object) => now.some(e => typeof e === 'object' && e !== null && (e as Record<string, unknown>)['read_only'] === true && isDeepStrictEqual(withoutReadOnly(e), withoutReadOnly(entry)));
  return entries(was).every(entry => now.some(e => isDeepStrictEqual(e, entry))
    || (key === 'security_opt' && typeof entry === 'string' && noNewPrivileges(entry) === false)
    || (key === 'volumes' && typeof entry === 'string' && madeReadOnly(entry))
    || (key === 'volumes' && typeof entry === 'object' && entry !== null && !Array.isArray(entry) && mapMadeReadOnly(entry)));
}

function readsBack(services: readonly ComposeService[], expected: Expected, lineOf: (service: string) => number): Problem | undefined {
  const byName = new Map<string, ComposeService>();
  for (const service of services) if (!byName.has(service.name)) byName.set(service.name, service);
  for (const [name, changes] of expected.applied) {
    const service = byName.get(name);
    for (const change of changes) {
      const missing = service ? unmet(service, change) : 'the service';
      if (missing) return {line: lineOf(name), message: `service "${name}" would not read back with ${missing} after the patch, so nothing is written`};
    }
  }
  return undefined;
}

/** What the parsed service lacks of a change, or undefined when it is in effect. */
export function unmet(service: ComposeService, change: PlannedChange): string | undefined {
  switch (change.kind) {
    case 'read-only':
      return service.readOnly?.value === true ? undefined : 'read_only: true';
    case 'writable': {
      const path = canonicalPath(change.mount.path);
      return service.mounts.some(m => !m.readOnly && canonicalPath(m.target) === path) ? undefined : `a writable mount on ${change.mount.path}`;
    }
    case 'no-new-privileges': {
      const options = service.securityOpt.map(o => noNewPrivileges(o.value)).filter(on => on !== undefined);
      return options.at(-1) === true ? undefined : 'no-new-privileges:true';
    }
    case 'cap-drop-all': {
      if (!service.capDrop.some(cap => cap.value.toUpperCase() === 'ALL')) return 'cap_drop: ALL';
      const missing = (change.add ?? []).filter(cap => !(service.capAdd ?? []).some(c => c.value.toUpperCase().replace(/^CAP_/, '') === cap));
      return missing.length > 0 ? `cap_add: ${missing.join(', ')}` : undefined;
    }
    case 'run-as':
      return service.user?.value === userOf(change) ? undefined : `user: ${userOf(change)}`;
    case 'mount-read-only': {
      const path = canonicalPath(change.target);
      return service.mounts.some(m => m.kind === 'bind' && !m.readOnly && canonicalPath(m.target) === path) ? `${change.target} mounted read-only` : undefined;
    }
    default:
      return undefined;
  }
}
