import type {VerifyResult} from '../core/model/runtime.js';
import type {ContainerEngine} from './ports.js';
import type {ResolvedTarget} from './targets/resolve.js';
import {verifyTarget, type VerifyOptions} from './verify.js';

/** Options of {@link verifyTargets}: those of one verification, progress per target, and how many at once. */
export interface VerifyTargetsOptions extends Omit<VerifyOptions, 'onProgress'> {
  /** At most this many targets run at once. */
  jobs: number;
  onProgress(target: ResolvedTarget, line: string): void;
}

/**
 * `harden verify` of several targets (the services of a compose file): at most `jobs` at once,
 * one result per target in the order given. Each run is labelled and cleans up after itself as
 * one alone does; each has a network namespace of its own, so two that listen on one port never meet.
 * A target that cannot be run at all gets a failed result saying why, and the others go on.
 * An interruption stops starting new targets, waits for the running ones to clean up, and
 * rethrows.
 */
export async function verifyTargets(engine: ContainerEngine, targets: readonly ResolvedTarget[], options: VerifyTargetsOptions): Promise<VerifyResult[]> {
  const results = new Array<VerifyResult>(targets.length);
  let next = 0;
  let interrupted: {error: unknown} | undefined;
  const worker = async () => {
    while (next < targets.length && !options.signal?.aborted) {
      const index = next++;
      const target = targets[index]!;
      try {
        results[index] = await verifyTarget(engine, target, {...options, onProgress: line => options.onProgress(target, line)});
      } catch (error) {
        if (options.signal?.aborted) {
          interrupted ??= {error};
          return;
        }
        results[index] = {target: target.label, ok: false, checks: [{name: 'run', ok: false, detail: (error as Error).message}], missing: [], logs: ''};
      }
    }
  };
  await Promise.all(Array.from({length: Math.max(1, Math.min(options.jobs, targets.length))}, worker));
  if (interrupted) throw interrupted.error;
  if (options.signal?.aborted) throw options.signal.reason;
  return results;
}
