import type {Node, YAMLMap} from 'yaml';
import type {PlannedChange} from '../../model/plan.js';
import {stringList} from '../../parse/yaml-nodes.js';
import {canonicalPath} from '../../paths.js';
import {noNewPrivileges} from '../../rules/privilege-escalation.js';
import {effectiveOf, type PlannedLookup, type PlannedState} from './effective.js';
import {valueOf, type Source} from './locate.js';
import {readOnlyEntry, tmpfsEntry} from './mounts.js';

/** A change the patch did not make, and why (never skipped silently). */
export interface ComposeSkip {
  service: string;
  rule: string;
  /** The setting or path that was not changed. */
  what: string;
  reason: string;
}

/** A value to write into a list; `volume` names the named volume it mounts. */
export interface NewItem {
  value: string;
  quote?: boolean;
  volume?: string;
  /** Canonical path of a mount entry. */
  path?: string;
}

/** A list entry: a value to write, or an inherited node to copy. */
export type Item = NewItem | {node: Node};

/** Set a single value, such as `read_only: true`. */
export interface ScalarOp {
  key: string;
  /** The value as YAML text. */
  text: string;
  changes: PlannedChange[];
}

/** Add entries to a list, and rewrite entries `fix` maps to a new value. */
export interface ListOp {
  key: string;
  add: NewItem[];
  fix?: (value: string) => string | undefined;
  /** Targets (canonical) of long-syntax bind mounts to make `read_only: true`. */
  readOnlyBinds?: Set<string>;
  changes: PlannedChange[];
}

export interface ServicePlan {
  scalars: ScalarOp[];
  lists: ListOp[];
  skipped: ComposeSkip[];
  /** What the service will have, for services that extend it. */
  state: PlannedState;
}

/** Top-level volume names already declared, and why new ones cannot be, if so. */
export interface TopVolumes {
  has(name: string): boolean;
  problem?: string;
}

const nnpOn = 'no-new-privileges:true';

/** The user a run-as change writes: `user`, else `uid[:gid]`. */
export function userOf(change: PlannedChange): string | undefined {
  if (change.kind !== 'run-as') return undefined;
  if (change.user !== undefined && change.user !== '') return change.user;
  if (change.uid === undefined) return undefined;
  return change.gid === undefined ? String(change.uid) : `${change.uid}:${change.gid}`;
}

/** What a change sets, for the skipped list. */
export function whatOf(change: PlannedChange): string {
  switch (change.kind) {
    case 'read-only': return 'read_only: true';
    case 'writable': return change.mount.path;
    case 'no-new-privileges': return `security_opt: ${nnpOn}`;
    case 'cap-drop-all': return 'cap_drop: ALL';
    case 'mount-read-only': return `volumes: ${change.target} read-only`;
    case 'run-as': return `user: ${userOf(change) ?? '(none)'}`;
    default: return change.kind;
  }
}

/**
 * Decides what to write for one service's changes. A change already in effect (own,
 * merged-in, extended, or planned for a base) needs nothing; one that cannot be made
 * is skipped with the reason. Several changes to one key become one operation.
 */
export function planService(src: Source, service: string, map: YAMLMap, changes: readonly PlannedChange[], top: TopVolumes, planned: PlannedLookup): ServicePlan {
  const scalars = new Map<string, ScalarOp>();
  const lists = new Map<string, ListOp>();
  const skipped: ComposeSkip[] = [];
  const skip = (change: PlannedChange, reason: string) => skipped.push({service, rule: change.rule, what: whatOf(change), reason});
  const list = (key: string, change: PlannedChange): ListOp => {
    const op = lists.get(key) ?? lists.set(key, {key, add: [], changes: []}).get(key)!;
    op.changes.push(change);
    return op;
  };
  const setScalar = (change: PlannedChange, key: string, text: string) => {
    const op = scalars.get(key);
    if (!op) scalars.set(key, {key, text, changes: [change]});
    else if (op.text === text) op.changes.push(change);
    else skip(change, `conflicts with another change that sets ${key}: ${op.text}`);
  };
  const now = effectiveOf(src, map, planned);
  const state: PlannedState = {readOnly: false, noNewPrivileges: false, capDropAll: false, mounts: new Map()};

  for (const change of changes) {
    switch (change.kind) {
      case 'read-only':
        if (!now.readOnly) setScalar(change, 'read_only', 'true');
        state.readOnly = true;
        break;
      case 'run-as': {
        const user = userOf(change);
        if (user === undefined) skip(change, 'the change names no user or uid to run as');
        else if (state.user !== undefined && state.user !== user) skip(change, `conflicts with another change that sets user: ${JSON.stringify(state.user)}`);
        else {
          state.user = user;
          if (now.user !== user) setScalar(change, 'user', JSON.stringify(user));
        }
        break;
      }
      case 'no-new-privileges': {
        if (now.noNewPrivileges || state.noNewPrivileges) break;
        state.noNewPrivileges = true;
        const op = list('security_opt', change);
        const own = stringList(src.ctx, valueOf(src, map, 'security_opt')).map(v => v.value);
        if (own.some(option => noNewPrivileges(option) === false)) op.fix = value => (noNewPrivileges(value) === false ? nnpOn : undefined);
        else op.add.push({value: nnpOn});
        break;
      }
      case 'cap-drop-all': {
        if (now.capDropAll || state.capDropAll) break;
        state.capDropAll = true;
        list('cap_drop', change).add.push({value: 'ALL'});
        // What it needs back; Compose appends cap_add along extends, so a base's entries count.
        const back = (change.add ?? []).filter(cap => !now.capAdd.includes(cap));
        if (back.length > 0) list('cap_add', change).add.push(...back.map(value => ({value})));
        break;
      }
      case 'writable': {
        const {mount} = change;
        const path = canonicalPath(mount.path);
        const existing = now.mounts.get(path) ?? state.mounts.get(path);
        if (!mount.path.startsWith('/')) skip(change, 'the path is not absolute');
        else if (existing?.where === 'this fix' && existing.kind !== mount.mount) {
          skip(change, `another change of this fix already mounts a ${existing.kind} there; a path gets one mount, never both`);
        } else if (existing?.readOnly) skip(change, `already mounted read-only (in ${existing.where}); make that mount writable instead`);
        else if (existing && existing.kind === 'tmpfs' && mount.mount === 'volume') {
          skip(change, `already a tmpfs mount (in ${existing.where}), whose data does not outlive the container; a path gets one mount, so change it to a volume by hand if the data must persist`);
        } else if (existing) break;
        else if (mount.mount === 'tmpfs') {
          const entry = tmpfsEntry(mount);
          list('tmpfs', change).add.push({value: entry, quote: entry !== mount.path, path});
          state.mounts.set(path, {kind: 'tmpfs', readOnly: false, where: 'this fix'});
        } else if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(mount.name)) skip(change, `"${mount.name}" is not a valid Compose volume name`);
        else if (!top.has(mount.name) && top.problem) skip(change, top.problem);
        else {
          list('volumes', change).add.push({value: `${mount.name}:${mount.path}`, volume: mount.name, path});
          state.mounts.set(path, {kind: 'volume', readOnly: false, where: 'this fix'});
        }
        break;
      }
      case 'mount-read-only': {
        const op = list('volumes', change);
        const earlier = op.fix;
        op.fix = value => readOnlyEntry(value, change.target) ?? earlier?.(value);
        (op.readOnlyBinds ??= new Set()).add(canonicalPath(change.target));
        break;
      }
      default:
        skip(change, `${change.kind} is a Dockerfile change, not a compose setting`);
    }
  }
  return {scalars: [...scalars.values()], lists: [...lists.values()], skipped, state};
}
