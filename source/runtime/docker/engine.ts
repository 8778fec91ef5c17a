/**
 * Connects to the container engine and checks that it can be used. The only entry point commands
 * need: `const engine = await connectEngine()`; everything else goes through the ContainerEngine
 * port, so nothing above runtime/docker sees dockerode.
 */
import Docker from 'dockerode';
import type {BuildRequest, ContainerEngine, EngineInfo, RunSpec} from '../ports.js';
import {buildImage} from './build.js';
import {changes, inspectContainer, inspectImage, listContainers, removeBuildLayers, removeImage} from './containers.js';
import {findEndpoint, type EndpointIo, type FoundEndpoint} from './endpoint.js';
import {EngineUnavailable} from './errors.js';
import {log, reasonOf} from './log.js';
import {pullImage} from './pull.js';
import {runContainer} from './run.js';
import {sweep} from './sweep.js';

export {EngineUnavailable, type EngineProblem} from './errors.js';
export {onExitRemove, type Removable} from './cleanup.js';
export {BuildFailed} from './build.js';

/** API 1.40 is Docker 19.03, the oldest engine the tool supports; anything older is long out of support. */
export const minimumApiVersion = '1.40';

/** Options for tests; commands pass none. */
export interface ConnectOptions {
  /** File access for endpoint discovery. */
  io?: Partial<EndpointIo>;
  /** How long the first request may take before the engine counts as not answering. */
  timeoutMs?: number;
}

/**
 * Finds the engine (see findEndpoint), asks for its version within a few seconds and refuses
 * APIs older than {@link minimumApiVersion}. Every failure is an {@link EngineUnavailable}.
 */
export async function connectEngine(
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: ConnectOptions = {},
): Promise<ContainerEngine> {
  const found = findEndpoint(env, options.io);
  for (const warning of found.warnings) log('ignored config: %s', warning);
  log('doing connect to %s (from %s)', found.endpoint, found.source);
  let client: Docker;
  try {
    client = new Docker(found.dockerodeOptions);
  } catch (error) {
    // dockerode reads process.env itself (DOCKER_HOST, DOCKER_CERT_PATH) even when given options.
    throw new EngineUnavailable(
      'bad-address',
      found.endpoint,
      `cannot use the Docker settings in the environment: ${reasonOf(error)}`,
      'fix or unset DOCKER_HOST and DOCKER_CERT_PATH',
    );
  }
  const version = await askVersion(client, found, options.timeoutMs ?? 5000);
  const apiVersion = String(version.ApiVersion ?? '');
  if (compareVersions(apiVersion, minimumApiVersion) < 0) {
    log('failed to connect: API %s is too old {%s}', apiVersion, found.endpoint);
    throw new EngineUnavailable(
      'old-api',
      found.endpoint,
      `the engine at ${found.endpoint} speaks Docker API ${apiVersion || 'unknown'}; ` +
        `harden needs ${minimumApiVersion} or later`,
      'upgrade to Docker 19.03 or later (or Podman 3 or later)',
    );
  }
  const components = Array.isArray(version.Components) ? version.Components : [];
  const info: EngineInfo = {
    endpoint: found.endpoint,
    source: found.source,
    apiVersion,
    serverVersion: String(version.Version ?? ''),
    podman: found.source === 'podman socket' || components.some(c => /podman/i.test(String(c?.Name ?? ''))),
  };
  log('did connect to %s: API %s, engine %s', info.endpoint, info.apiVersion, info.serverVersion);
  return new DockerEngine(client, info);
}

/** Compares dotted versions numerically: `1.9` < `1.40`. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] || 0) - (right[i] || 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

async function askVersion(client: Docker, found: FoundEndpoint, timeoutMs: number): Promise<Docker.DockerVersion> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    // dockerode takes an abortSignal here too; its types only lack the overload.
    const version = client.version as unknown as (
      this: Docker,
      options: {abortSignal: AbortSignal},
    ) => Promise<Docker.DockerVersion>;
    return await version.call(client, {abortSignal: abort.signal});
  } catch (error) {
    log('failed to connect: %s {%s}', reasonOf(error), found.endpoint);
    throw unavailable(error, found, abort.signal.aborted ? timeoutMs : undefined);
  } finally {
    clearTimeout(timer);
  }
}

/** The EngineUnavailable for an error of the first request. */
export function unavailable(
  error: unknown,
  found: Pick<FoundEndpoint, 'endpoint' | 'source'>,
  timedOutAfter?: number,
): EngineUnavailable {
  const where = `${found.endpoint} (from ${found.source})`;
  const code = (error as {code?: unknown} | undefined)?.code;
  const elsewhere =
    found.source === 'DOCKER_HOST'
      ? 'start Docker there, or fix or unset DOCKER_HOST'
      : found.source.startsWith('context ')
        ? 'start Docker there, or switch context with "docker context use default"'
        : 'start Docker or set DOCKER_HOST';
  if (timedOutAfter !== undefined) {
    const message = `no answer from ${where} within ${timedOutAfter / 1000} s`;
    return new EngineUnavailable('no-answer', found.endpoint, message, elsewhere);
  }
  if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
    return new EngineUnavailable('no-engine', found.endpoint, `no Docker engine at ${where}`, elsewhere);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new EngineUnavailable(
      'permission-denied',
      found.endpoint,
      `permission denied on ${where}`,
      'add yourself to the docker group or use rootless Docker',
    );
  }
  return new EngineUnavailable(
    'no-answer',
    found.endpoint,
    `the engine at ${where} did not answer as a Docker engine: ${reasonOf(error).split('\n')[0]}`,
    elsewhere,
  );
}

/** The ContainerEngine over dockerode; each method lives in its own module. */
class DockerEngine implements ContainerEngine {
  constructor(
    private readonly client: Docker,
    private readonly engineInfo: EngineInfo,
  ) {}

  async info(): Promise<EngineInfo> {
    return {...this.engineInfo};
  }
  systemInfo(): Promise<unknown> {
    return this.client.info();
  }
  listContainers(all: boolean) {
    return listContainers(this.client, all);
  }
  inspectContainer(id: string) {
    return inspectContainer(this.client, id);
  }
  inspectImage(ref: string) {
    return inspectImage(this.client, ref);
  }
  changes(id: string) {
    return changes(this.client, id);
  }
  build(request: BuildRequest) {
    return buildImage(this.client, request);
  }
  pull(ref: string, onProgress: (line: string) => void, signal?: AbortSignal) {
    return pullImage(this.client, ref, onProgress, signal);
  }
  run(spec: RunSpec) {
    return runContainer(this.client, spec);
  }
  sweep() {
    return sweep(this.client);
  }
  removeImage(ref: string) {
    return removeImage(this.client, ref);
  }
  removeBuildLayers(ids: readonly string[]) {
    return removeBuildLayers(this.client, ids);
  }
}
