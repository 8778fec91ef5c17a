import type {Target} from '../../core/model/finding.js';
import type {Plan, TargetPlan} from '../../core/model/plan.js';
import type {FixOptions} from '../../core/plan/options.js';
import type {WritableRequest} from '../../core/plan/writable.js';
import {suggestMount} from '../../core/paths.js';
import {allRules} from '../../core/rules/index.js';
import type {ScanResult} from '../services.js';
import type {Applied, Choices, MountType, PathChoice, Session} from './state.js';

/*
 * The wizard adds no logic the commands lack (issue 5): its choices become the same
 * FixOptions `harden fix` takes, and the scan is narrowed to the chosen targets.
 */

/** What the planner is told about a path, by where it came from. */
const told: Record<PathChoice['source'], (choice: PathChoice) => string> = {
  added: () => 'added by you',
  discovered: c => `seen when it ran: ${c.evidence.slice(0, 3).join(', ')}`,
  verify: c => `verification saw it fail: ${c.evidence.slice(0, 2).join(', ')}`,
  proposed: () => 'mount type chosen by you',
};

/**
 * The `harden fix` options for these choices. Writable paths go per target, as
 * `fix --discover` hands the planner what each target wrote (FixOptions.discovered),
 * so a path added to one service is not forced on the others.
 */
export function fixOptionsFor(choices: Choices): FixOptions {
  const discovered = new Map<string, WritableRequest[]>();
  const declined = new Map<string, Set<string>>();
  for (const id of choices.selected) {
    const mine = choices.paths[id] ?? [];
    const requests = mine.filter(c => c.enabled).map(c => ({path: c.path, ...(c.mount ? {mount: c.mount} : {}), evidence: told[c.source](c)}));
    if (requests.length > 0) discovered.set(id, requests);
    // Switched off: left read-only even when the planner has evidence of its own (`fix --not-writable`).
    const off = mine.filter(c => !c.enabled).map(c => c.path);
    if (off.length > 0) declined.set(id, new Set(off));
  }
  const options: FixOptions = {writable: [], capDrop: false};
  if (discovered.size > 0) options.discovered = discovered;
  if (declined.size > 0) options.declined = declined;
  if (choices.dockerfile.kind === 'base') options.runtimeBase = choices.dockerfile.image;
  const proof = choices.proof?.key === proofKey(choices) ? choices.proof.outcome : undefined;
  if (proof && 'proofs' in proof) options.proofs = proof.proofs;
  else if (proof) options.notRun = proof.notRun;
  if (choices.dockerfile.kind === 'single-stage') options.only = new Set(allRules.map(r => r.id).filter(id => id !== 'single-stage-build'));
  return options;
}

/** What a proof depends on: the runtime base chosen and the targets it covers. */
export function proofKey(choices: Choices): string {
  return JSON.stringify([choices.dockerfile, choices.selected]);
}

/** True when step 5 should prove the rewrites now: an engine, a rewrite chosen, and no proof for these choices yet. */
export function wantsProof(s: Session): boolean {
  return s.scan.engineProblem === undefined && s.choices.dockerfile.kind !== 'single-stage' && s.choices.proof?.key !== proofKey(s.choices) && dockerfileTargets(s.scan, s.choices.selected).length > 0;
}

/** The scan with only the chosen targets, so the planner touches nothing else. */
export function scopeScan(scan: ScanResult, selected: readonly string[]): ScanResult {
  const keep = new Set(selected);
  const {report, subjects} = scan.analysis;
  return {
    ...scan,
    analysis: {
      subjects: subjects.filter(s => keep.has(s.target.id)),
      report: {...report, targets: report.targets.filter(t => keep.has(t.id)), findings: report.findings.filter(f => keep.has(f.target))},
    },
  };
}

/** Targets chosen by default: those with something to fix that a file edit can fix. */
export function defaultSelection(scan: ScanResult): string[] {
  const {targets, findings} = scan.analysis.report;
  return targets.filter(t => t.kind !== 'container' && findings.some(f => f.target === t.id)).map(t => t.id);
}

export function selectedTargets(scan: ScanResult, selected: readonly string[]): Target[] {
  const keep = new Set(selected);
  return scan.analysis.report.targets.filter(t => keep.has(t.id));
}

/** Targets the paths step is about: what runs from a compose file or a manifest. */
export function pathTargets(scan: ScanResult, selected: readonly string[]): Target[] {
  return selectedTargets(scan, selected).filter(t => t.kind === 'compose-service' || t.kind === 'k8s-container');
}

/** Chosen Dockerfiles a multi-stage rewrite applies to. */
export function dockerfileTargets(scan: ScanResult, selected: readonly string[]): Target[] {
  const findings = scan.analysis.report.findings;
  return selectedTargets(scan, selected).filter(t => t.kind === 'dockerfile' && findings.some(f => f.target === t.id && f.rule === 'single-stage-build'));
}

/**
 * What verification runs: compose services, and Dockerfiles no chosen service builds
 * (building them again would prove nothing new). Kubernetes needs a cluster.
 */
export function runnableTargets(scan: ScanResult, selected: readonly string[]): string[] {
  const chosen = selectedTargets(scan, selected);
  const keep = new Set(selected);
  const built = new Set(
    scan.analysis.subjects.filter(s => s.kind === 'compose-service' && keep.has(s.target.id) && s.dockerfile).map(s => s.dockerfile!.file),
  );
  return chosen.filter(t => t.kind === 'compose-service' || (t.kind === 'dockerfile' && !built.has(t.file))).map(t => t.id);
}

/** The plan with only the files the person accepted. */
export function acceptedPlan(plan: Plan, skippedFiles: readonly string[]): Plan {
  const skipped = new Set(skippedFiles);
  return {...plan, files: plan.files.filter(f => !skipped.has(f.file))};
}

/** One plan for the report: every change that was written, the latest plan's open items. */
export function reportPlan(applied: readonly Applied[], current: Plan | undefined): Plan | undefined {
  const last = applied.at(-1)?.plan ?? current;
  if (!last || applied.length <= 1) return applied[0]?.plan ?? current;
  const targets = new Map<string, TargetPlan>();
  for (const {plan} of applied) {
    for (const t of plan.targets) {
      const seen = targets.get(t.target.id);
      targets.set(t.target.id, {target: t.target, changes: [...(seen?.changes ?? []), ...t.changes], skipped: t.skipped});
    }
  }
  const files = new Map(applied.flatMap(a => a.plan.files.map(f => [f.file, f] as const)));
  return {...last, targets: [...targets.values()], files: [...files.values()]};
}

/** A path the planner proposes for a target, as shown on the paths screen. */
export interface ShownPath {
  path: string;
  mount: MountType;
  /** The planner's reason, or the evidence that came with the path. */
  evidence: string;
  /** The person's own entry for this path, if any. */
  choice?: PathChoice;
}

/** The planner's mounts for a target merged with the person's entries (those switched off too). */
export function shownPaths(plan: Plan | undefined, targetId: string, choices: readonly PathChoice[]): ShownPath[] {
  const shown: ShownPath[] = [];
  const planned = plan?.targets.find(t => t.target.id === targetId)?.changes ?? [];
  for (const change of planned) {
    if (change.kind !== 'writable') continue;
    const choice = choices.find(c => c.path === change.mount.path);
    shown.push({path: change.mount.path, mount: change.mount.mount, evidence: choice && choice.source !== 'proposed' ? choice.evidence.join('; ') : change.mount.why, ...(choice ? {choice} : {})});
  }
  for (const choice of choices) {
    if (shown.some(s => s.path === choice.path)) continue;
    // Switched off, or covered by a mount that is already there: listed so it can be switched back.
    shown.push({path: choice.path, mount: choice.mount ?? suggestMount(choice.path), evidence: choice.evidence.join('; '), choice});
  }
  return shown;
}
