import {UserError} from '../core/model/errors.js';
import type {ContainerEngine} from '../runtime/ports.js';

/** A positive number of seconds from a flag, or the default. */
export function seconds(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 3600) throw new UserError(`${flag} must be a number of seconds from 0 to 3600, not "${value}"`);
  return n;
}

/** Progress goes to stderr, so stdout stays the result (JSON or the list). */
export function progressPrinter(quiet: boolean): (line: string) => void {
  if (quiet) return () => undefined;
  return line => {
    const text = line.trim();
    if (text) process.stderr.write(`  ${text}\n`);
  };
}

/** Ctrl-C aborts the running step; the engine layer removes what it started. */
export function abortOnSignal(): {signal: AbortSignal; dispose(): void} {
  const controller = new AbortController();
  const abort = () => controller.abort(new UserError('interrupted'));
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return {signal: controller.signal, dispose: () => {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }};
}

/** Connects to the engine on the first call and hands the same connection to every later one. */
export function onceEngine(): () => Promise<ContainerEngine> {
  let engine: Promise<ContainerEngine> | undefined;
  return () => (engine ??= import('../runtime/docker/engine.js').then(m => m.connectEngine()));
}

/** `verify` and `paths`: a target whose image is not on this machine did not run, and nothing failed. */
export const notVerifiedExit = 4;
