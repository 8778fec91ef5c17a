import {basename, dirname, relative, resolve} from 'node:path';
import type {Analysis, LoadedFile} from '../core/audit.js';
import type {Subject} from '../core/model/facts.js';
import {rewriteCandidates} from '../core/patch/dockerfile/index.js';
import {wants, type FixOptions, type ProofOutcome, type RewriteDecision} from '../core/plan/options.js';
import {collectWriteHints} from '../core/rules/effective.js';
import type {ContainerEngine} from './ports.js';
import {proveRewrite, type RewriteProof} from './prove-rewrite.js';

/*
 * `harden fix` proves each multi-stage rewrite by running it before it is offered (issue 14):
 * for every Dockerfile the planner would rewrite, the same candidates it would make are built
 * and run here, and the verdict goes to the planner through FixOptions.proofs.
 */

export type {ProofOutcome} from '../core/plan/options.js';

/** The Dockerfiles the planner would rewrite: a single-stage-build finding it is asked to fix. */
function rewritable(analysis: Analysis, options: FixOptions): Array<Extract<Subject, {kind: 'dockerfile'}>> {
  if (!wants(options, 'single-stage-build')) return [];
  const flagged = new Set(analysis.report.findings.filter(f => f.rule === 'single-stage-build').map(f => f.target));
  return analysis.subjects.filter((s): s is Extract<Subject, {kind: 'dockerfile'}> => s.kind === 'dockerfile' && flagged.has(s.target.id));
}

/** The build context of a Dockerfile: a compose service's that builds it, else its own directory. */
function contextOf(analysis: Analysis, file: string, cwd: string): {context: string; dockerfile: string} {
  for (const subject of analysis.subjects) {
    if (subject.kind !== 'compose-service' || !subject.service.build || subject.dockerfile?.file !== file) continue;
    const context = resolve(cwd, subject.service.build.context);
    return {context, dockerfile: relative(context, resolve(cwd, file)).split('\\').join('/')};
  }
  const path = resolve(cwd, file);
  return {context: dirname(path), dockerfile: basename(path)};
}

/** One line of what the chosen candidate's runs showed. */
function provenDetail(proof: RewriteProof): string {
  const chosen = proof.candidates[proof.chosen!]!;
  const same = chosen.checks.filter(c => c.name.startsWith('same as the original')).map(c => c.detail.replace(/, as the original$/, ''));
  const health = chosen.checks.find(c => c.name === 'healthcheck');
  const size = chosen.checks.find(c => c.name === 'smaller')?.detail;
  const parts = [`${same[0] ?? 'it ran'} as the original, also read-only`, ...(health ? ['its HEALTHCHECK passes'] : []), ...(size ? [size.replace(', the original ', ' instead of ')] : [])];
  const tried = proof.chosen! > 0 ? ` (the ${chosen.label} candidate; ${proof.candidates.slice(0, proof.chosen).map(c => c.label).join(', ')} failed)` : '';
  return `${parts.join('; ')}${tried}`;
}

/**
 * Builds and runs the rewrite candidates of every Dockerfile the plan would rewrite. No engine
 * is not an error: the plan then says the rewrites were not run, and why.
 */
export async function proveRewrites(
  analysis: Analysis,
  files: readonly LoadedFile[],
  cwd: string,
  options: FixOptions,
  connect: () => Promise<ContainerEngine>,
  onProgress: (line: string) => void,
  signal?: AbortSignal,
): Promise<ProofOutcome> {
  const subjects = rewritable(analysis, options);
  if (subjects.length === 0) return {proofs: new Map()};
  let engine: ContainerEngine;
  try {
    engine = await connect();
    await engine.sweep();
  } catch (error) {
    return {notRun: `no engine answered (${(error as Error).message.split('\n')[0]})`};
  }
  const proofs = new Map<string, RewriteDecision>();
  for (const subject of subjects) {
    signal?.throwIfAborted();
    const file = subject.target.file;
    const text = files.find(f => f.file === file)?.text;
    if (text === undefined) continue;
    const made = rewriteCandidates(file, text, {...(options.runtimeBase ? {runtimeBase: options.runtimeBase} : {}), ...(options.user ? {user: options.user} : {})});
    if (!made.ok) continue;
    const candidates = made.candidates.map(c => ({text: c.text, label: c.level}));
    const writable = collectWriteHints(subject).map(h => h.path);
    const proof = await proveRewrite(engine, contextOf(analysis, file, cwd), candidates, {onProgress: line => onProgress(`${file}: ${line}`), writable, ...(signal ? {signal} : {})});
    const size = proof.chosen === undefined ? undefined : proof.candidates[proof.chosen]!.size;
    const sizes = size !== undefined && proof.originalSize !== undefined ? {sizes: {original: proof.originalSize, rewrite: size}} : {};
    const shown = proof.candidates[proof.chosen ?? proof.candidates.length - 1];
    const answers = proof.original === undefined ? {} : {answers: {original: proof.original, ...(shown?.answer === undefined ? {} : {rewrite: shown.answer})}};
    proofs.set(file, proof.chosen !== undefined
      ? {kind: 'proven', candidate: proof.chosen, detail: provenDetail(proof), ...sizes, ...answers}
      : {kind: 'refused', reason: `its proof by running failed: ${proof.reason ?? 'no candidate passed'}`, ...answers});
  }
  return {proofs};
}
