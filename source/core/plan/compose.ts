import {posix} from 'node:path';
import type {ComposeService, Located} from '../model/facts.js';
import type {PlannedChange, TargetPlan} from '../model/plan.js';
import {parseCompose} from '../parse/compose.js';
import {mergeOverride} from '../parse/compose-merge.js';
import {whatOf} from '../patch/compose/changes.js';
import {patchCompose} from '../patch/compose/index.js';
import {unmet} from '../patch/compose/verify.js';
import {noNewPrivileges} from '../rules/privilege-escalation.js';

/*
 * A service merged with a compose override is fixed where Compose reads each value: a
 * key the override sets, resets (`!reset`) or replaces (`!override`) is edited in the
 * override, everything else in the base file. What cannot be edited there is withdrawn
 * from the plan with the reason, never claimed.
 */

/** The compose key a change writes. */
function keyOf(change: PlannedChange): string | undefined {
  switch (change.kind) {
    case 'read-only': return 'read_only';
    case 'run-as': return 'user';
    case 'no-new-privileges': return 'security_opt';
    case 'cap-drop-all': return 'cap_drop';
    case 'mount-read-only': return 'volumes';
    case 'writable': return change.mount.mount === 'tmpfs' ? 'tmpfs' : 'volumes';
    default: return undefined;
  }
}

/**
 * Where the override decides `key` of a merged service, as `compose.override.yaml:7 sets
 * read_only: false`; undefined when the base file's value (or none) is what Compose uses.
 */
export function overrideSite(service: ComposeService, key: string): string | undefined {
  const file = service.override?.file;
  if (file === undefined) return undefined;
  const tag = service.tags?.find(t => t.key === key && t.file === file);
  if (tag) return `${file}:${tag.line} ${tag.tag === 'reset' ? 'resets' : 'replaces'} ${key} (!${tag.tag})`;
  const from = (value: Located<unknown> | undefined) => (value?.file === file ? value : undefined);
  const set = key === 'read_only' ? from(service.readOnly) : key === 'user' ? from(service.user)
    // The last no-new-privileges option is the one Docker applies, and the override's come last.
    : key === 'security_opt' ? from(service.securityOpt.filter(o => noNewPrivileges(o.value) !== undefined).at(-1)) : undefined;
  return set ? `${file}:${set.line} sets ${key === 'security_opt' ? `security_opt "${set.value}"` : `${key}: ${String(set.value)}`}` : undefined;
}

/** The changes of one compose service by the file each must be written to. */
export function routeChanges(service: ComposeService, file: string, changes: readonly PlannedChange[]): Map<string, PlannedChange[]> {
  const routes = new Map<string, PlannedChange[]>();
  for (const change of changes) {
    const key = keyOf(change);
    const to = key !== undefined && overrideSite(service, key) !== undefined ? service.override!.file : file;
    routes.set(to, [...(routes.get(to) ?? []), change]);
  }
  return routes;
}

/** One compose service's changes in one file, and the plan they belong to. */
export interface Routed {
  plan: TargetPlan;
  service: ComposeService;
  changes: PlannedChange[];
}

/** Takes a change back out of a plan: it will not be made, the finding stays, and `harden fix` says so. */
export function withdraw(plan: TargetPlan, change: PlannedChange, reason: string): void {
  const index = plan.changes.indexOf(change);
  if (index >= 0) plan.changes.splice(index, 1);
  plan.skipped.push({rule: change.rule, what: whatOf(change), reason, withdrawn: true});
}

/** Why a change routed to an override was not made, with where the override decides it. */
function inOverride(entry: Routed, change: PlannedChange, base: string, reason: string): string {
  const key = keyOf(change);
  const site = (key === undefined ? undefined : overrideSite(entry.service, key)) ?? entry.service.override!.file;
  return `${site}, which Compose applies over ${base}; ${reason}`;
}

/**
 * Patches one compose file with the changes routed to it. Returns the new text, or
 * undefined when the file is left alone (its error is then returned too); changes not
 * made are withdrawn from their plans.
 */
export function patchComposeFile(file: string, text: string, entries: ReadonlyMap<string, Routed>): {text?: string; error?: {file: string; line: number; message: string}} {
  const byService = new Map([...entries].map(([name, entry]) => [name, entry.changes]));
  const result = patchCompose(file, text, byService);
  const because = (entry: Routed, change: PlannedChange, reason: string) =>
    (entry.plan.target.file === file ? reason : inOverride(entry, change, entry.plan.target.file, reason));
  if (!result.ok) {
    for (const entry of entries.values()) {
      for (const change of entry.changes) withdraw(entry.plan, change, because(entry, change, `${posix.basename(file)} was left untouched: ${result.error.message}`));
    }
    return {error: result.error};
  }
  for (const skip of result.result.skipped) {
    const entry = entries.get(skip.service);
    const change = entry?.changes.find(c => c.rule === skip.rule && whatOf(c) === skip.what);
    if (entry && change) withdraw(entry.plan, change, because(entry, change, skip.reason));
    else entry?.plan.skipped.push({rule: skip.rule, what: skip.what, reason: skip.reason});
  }
  return {text: result.result.text};
}

/**
 * Reads the patched base and override back as Compose merges them, and withdraws every
 * change a merged service would still lack: the plan claims only what `docker compose up`
 * will see. `texts` gives each file's text after the patch.
 */
export function checkMerged(base: string, override: string, texts: (file: string) => string | undefined, plans: ReadonlyMap<string, TargetPlan>): void {
  const parse = (file: string) => {
    const text = texts(file);
    return text === undefined ? null : parseCompose(file, text).facts;
  };
  const [baseFacts, overrideFacts] = [parse(base), parse(override)];
  if (!baseFacts || !overrideFacts) return;
  const merged = mergeOverride(baseFacts, overrideFacts).merged;
  for (const service of merged.services) {
    const plan = plans.get(service.name);
    for (const change of [...(plan?.changes ?? [])]) {
      if (keyOf(change) === undefined || unmet(service, change) === undefined) continue;
      const site = overrideSite(service, keyOf(change)!);
      withdraw(plan!, change, site ? `${site}, which Compose applies over ${base}; change it there` : `${base} would still lack ${whatOf(change)} after the merge with ${override}`);
    }
  }
}
