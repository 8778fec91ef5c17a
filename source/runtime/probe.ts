import {defaultSettleMs, httpRequest, httpStatus, type Probe} from '../core/runtime/readiness.js';
import type {RunningContainer} from './ports.js';

export interface ReadyResult {
  ready: boolean;
  detail: string;
  /** Exit code when the container stopped while we waited (a one-shot job, or a crash). */
  exitCode?: number;
}

const pollMs = 300;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, {once: true});
  });
}

/** Asks the container's own network namespace, from the probe beside it; undefined while not ready yet. */
async function networkOk(container: RunningContainer, probe: Extract<Probe, {kind: 'http' | 'tcp'}>): Promise<{passed?: string; unavailable?: string}> {
  if (probe.kind === 'tcp') {
    const answer = await container.connect(probe.port);
    if (answer.kind === 'unavailable') return {unavailable: answer.why};
    return answer.kind === 'answered' ? {passed: `127.0.0.1:${probe.port} accepted a connection`} : {};
  }
  const answer = await container.connect(probe.port, httpRequest(probe));
  if (answer.kind === 'unavailable') return {unavailable: answer.why};
  if (answer.kind !== 'answered') return {};
  const status = httpStatus(answer.answer);
  return status !== undefined && status < probe.readyBelow ? {passed: `GET ${probe.path} on port ${probe.port} answered ${status}`} : {};
}

/** The exit code once the container has stopped; undefined while it runs. Read from inspect: an instant answer. */
export async function exitCode(container: RunningContainer): Promise<number | undefined> {
  const state = ((await container.inspect()) as {State?: {Running?: boolean; ExitCode?: number}}).State;
  return state && state.Running === false ? (state.ExitCode ?? 0) : undefined;
}

/** The healthcheck's command run inside, as the engine would (CMD-SHELL through sh). */
export function healthcheckArgv(test: readonly string[]): string[] {
  const [kind, ...rest] = test;
  return kind?.toUpperCase() === 'CMD-SHELL' ? ['/bin/sh', '-c', rest.join(' ')] : rest;
}

/**
 * Waits until the probe passes, the container exits, or `timeoutMs` passes. The image's
 * HEALTHCHECK is run with exec rather than by waiting for the engine's health status,
 * whose first check only comes after the interval (often 30 s).
 */
export async function waitReady(container: RunningContainer, probe: Probe, timeoutMs: number, signal?: AbortSignal): Promise<ReadyResult> {
  const deadline = Date.now() + timeoutMs;
  const started = Date.now();
  for (;;) {
    const exit = await exitCode(container);
    if (exit !== undefined) return {ready: false, exitCode: exit, detail: `the container exited with code ${exit} before it was ready`};
    let passed: string | undefined;
    if (probe.kind === 'http' || probe.kind === 'tcp') {
      const result = await networkOk(container, probe);
      // No probe for this engine: the container is judged by staying up instead, and the detail says why.
      if (result.unavailable !== undefined) return waitReady(container, {kind: 'running', settleMs: Math.max(0, defaultSettleMs - (Date.now() - started)), why: `${result.unavailable}, so ${probe.why} was not asked: still running ${defaultSettleMs / 1000} s after start`}, Math.max(timeoutMs - (Date.now() - started), defaultSettleMs), signal);
      passed = result.passed;
    } else if (probe.kind === 'running') passed = Date.now() - started >= probe.settleMs ? `still running after ${probe.settleMs / 1000} s` : undefined;
    else {
      const argv = probe.kind === 'healthcheck' ? healthcheckArgv(probe.test) : ['/bin/sh', '-c', probe.shell];
      const result = await container.exec(argv, 5000).catch(() => undefined);
      if (result?.exitCode === 0) passed = `${probe.kind === 'healthcheck' ? 'HEALTHCHECK' : 'probe'} ${argv.join(' ')} exited 0`;
    }
    if (passed !== undefined) return {ready: true, detail: `${passed} (${probe.why})`};
    if (Date.now() >= deadline) return {ready: false, detail: `not ready after ${Math.round(timeoutMs / 1000)} s (${probe.why})`};
    await sleep(pollMs, signal);
  }
}

/** Watches a ready container for `ms`: still running, or its exit code. */
export async function staysUp(container: RunningContainer, ms: number): Promise<number | undefined> {
  return container.wait(ms);
}
