import {posix} from 'node:path';
import {analyzeFiles, type Analysis, type LoadedFile} from '../audit.js';
import type {AuditError, Finding} from '../model/finding.js';
import type {Subject} from '../model/facts.js';
import type {FilePatch, Plan, TargetPlan} from '../model/plan.js';
import {patchKubernetes, type ContainerChanges} from '../patch/kubernetes/index.js';
import {runtimeChanges, type DockerfileOutcome} from './changes.js';
import {checkMerged, patchComposeFile, routeChanges, type Routed} from './compose.js';
import {planDockerfile, type BuildTarget} from './dockerfile.js';
import {combineRounds, filesAfter} from './fixed-point.js';
import type {FixOptions} from './options.js';

export interface PlanInput {
  analysis: Analysis;
  files: readonly LoadedFile[];
  cwd: string;
  version: string;
}

/** Rounds before giving up on a fixed point; two suffice for every corpus in the tests. */
const maxRounds = 4;

/**
 * Turns an audit into a plan a second `harden fix` has nothing to add to: planned once,
 * then again on the planned texts (a Dockerfile's new USER changes what its services
 * need) until a round changes nothing. The plan is against the files as they are.
 */
export function buildPlan(input: PlanInput, options: FixOptions): Plan {
  const rounds = [planOnce(input, options)];
  let files = input.files;
  while (rounds.at(-1)!.files.length > 0 && rounds.length < maxRounds) {
    files = filesAfter(files, rounds.at(-1)!);
    const analysis = analyzeFiles(files, {version: input.version});
    rounds.push(planOnce({...input, analysis, files}, options));
  }
  return rounds.length === 1 ? rounds[0]! : combineRounds(rounds, input.files);
}

/**
 * One round of planning: the changes per target, what will not be done and why, and the
 * new text of every file. Nothing is written here; a file whose patch fails its own
 * verification gets an error and keeps its bytes. `buildPlan` repeats it to a fixed point.
 */
export function planOnce(input: PlanInput, options: FixOptions): Plan {
  const {analysis} = input;
  const texts = new Map(input.files.filter(f => f.text !== undefined).map(f => [f.file, f]));
  const plans = new Map<string, TargetPlan>();
  const errors: AuditError[] = [...analysis.report.errors];
  const newTexts = new Map<string, string>();
  const created: Array<{file: string; text: string}> = [];
  // Grouped once: filtering every finding for every subject made a plan quadratic in the services.
  const byTarget = new Map<string, Finding[]>();
  for (const finding of analysis.report.findings) {
    const list = byTarget.get(finding.target);
    if (list) list.push(finding);
    else byTarget.set(finding.target, [finding]);
  }
  const findingsOf = (subject: Subject) => [...(byTarget.get(subject.target.id) ?? [])];
  const planOf = (subject: Subject) => {
    let plan = plans.get(subject.target.id);
    if (!plan) plans.set(subject.target.id, (plan = {target: subject.target, changes: [], skipped: []}));
    return plan;
  };

  // The stages compose services build by `build.target`, per Dockerfile.
  const buildTargets = new Map<string, BuildTarget[]>();
  for (const subject of analysis.subjects) {
    const stage = subject.kind === 'compose-service' ? subject.service.build?.target : undefined;
    if (stage === undefined || !subject.dockerfile) continue;
    const list = buildTargets.get(subject.dockerfile.file) ?? [];
    list.push({stage, by: `${posix.basename(subject.target.file)} service "${subject.target.name}"`});
    buildTargets.set(subject.dockerfile.file, list);
  }

  // Dockerfiles first: a rewrite decides the user the services and pods then run as.
  const outcomes = new Map<string, DockerfileOutcome>();
  const stageCounts = new Map<string, number>();
  for (const subject of analysis.subjects) {
    if (subject.kind !== 'dockerfile') continue;
    const loaded = texts.get(subject.target.file);
    if (!loaded?.text) continue;
    const result = planDockerfile(subject, loaded.text, findingsOf(subject), options, buildTargets.get(subject.target.file));
    const plan = planOf(subject);
    plan.changes.push(...result.changes);
    plan.skipped.push(...result.skipped);
    outcomes.set(subject.target.file, result.outcome);
    stageCounts.set(subject.target.file, subject.dockerfile.stages.length);
    if (result.text !== undefined) newTexts.set(subject.target.file, result.text);
  }

  // Per compose file, per service: the changes to write there (a merged service's may go to two files).
  const composeChanges = new Map<string, Map<string, Routed>>();
  const overrides = new Map<string, {base: string; plans: Map<string, TargetPlan>}>();
  const k8sChanges = new Map<string, ContainerChanges[]>();
  for (const subject of analysis.subjects) {
    // The engine's own containers are judged, not patched: their config is not a file here.
    if (subject.kind === 'dockerfile' || subject.kind === 'container' || subject.kind === 'host') continue;
    const outcome = dockerfileOutcome(subject, outcomes, stageCounts);
    const {changes, skipped} = runtimeChanges(subject, findingsOf(subject), options, outcome);
    const plan = planOf(subject);
    plan.changes.push(...changes);
    plan.skipped.push(...skipped);
    if (changes.length === 0) continue;
    if (subject.kind === 'compose-service') {
      const {service} = subject;
      for (const [file, routed] of routeChanges(service, subject.target.file, changes)) {
        const byService = composeChanges.get(file) ?? new Map<string, Routed>();
        byService.set(service.name, {plan, service, changes: routed});
        composeChanges.set(file, byService);
      }
      if (service.override) {
        const pair = overrides.get(service.override.file) ?? {base: subject.target.file, plans: new Map<string, TargetPlan>()};
        pair.plans.set(service.name, plan);
        overrides.set(service.override.file, pair);
      }
    } else {
      const list = k8sChanges.get(subject.target.file) ?? [];
      const {workload, name, init} = subject.container;
      list.push({document: workload.document, workload: {kind: workload.kind, name: workload.name}, container: name, init, changes});
      k8sChanges.set(subject.target.file, list);
    }
  }

  // The first plan of each file and target name, for the notes a patcher returns by name.
  const named = new Map<string, TargetPlan>();
  for (const plan of plans.values()) {
    const key = `${plan.target.file}\0${plan.target.name}`;
    if (!named.has(key)) named.set(key, plan);
  }
  const targetIn = (file: string, name: string) => named.get(`${file}\0${name}`);
  for (const [file, byService] of composeChanges) {
    const result = patchComposeFile(file, texts.get(file)!.text!, byService);
    if (result.error) errors.push(result.error);
    if (result.text !== undefined) newTexts.set(file, result.text);
  }
  for (const [override, {base, plans: merged}] of overrides) {
    checkMerged(base, override, file => newTexts.get(file) ?? texts.get(file)?.text, merged);
  }
  const existing = new Set(input.files.map(f => f.file));
  for (const [file, containers] of k8sChanges) {
    const result = patchKubernetes(file, texts.get(file)!.text!, containers, existing);
    if (!result.ok) {
      failed(file, result.error, errors, plans);
      continue;
    }
    newTexts.set(file, result.result.text);
    created.push(...result.result.created);
    for (const skip of result.result.skipped) {
      const plan = targetIn(file, `${skip.workload.kind}/${skip.workload.name}/${skip.container}`);
      if (!plan) continue;
      // A change the patcher could not make is not claimed: it leaves the changes for the skipped list.
      const {notMade} = skip;
      if (notMade) plan.changes = plan.changes.filter(c => !(c.rule === skip.rule && c.kind === notMade.kind && (c.kind !== 'writable' || c.mount.path === notMade.path)));
      plan.skipped.push({rule: skip.rule, what: skip.what, reason: skip.reason});
    }
  }

  const files: FilePatch[] = [];
  for (const [file, text] of newTexts) {
    const loaded = texts.get(file)!;
    if (text === loaded.text) continue;
    files.push({file, ...(loaded.sha256 !== undefined ? {sha256: loaded.sha256} : {}), bom: loaded.bom === true, text, created: false});
  }
  for (const extra of created) {
    if (!existing.has(extra.file)) files.push({file: extra.file, bom: false, text: extra.text, created: true});
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {tool: {name: 'harden-wizard', version: input.version}, cwd: input.cwd, targets: [...plans.values()], files, errors};
}

/** What the fix decided for the image a subject runs: a compose `build.target` runs that stage's user. */
function dockerfileOutcome(subject: Subject, outcomes: ReadonlyMap<string, DockerfileOutcome>, stageCounts: ReadonlyMap<string, number>): DockerfileOutcome | undefined {
  const outcome = subject.dockerfile ? outcomes.get(subject.dockerfile.file) : undefined;
  // A view shorter than the file ends at the targeted stage (upToStage): its user is the fix's, or what it was.
  const stage = subject.kind === 'compose-service' ? subject.service.build?.target : undefined;
  if (stage === undefined || !subject.dockerfile || subject.dockerfile.stages.length === stageCounts.get(subject.dockerfile.file)) return outcome;
  const user = outcome?.stageUsers?.[stage];
  return user === undefined ? undefined : {user};
}

/** A patch that failed its own checks: the file is left alone, every change in it is reported as not made. */
function failed(file: string, error: AuditError, errors: AuditError[], plans: Map<string, TargetPlan>): void {
  errors.push(error);
  for (const plan of plans.values()) {
    if (plan.target.file !== file) continue;
    for (const change of plan.changes.splice(0)) {
      plan.skipped.push({rule: change.rule, what: change.kind, reason: `${posix.basename(file)} was left untouched: ${error.message}`, withdrawn: true});
    }
  }
}
