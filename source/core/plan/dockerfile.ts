import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import type {PlannedChange, Proof, Skipped} from '../model/plan.js';
import {addUser, rewriteCandidates, type RewriteCandidate} from '../patch/dockerfile/index.js';
import {dockerfileUser} from '../rules/effective.js';
import {pinLater, type DockerfileOutcome} from './changes.js';
import {wants, type FixOptions} from './options.js';

/** A stage that a compose service builds with `build.target`, and who builds it (for the plan's words). */
export interface BuildTarget {
  stage: string;
  by: string;
}

export interface DockerfilePlan {
  changes: PlannedChange[];
  skipped: Skipped[];
  outcome: DockerfileOutcome;
  /** New text, when something changed. */
  text?: string;
}

/**
 * A single-stage build becomes builder + runtime stages with a non-root USER; a
 * multi-stage build that runs as root gets a USER. When the rewrite cannot tell what
 * to copy, the file is left alone and the reason is in `skipped` (the wizard asks).
 */
export function planDockerfile(subject: Subject, text: string, findings: readonly Finding[], options: FixOptions, targets: readonly BuildTarget[] = []): DockerfilePlan {
  if (subject.kind !== 'dockerfile') return {changes: [], skipped: [], outcome: {}};
  const has = (rule: string) => findings.some(f => f.rule === rule) && wants(options, rule);
  const file = subject.target.file;
  const result: DockerfilePlan = {changes: [], skipped: [], outcome: {}};
  const current = dockerfileUser(subject.dockerfile)?.value;
  if (current !== undefined) result.outcome.user = current;

  // A service that builds the only stage by name would build the builder after a rewrite.
  const last = subject.dockerfile.stages.at(-1)!;
  const onLast = targets.find(t => t.stage === last.name);
  if (has('single-stage-build') && onLast) {
    result.skipped.push({rule: 'single-stage-build', what: 'multi-stage rewrite', reason: `${onLast.by} builds stage "${onLast.stage}" (build.target), which would become the builder and still ship the toolchain as root; remove build.target there, then run harden fix again`});
  } else if (has('single-stage-build')) {
    const chosen = chooseRewrite(file, text, options);
    if ('candidate' in chosen) {
      const {candidate: rewrite, proof} = chosen;
      result.text = rewrite.text;
      result.outcome.user = rewrite.user;
      const proven = proof.status === 'proven' ? `proven by running: ${proof.detail}` : `not run: ${proof.detail}`;
      result.changes.push({
        kind: 'multi-stage',
        runtimeBase: rewrite.runtimeBase,
        user: rewrite.user,
        proof,
        rule: 'single-stage-build',
        reason: [`the build stays in "builder"; the runtime stage starts from ${rewrite.runtimeBase} and runs as ${rewrite.user}`, ...rewrite.notes, proven].join('; '),
      });
    } else {
      result.skipped.push({rule: 'single-stage-build', what: 'multi-stage rewrite', reason: chosen.reason});
    }
  }

  if (has('root-user') && result.text === undefined) {
    if (subject.dockerfile.stages.length < 2) {
      result.skipped.push({rule: 'root-user', what: 'add USER', reason: 'in a single-stage image the app files belong to root and the build tools stay; rewrite it to multi-stage first (see single-stage-build)'});
    } else {
      // Without --user: the runtime image's own non-root user, else one the patch creates with a real home.
      const added = addUser(file, text, options.user);
      if (added.ok) {
        result.text = added.text;
        result.outcome.user = added.user;
        const why = options.user ? ', as asked with --user' : ' (pass --user to choose another)';
        result.changes.push({kind: 'dockerfile-user', user: added.user, rule: 'root-user', reason: [`the final stage runs as ${added.user}${why}`, ...added.notes].join('; ')});
      } else {
        result.skipped.push({rule: 'root-user', what: 'add USER', reason: added.reason});
      }
    }
  }

  if (wants(options, 'root-user')) addTargetUsers(file, result, targets.filter(t => t.stage !== last.name), text, options);

  if (findings.some(f => f.rule === 'mutable-image-ref') && wants(options, 'mutable-image-ref')) {
    result.skipped.push({rule: 'mutable-image-ref', what: 'pin FROM by digest', reason: pinLater});
  }
  return result;
}

/**
 * A USER in each stage a compose service builds with `build.target` where that stage runs as
 * root: compose never builds the last stage for it, so a USER there does not reach it.
 */
function addTargetUsers(file: string, result: DockerfilePlan, targets: readonly BuildTarget[], original: string, options: FixOptions): void {
  const done = new Set<string>();
  for (const {stage, by} of targets) {
    if (done.has(stage)) continue;
    done.add(stage);
    const added = addUser(file, result.text ?? original, options.user, {stage});
    if (added.ok) {
      result.text = added.text;
      result.outcome.stageUsers = {...result.outcome.stageUsers, [stage]: added.user};
      result.changes.push({kind: 'dockerfile-user', user: added.user, rule: 'root-user', reason: [`stage "${stage}", which ${by} builds (build.target), runs as ${added.user}`, ...added.notes].join('; ')});
    } else if (!/^already /.test(added.reason)) {
      result.skipped.push({rule: 'root-user', what: `add USER to stage "${stage}"`, reason: added.reason});
    }
  }
}

/**
 * The rewrite to write: the candidate its proof by running chose, or, when it was not run, the
 * first (most minimal) one, marked as not run. A rewrite whose every candidate failed its proof
 * is not written, and the reason says which check failed.
 */
function chooseRewrite(file: string, text: string, options: FixOptions): {candidate: RewriteCandidate; proof: Proof} | {reason: string} {
  const made = rewriteCandidates(file, text, {...(options.runtimeBase ? {runtimeBase: options.runtimeBase} : {}), ...(options.user ? {user: options.user} : {})});
  if (!made.ok) return {reason: made.reason};
  const decision = options.proofs?.get(file);
  if (decision?.kind === 'refused') return {reason: `not written: ${decision.reason}`};
  if (decision?.kind === 'proven') {
    const candidate = made.candidates[decision.candidate];
    if (candidate) return {candidate, proof: {status: 'proven', detail: decision.detail, ...(decision.sizes ? {sizes: decision.sizes} : {}), ...(decision.answers ? {answers: decision.answers} : {})}};
  }
  return {candidate: made.candidates[0]!, proof: {status: 'not run', detail: options.notRun ?? 'not asked'}};
}
