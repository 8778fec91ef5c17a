import {userIds} from '../core/knowledge/user-ids.js';
import type {ImageConfigFacts} from '../core/discover/container.js';
import type {FileChange} from './ports.js';
import {httpRequest, httpStatus, tcpPorts} from '../core/runtime/readiness.js';
import {lastMeaningful, type Observation} from '../core/runtime/proof.js';
import {testRunCapabilities} from '../core/runtime/privileges.js';
import {onExitRemove} from './docker/cleanup.js';
import type {ContainerEngine, RunningContainer, RunSpec} from './ports.js';
import {exitCode, healthcheckArgv} from './probe.js';
import {limits} from './shadow.js';

/*
 * One run of an image, watched for what it does rather than only whether it is ready: the
 * answer on its exposed port, or how a job ends. The proof of a multi-stage rewrite runs the
 * original and the rewrite this way and compares (core/runtime/proof.ts). Runs are as verify's:
 * no network (the port is asked from a probe in the container's namespace), no-new-privileges,
 * the fewest capabilities.
 */

/** How to run the image. */
export interface ObserveOptions {
  /** Read-only root with a tmpfs on each of `writable` (and /tmp), as the hardened config runs it. */
  readOnly: boolean;
  writable: readonly string[];
  /** How long to wait for an answer or an exit. */
  timeoutMs: number;
  /** With no port to ask: how long a run that has not ended counts as a long-running one. */
  settleMs: number;
  signal?: AbortSignal;
}

/** What the run did, what it wrote (for a run with a writable root) and whether its HEALTHCHECK passed. */
export interface Observed {
  observation: Observation;
  changes?: FileChange[];
  healthcheck?: {ok: boolean; detail: string};
  logs: string;
}

const pollMs = 400;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** The run's spec: the image's own user, no network, the fewest capabilities, memory and pid limits. */
function specOf(image: string, config: ImageConfigFacts, options: ObserveOptions): RunSpec {
  const user = config.user || undefined;
  const ids = user ? userIds(user) : undefined;
  const tmpfs: Record<string, string> = {};
  if (options.readOnly) {
    for (const path of new Set(['/tmp', ...options.writable])) {
      // The owner when known; else writable by anyone, as the app's user is not known here.
      const owner = path === '/tmp' || !ids ? 'mode=1777' : `uid=${ids.uid},gid=${ids.gid ?? ids.uid}`;
      tmpfs[path] = `size=64m,${owner}`;
    }
  }
  return {image, readOnly: options.readOnly, tmpfs, volumes: [], network: 'none', noNewPrivileges: true, ...testRunCapabilities(user, []), ...limits};
}

/** The body of an HTTP answer: what follows the blank line after the headers. */
function bodyOf(answer: string): string {
  const at = answer.indexOf('\r\n\r\n');
  return at === -1 ? '' : answer.slice(at + 4);
}

/** Runs `image` once and watches it; never throws for what the app does, only for the engine. */
export async function observe(engine: ContainerEngine, image: string, config: ImageConfigFacts, options: ObserveOptions): Promise<Observed> {
  const container = await engine.run(specOf(image, config, options));
  const forget = onExitRemove(container);
  try {
    const observation = await watch(container, config, options);
    const result: Observed = {observation, logs: ''};
    const test = config.healthcheck ?? [];
    if (observation.kind !== 'failed' && observation.kind !== 'exited' && test.length > 0 && test[0]!.toUpperCase() !== 'NONE') {
      const argv = healthcheckArgv(test);
      const ran = await container.exec(argv, 10_000).catch(error => ({exitCode: -1, output: (error as Error).message}));
      result.healthcheck = ran.exitCode === 0
        ? {ok: true, detail: `HEALTHCHECK ${argv.join(' ')} exited 0`}
        : {ok: false, detail: `HEALTHCHECK ${argv.join(' ')} exited ${ran.exitCode}${ran.output.trim() ? `: ${lastMeaningful(ran.output)}` : ''}`};
    }
    if (!options.readOnly) result.changes = await container.changes();
    result.logs = (await container.logs()).slice(-4000);
    if (observation.kind === 'failed' && observation.logLine === undefined && result.logs.trim() !== '') {
      result.observation = {...observation, logLine: lastMeaningful(result.logs)};
    }
    return result;
  } finally {
    await container.remove();
    forget();
  }
}

async function watch(container: RunningContainer, config: ImageConfigFacts, options: ObserveOptions): Promise<Observation> {
  const port = tcpPorts(config.exposedPorts)[0];
  const deadline = Date.now() + options.timeoutMs;
  if (port === undefined) {
    const code = await container.wait(options.settleMs);
    if (code === undefined) return {kind: 'running', seconds: options.settleMs / 1000};
    return {kind: 'exited', exitCode: code, output: await container.logs()};
  }
  for (;;) {
    options.signal?.throwIfAborted();
    const code = await exitCode(container);
    if (code !== undefined) return {kind: 'failed', detail: `it exited with code ${code} before it answered on port ${port}`};
    const answer = await container.connect(port, httpRequest({path: '/', port}));
    if (answer.kind === 'unavailable') {
      // No probe for this engine: the most that can be seen is that it stays up.
      const later = await container.wait(options.settleMs);
      return later === undefined ? {kind: 'running', seconds: options.settleMs / 1000} : {kind: 'failed', detail: `it exited with code ${later}`};
    }
    if (answer.kind === 'answered') {
      const status = httpStatus(answer.answer);
      // Not HTTP (a database, a broker): that it answers at all is what there is to compare.
      if (status === undefined) return {kind: 'running', seconds: 0};
      return {kind: 'http', port, status, body: bodyOf(answer.answer)};
    }
    if (Date.now() >= deadline) return {kind: 'failed', detail: `no answer on port ${port} after ${Math.round(options.timeoutMs / 1000)} s`};
    await sleep(pollMs);
  }
}
