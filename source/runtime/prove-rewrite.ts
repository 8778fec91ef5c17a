import {isRootUser} from '../core/knowledge/well-known-images.js';
import {canonicalPath} from '../core/paths.js';
import {answerOf, compare, describeObservation, unusableReference, type ProofCheck, type Reference} from '../core/runtime/proof.js';
import {collapseChanges} from '../core/runtime/writable-dirs.js';
import {observe} from './observe.js';
import type {ContainerEngine} from './ports.js';
import {prepareImage, type PreparedImage} from './prepare.js';

/*
 * Proof by running (issue 14): a multi-stage rewrite is written only when, built and run on
 * the engine, it does what the original does: the same answer on its port (or the same exit
 * code and output for a job), also read-only with a tmpfs where the app writes, a HEALTHCHECK
 * that passes, a non-root user, and a smaller image. Candidates are tried from the most minimal
 * to the most conservative; the first that passes is the one written.
 */

/** One rewrite to try: its text and a name for it in messages. */
export interface Candidate {
  text: string;
  label: string;
}

/** What the proof of one candidate found. */
export interface CandidateProof {
  label: string;
  proven: boolean;
  checks: ProofCheck[];
  /** Image size in bytes, when it built. */
  size?: number;
  /** What it answered as built ({@link answerOf}), when it ran. */
  answer?: string;
}

/** The outcome for one Dockerfile. */
export interface RewriteProof {
  /** Index of the first candidate that passed; undefined when none did (or the original cannot be judged). */
  chosen?: number;
  /** Why nothing was proven, in one line with the failing check (and log line). */
  reason?: string;
  /** Size of the original image in bytes. */
  originalSize?: number;
  /** What the original answered ({@link answerOf}), when it ran. */
  original?: string;
  candidates: CandidateProof[];
}

export interface ProveOptions {
  onProgress(line: string): void;
  /** Paths the Dockerfile says the app writes (ENV *_DIR, mkdir + chown, VOLUME): a tmpfs in the read-only run. */
  writable?: readonly string[];
  timeoutMs?: number;
  settleMs?: number;
  signal?: AbortSignal;
}

const sizeOf = async (engine: ContainerEngine, image: string) => Number(((await engine.inspectImage(image)) as {Size?: unknown} | undefined)?.Size ?? 0);
// Small images (a static site on busybox) differ in kilobytes: three decimals below 10 MB.
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 3 : 1)} MB`;

/** Builds the original and each candidate in turn, runs them and compares; stops at the first that passes. */
export async function proveRewrite(engine: ContainerEngine, build: {context: string; dockerfile: string}, candidates: readonly Candidate[], options: ProveOptions): Promise<RewriteProof> {
  const run = {timeoutMs: options.timeoutMs ?? 60_000, settleMs: options.settleMs ?? 5_000, ...(options.signal ? {signal: options.signal} : {})};
  const result: RewriteProof = {candidates: []};
  options.onProgress(`building the original ${build.dockerfile}`);
  let original: PreparedImage;
  try {
    original = await prepareImage(engine, {label: build.dockerfile, build, mounts: [], capDrop: []}, options.onProgress, options.signal);
  } catch (error) {
    result.reason = `the original does not build here, so no rewrite can be compared with it: ${(error as Error).message.split('\n')[0]}`;
    return result;
  }
  try {
    result.originalSize = await sizeOf(engine, original.image);
    options.onProgress('running the original twice, to see what a rewrite must do');
    const first = await observe(engine, original.image, original.config, {...run, readOnly: false, writable: []});
    const second = await observe(engine, original.image, original.config, {...run, readOnly: false, writable: []});
    const reference: Reference = {first: first.observation, second: second.observation};
    const unusable = unusableReference(reference);
    if (unusable) {
      result.reason = unusable;
      return result;
    }
    result.original = answerOf(reference.first);
    options.onProgress(`the original: ${describeObservation(reference.first)}`);
    // Where the original wrote, with the Dockerfile's own hints: the read-only run mounts a tmpfs there.
    const wrote = collapseChanges(first.changes ?? [], {mounts: [], ignore: original.config.volumes}).filter(dir => !dir.system).map(dir => dir.path);
    const writable = [...new Set([...wrote, ...(options.writable ?? [])].map(canonicalPath))];
    for (const candidate of candidates) {
      const proof = await proveOne(engine, build, candidate, reference, writable, result.originalSize, run, options);
      result.candidates.push(proof);
      if (proof.proven) {
        result.chosen = result.candidates.length - 1;
        return result;
      }
    }
    const last = result.candidates.at(-1);
    const failed = last?.checks.find(c => !c.ok);
    // The most conservative candidate failed too: its failure is the one that says what the app needs.
    const tried = result.candidates.length > 1 ? `each of the ${result.candidates.length} candidates (${result.candidates.map(c => c.label).join(', ')}) failed; the last, ` : '';
    result.reason = last && failed ? `${tried}${last.label}: ${failed.name}: ${failed.detail}` : 'there was no rewrite to try';
    return result;
  } finally {
    await original.release();
  }
}

async function proveOne(
  engine: ContainerEngine,
  build: {context: string; dockerfile: string},
  candidate: Candidate,
  reference: Reference,
  writable: readonly string[],
  originalSize: number,
  run: {timeoutMs: number; settleMs: number; signal?: AbortSignal},
  options: ProveOptions,
): Promise<CandidateProof> {
  const proof: CandidateProof = {label: candidate.label, proven: false, checks: []};
  options.onProgress(`building the rewrite (${candidate.label})`);
  let image: PreparedImage;
  try {
    image = await prepareImage(engine, {label: candidate.label, build: {...build, text: candidate.text}, mounts: [], capDrop: []}, options.onProgress, options.signal);
  } catch (error) {
    proof.checks.push({name: 'build', ok: false, detail: (error as Error).message.split('\n').slice(0, 3).join(' | ')});
    return proof;
  }
  try {
    proof.checks.push({name: 'build', ok: true, detail: 'the rewrite builds'});
    proof.size = await sizeOf(engine, image.image);
    const user = image.config.user;
    proof.checks.push(user && !isRootUser(user) ? {name: 'non-root', ok: true, detail: `runs as ${user}`} : {name: 'non-root', ok: false, detail: 'the rewrite runs as root'});
    proof.checks.push(proof.size < originalSize
      ? {name: 'smaller', ok: true, detail: `${megabytes(proof.size)}, the original ${megabytes(originalSize)}`}
      : {name: 'smaller', ok: false, detail: `${megabytes(proof.size)} is not smaller than the original's ${megabytes(originalSize)}`});
    options.onProgress(`running the rewrite (${candidate.label}) as built, then read-only`);
    const plain = await observe(engine, image.image, image.config, {...run, readOnly: false, writable: []});
    proof.answer = answerOf(plain.observation);
    proof.checks.push(compare(reference, plain.observation, 'as built'));
    if (plain.healthcheck) proof.checks.push({name: 'healthcheck', ...plain.healthcheck});
    const hardened = await observe(engine, image.image, image.config, {...run, readOnly: true, writable});
    const mounts = writable.length > 0 ? `read-only, tmpfs on /tmp and ${writable.join(', ')}` : 'read-only, tmpfs on /tmp';
    proof.checks.push(compare(reference, hardened.observation, mounts));
    proof.proven = proof.checks.every(c => c.ok);
    return proof;
  } finally {
    await image.release();
  }
}
