/**
 * Finds the engine the way the docker CLI does: DOCKER_HOST, then the current context
 * (DOCKER_CONTEXT or `currentContext` in config.json), then the default socket, then Podman's.
 * Reads the environment and files only through its parameters, so tests use temp dirs.
 */
import {createHash} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import type {DockerOptions} from 'dockerode';
import {EngineUnavailable} from './errors.js';

/** The few file operations endpoint discovery needs. */
export interface EndpointIo {
  /** The file's bytes, or undefined when it does not exist or cannot be read. */
  readFile(path: string): Buffer | undefined;
  /** Whether something (a socket) exists at the path. */
  exists(path: string): boolean;
  /** Home directory for `~/.docker` when neither DOCKER_CONFIG nor HOME is set. */
  homeDir: string;
  /** Docker's default socket. */
  dockerSocket: string;
  /** Podman's rootful socket; the rootless one is under XDG_RUNTIME_DIR. */
  podmanSocket: string;
}

/** Where the engine is and how dockerode reaches it. */
export interface FoundEndpoint {
  /** As the user would write it: `unix:///var/run/docker.sock`, `tcp://host:2376`. */
  endpoint: string;
  /** How it was chosen: `DOCKER_HOST`, `context <name>`, `default socket`, `podman socket`. */
  source: string;
  /** Everything dockerode needs; every connection field is set, so none come from process.env. */
  dockerodeOptions: DockerOptions;
  /** Things ignored on the way (a malformed config.json), for the debug log. */
  warnings: string[];
}

/** The real file system and home directory. */
export const nodeEndpointIo: EndpointIo = {
  readFile(path) {
    try {
      return readFileSync(path);
    } catch {
      return undefined;
    }
  },
  exists: path => existsSync(path),
  homeDir: homedir(),
  dockerSocket: '/var/run/docker.sock',
  podmanSocket: '/run/podman/podman.sock',
};

type Env = Readonly<Record<string, string | undefined>>;

const set = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** Finds the endpoint; throws {@link EngineUnavailable} (`bad-address`) for one that cannot be used. */
export function findEndpoint(env: Env, io: Partial<EndpointIo> = {}): FoundEndpoint {
  const fs: EndpointIo = {...nodeEndpointIo, ...io};
  const configDir = set(env['DOCKER_CONFIG']) ? env['DOCKER_CONFIG'] : join(env['HOME'] || fs.homeDir, '.docker');
  const warnings: string[] = [];

  const dockerHost = env['DOCKER_HOST'];
  if (set(dockerHost)) {
    const tls = set(env['DOCKER_TLS_VERIFY'])
      ? set(env['DOCKER_CERT_PATH']) ? env['DOCKER_CERT_PATH'] : configDir
      : undefined;
    return {...fromHost(dockerHost.trim(), 'DOCKER_HOST', tls, fs), warnings};
  }

  const context = currentContext(env, configDir, fs, warnings);
  if (context && context.name !== 'default') {
    const hash = createHash('sha256').update(context.name).digest('hex');
    const metaPath = join(configDir, 'contexts', 'meta', hash, 'meta.json');
    const meta = readJson(fs, metaPath);
    const notFound = (what: string) =>
      new EngineUnavailable(
        'bad-address',
        '',
        `Docker context "${context.name}" (from ${context.from}) ${what}`,
        context.from === 'DOCKER_CONTEXT'
          ? 'run "docker context ls", or unset DOCKER_CONTEXT'
          : 'run "docker context ls" and "docker context use <name>"',
      );
    if (meta === undefined) throw notFound(`not found: no ${metaPath}`);
    if (meta === invalid) throw notFound(`has a malformed ${metaPath}`);
    const docker = (meta as {Endpoints?: {docker?: {Host?: unknown; SkipTLSVerify?: unknown}}}).Endpoints?.docker;
    const host = typeof docker?.Host === 'string' ? docker.Host.trim() : '';
    if (host !== '') {
      const tlsDir = join(configDir, 'contexts', 'tls', hash, 'docker');
      const tls = fs.exists(join(tlsDir, 'ca.pem')) || fs.exists(join(tlsDir, 'cert.pem')) ? tlsDir : undefined;
      return {...fromHost(host, `context ${context.name}`, tls, fs), warnings};
    }
    // A context without a docker host means the default socket, as in the docker CLI.
  }

  const rootless = set(env['XDG_RUNTIME_DIR']) ? join(env['XDG_RUNTIME_DIR'], 'podman', 'podman.sock') : undefined;
  const socket = fs.exists(fs.dockerSocket)
    ? {path: fs.dockerSocket, source: 'default socket'}
    : [rootless, fs.podmanSocket]
        .filter((path): path is string => path !== undefined && fs.exists(path))
        .map(path => ({path, source: 'podman socket'}))[0] ?? {path: fs.dockerSocket, source: 'default socket'};
  return {...unixEndpoint(socket.path, socket.source), warnings};
}

const invalid = Symbol('invalid JSON');

function readJson(fs: EndpointIo, path: string): unknown {
  const bytes = fs.readFile(path);
  if (bytes === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : invalid;
  } catch {
    return invalid;
  }
}

function currentContext(
  env: Env,
  configDir: string,
  fs: EndpointIo,
  warnings: string[],
): {name: string; from: string} | undefined {
  if (set(env['DOCKER_CONTEXT'])) return {name: env['DOCKER_CONTEXT'].trim(), from: 'DOCKER_CONTEXT'};
  const path = join(configDir, 'config.json');
  const config = readJson(fs, path);
  if (config === invalid) {
    warnings.push(`${path} is not a JSON object; ignored it`);
    return undefined;
  }
  const name = (config as {currentContext?: unknown} | undefined)?.currentContext;
  return typeof name === 'string' && name.trim() !== '' ? {name: name.trim(), from: path} : undefined;
}

/** Every connection field explicitly, so dockerode's own reading of process.env adds nothing. */
const blank: DockerOptions = {
  socketPath: undefined,
  host: undefined,
  port: undefined,
  protocol: undefined,
  ca: undefined,
  cert: undefined,
  key: undefined,
};

function unixEndpoint(path: string, source: string): Omit<FoundEndpoint, 'warnings'> {
  return {endpoint: `unix://${path}`, source, dockerodeOptions: {...blank, socketPath: path}};
}

function badHost(host: string, source: string, why: string): EngineUnavailable {
  return new EngineUnavailable(
    'bad-address',
    host,
    `${source} "${host}" ${why}`,
    'use unix:///path/to/docker.sock or tcp://host:port',
  );
}

/** Parses a docker host address as the docker CLI does (`host:port` alone means tcp). */
function fromHost(
  host: string,
  source: string,
  tlsDir: string | undefined,
  fs: EndpointIo,
): Omit<FoundEndpoint, 'warnings'> {
  const withScheme = host.includes('://') ? host : `tcp://${host}`;
  const scheme = withScheme.slice(0, withScheme.indexOf('://')).toLowerCase();
  const rest = withScheme.slice(scheme.length + 3);
  if (scheme === 'unix') {
    if (!rest.startsWith('/') && rest !== '') throw badHost(host, source, 'needs an absolute socket path');
    return unixEndpoint(rest || fs.dockerSocket, source);
  }
  if (scheme === 'ssh' || scheme === 'npipe' || scheme === 'fd') {
    throw new EngineUnavailable(
      'bad-address',
      host,
      `${source} "${host}" uses ${scheme}://, which harden does not support`,
      scheme === 'ssh'
        ? 'forward the socket (ssh -L /tmp/docker.sock:/var/run/docker.sock host), ' +
          'then set DOCKER_HOST=unix:///tmp/docker.sock'
        : 'use unix:///path/to/docker.sock or tcp://host:port',
    );
  }
  if (scheme !== 'tcp' && scheme !== 'http' && scheme !== 'https') {
    throw badHost(host, source, `has an unknown scheme "${scheme}://"`);
  }
  let url: URL;
  try {
    url = new URL(`http://${rest}`);
  } catch {
    throw badHost(host, source, 'is not a valid address');
  }
  if (url.hostname === '' || (url.pathname !== '/' && url.pathname !== '') || url.search || url.username) {
    throw badHost(host, source, 'is not a valid address');
  }
  const secure = tlsDir !== undefined || scheme === 'https';
  const port = url.port || (secure ? '2376' : '2375');
  const endpoint = `tcp://${url.hostname}:${port}`;
  const options: DockerOptions = {...blank, host: url.hostname, port, protocol: secure ? 'https' : 'http'};
  if (tlsDir !== undefined) {
    const read = (name: string) => {
      const path = join(tlsDir, name);
      const bytes = fs.readFile(path);
      if (bytes === undefined) {
        throw new EngineUnavailable(
          'bad-address',
          endpoint,
          `TLS is on for ${endpoint} (from ${source}) but ${path} cannot be read`,
          'set DOCKER_CERT_PATH to the directory with ca.pem, cert.pem and key.pem',
        );
      }
      return bytes;
    };
    Object.assign(options, {ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem')});
  }
  return {endpoint, source, dockerodeOptions: options};
}
