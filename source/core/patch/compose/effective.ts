import type {Node, YAMLMap} from 'yaml';
import {locatedBool, locatedString, stringList} from '../../parse/yaml-nodes.js';
import {noNewPrivileges} from '../../rules/privilege-escalation.js';
import {mapChain, valueOf, type Source} from './locate.js';
import {mountedPaths, type Mounted} from './mounts.js';

/**
 * What this patch gives a service. Services are planned base first, so a service that
 * `extends` one being patched in the same run sees what its base will have and does
 * not repeat it (Compose appends the lists of an extending service to its base's).
 */
export interface PlannedState {
  readOnly: boolean;
  user?: string;
  noNewPrivileges: boolean;
  capDropAll: boolean;
  /** Mounts added, by canonical path. */
  mounts: Map<string, Mounted>;
}

export type PlannedLookup = (map: YAMLMap) => PlannedState | undefined;

/** The settings a service ends up with: own, merged-in, extended, and planned for its bases. */
export interface Effective {
  readOnly: boolean;
  user?: string;
  /** The last no-new-privileges option Docker sees turns it on. */
  noNewPrivileges: boolean;
  capDropAll: boolean;
  /** cap_add along the chain, as the kernel names them (upper-case, no CAP_). */
  capAdd: string[];
  mounts: Map<string, Mounted>;
}

export function effectiveOf(src: Source, map: YAMLMap, planned: PlannedLookup): Effective {
  const {ctx} = src;
  const chain = mapChain(src, map);
  const plan = (m: YAMLMap) => (m === map ? undefined : planned(m));
  // Single values: the nearest service that sets one wins.
  const first = <T>(key: string, read: (node: Node) => T | undefined, fromPlan: (state: PlannedState) => T | undefined): T | undefined => {
    for (const m of chain) {
      const state = plan(m);
      const value = state ? fromPlan(state) : undefined;
      if (value !== undefined) return value;
      const node = valueOf(src, m, key);
      if (node !== undefined) return read(node);
    }
    return undefined;
  };
  const readOnly = first('read_only', node => locatedBool(ctx, node)?.value, state => (state.readOnly ? true : undefined)) === true;
  const user = first('user', node => locatedString(ctx, node)?.value, state => state.user);
  const options = [...chain].reverse().flatMap(m => {
    if (plan(m)?.noNewPrivileges) return [true];
    return stringList(ctx, valueOf(src, m, 'security_opt')).map(option => noNewPrivileges(option.value)).filter(on => on !== undefined);
  });
  const capDropAll = chain.some(m => plan(m)?.capDropAll === true || stringList(ctx, valueOf(src, m, 'cap_drop')).some(cap => cap.value.toUpperCase() === 'ALL'));
  const mounts = mountedPaths(src, map);
  for (const base of chain.slice(1)) {
    for (const [path, mount] of plan(base)?.mounts ?? []) if (!mounts.has(path)) mounts.set(path, mount);
  }
  const capAdd = chain.flatMap(m => stringList(ctx, valueOf(src, m, 'cap_add')).map(cap => cap.value.trim().toUpperCase().replace(/^CAP_/, '')));
  const result: Effective = {readOnly, noNewPrivileges: options.at(-1) === true, capDropAll, capAdd, mounts};
  if (user !== undefined) result.user = user;
  return result;
}
