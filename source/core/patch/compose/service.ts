import type {Pair, YAMLMap} from 'yaml';
import type {PlannedChange} from '../../model/plan.js';
import type {TextEdit} from '../text-edit.js';
import {planService, whatOf, type ComposeSkip, type ListOp, type ServicePlan, type TopVolumes} from './changes.js';
import type {PlannedState} from './effective.js';
import {newKeysEdit, renderScalar} from './keys.js';
import {renderList, type NewKey, type Rendered} from './lists.js';
import {extendsOf, serviceMap, siteOf, type Site, type Source} from './locate.js';

/** The edits for one service, what they change (for verification) and what was skipped. */
export interface ServiceOutcome {
  edits: TextEdit[];
  skipped: ComposeSkip[];
  /** Changes an edit was made for; each must read back as expected. */
  applied: PlannedChange[];
  /** Keys of the service the edits may change; every other key must read back unchanged. */
  owned: Set<string>;
  /** Named volumes the service now mounts that the top-level `volumes:` lacks. */
  volumes: string[];
}

/**
 * Plans and renders one service's changes. `planned` tells what services patched
 * earlier in this run will have; the service's own plan is recorded there in turn.
 */
export function patchService(src: Source, name: string, pair: Pair | undefined, changes: readonly PlannedChange[], top: TopVolumes, planned: Map<YAMLMap, PlannedState>): ServiceOutcome {
  const outcome: ServiceOutcome = {edits: [], skipped: [], applied: [], owned: new Set(), volumes: []};
  const skip = (list: readonly PlannedChange[], reason: string) => {
    outcome.skipped.push(...list.map(change => ({service: name, rule: change.rule, what: whatOf(change), reason})));
    return outcome;
  };
  if (!pair) return skip(changes, 'no service of that name in this file');
  const map = serviceMap(src, pair);
  if (typeof map === 'string') return skip(changes, map);
  const ext = extendsOf(src, map);
  if (ext.kind === 'other-file') return skip(changes, `extends another file (${ext.file}); fix the base service there`);

  const plan = planService(src, name, map, changes, top, m => planned.get(m));
  planned.set(map, plan.state);
  outcome.skipped.push(...plan.skipped);
  const site = siteOf(src, map);
  const newKeys: NewKey[] = [];
  const take = (rendered: Rendered, key: string, list: readonly PlannedChange[]): boolean => {
    if ('reason' in rendered) {
      skip(list, rendered.reason);
      forget(plan, key);
      return false;
    }
    outcome.edits.push(...rendered.edits);
    if (rendered.newKey) newKeys.push(rendered.newKey);
    if (rendered.edits.length > 0 || rendered.newKey) {
      outcome.owned.add(key);
      outcome.applied.push(...list);
    }
    return true;
  };
  for (const op of plan.scalars) take(renderScalar(src, site, op), op.key, op.changes);
  for (const planned of plan.lists) {
    const {op, rendered} = withoutReadOnlyIfNeeded(src, site, planned, skip);
    if (!take(rendered, op.key, op.changes)) continue;
    for (const item of op.add) if (item.volume !== undefined && !top.has(item.volume)) outcome.volumes.push(item.volume);
  }
  // After the in-place edits: an append to the service's last list lands on the same offset and must come first.
  const added = newKeysEdit(src, site, newKeys);
  if (added) outcome.edits.push(added);
  return outcome;
}

/** A key whose edit could not be made: services extending this one must not count on it. */
function forget(plan: ServicePlan, key: string): void {
  const {state} = plan;
  if (key === 'read_only') state.readOnly = false;
  if (key === 'user') delete state.user;
  if (key === 'security_opt') state.noNewPrivileges = false;
  if (key === 'cap_drop') state.capDropAll = false;
  for (const item of plan.lists.find(op => op.key === key)?.add ?? []) if (item.path !== undefined) state.mounts.delete(item.path);
}

/**
 * The list's edits; when a bind that should become read-only cannot be edited (behind an
 * anchor, a merge key), only that change is left to a person, with the reason, and the
 * rest of the list (a tmpfs, a volume) still goes in.
 */
function withoutReadOnlyIfNeeded(src: Source, site: Site, op: ListOp, skip: (list: readonly PlannedChange[], reason: string) => unknown): {op: ListOp; rendered: Rendered} {
  const rendered = renderList(src, site, op);
  if (!('reason' in rendered) || !op.changes.some(c => c.kind === 'mount-read-only')) return {op, rendered};
  const {fix: _, readOnlyBinds: __, ...rest} = op;
  const without: ListOp = {...rest, changes: op.changes.filter(c => c.kind !== 'mount-read-only')};
  const retry = renderList(src, site, without);
  if ('reason' in retry) return {op, rendered};
  skip(op.changes.filter(c => c.kind === 'mount-read-only'), rendered.reason);
  return {op: without, rendered: retry};
}
