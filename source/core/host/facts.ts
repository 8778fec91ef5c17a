import type {AuditError, Target} from '../model/finding.js';
import type {DaemonArgs, HostFacts} from '../model/host.js';
import {missingDaemonJson, parseDaemonJson} from './daemon-json.js';
import {engineSettings} from './docker-info.js';
import {dockerdServing, type DockerdProcess} from './dockerd-args.js';
import {mountFor, parseMountinfo} from './mountinfo.js';
import {immutableOs, immutableOsFromName, parseOsRelease} from './os-release.js';

/** daemon.json as the runtime found it. */
export type DaemonJsonInput =
  | {file: string; text: string}
  | {file: string; missing: true}
  /** It exists but could not be read (permission, too large): why. */
  | {file: string; error: string};

/** Everything the runtime read, as raw as it came; {@link hostFacts} makes facts of it. */
export interface HostInput {
  /** This machine's host name, for when no engine answered. */
  hostname: string;
  /** The engine that answered, and its `GET /info` JSON. */
  engine?: {endpoint: string; info: unknown};
  /** Why this machine's files are not the engine host's (see {@link locateDaemon}). */
  elsewhere?: string;
  daemonArgs?: DaemonArgs;
  daemonJson?: DaemonJsonInput;
  /** Text of /etc/os-release (or /usr/lib/os-release). */
  osRelease?: string;
  /** Text of /proc/<pid>/mountinfo. */
  mountinfo?: string;
  /** `DOCKER_CONTENT_TRUST` where harden runs. */
  contentTrust?: string;
}

/**
 * Which dockerd serves the endpoint, or why this machine's files say nothing about the
 * engine's host. Only a unix socket served by a dockerd visible here is local: a tcp:// or
 * ssh:// engine is on another machine, and a socket with no dockerd behind it here leads into
 * a VM (Docker Desktop), another container or another PID namespace.
 */
export function locateDaemon(endpoint: string, processes: readonly DockerdProcess[]): {dockerd: DockerdProcess & {args: DaemonArgs}} | {elsewhere: string} {
  if (!endpoint.startsWith('unix://')) {
    return {elsewhere: `the engine is reached at ${endpoint}, so it runs on another machine whose os-release, mount table and daemon.json harden cannot read from here`};
  }
  const dockerd = dockerdServing(processes, endpoint);
  if (dockerd) return {dockerd};
  return {elsewhere: `no dockerd process on this machine serves ${endpoint} (the engine runs in a VM such as Docker Desktop's, in another container or PID namespace, or is not dockerd), so this machine's files are not the engine host's`};
}

/** Facts for the host rules, and the located errors of what could not be read or parsed. */
export function hostFacts(input: HostInput): {facts: HostFacts; errors: AuditError[]} {
  const errors: AuditError[] = [];
  const facts: HostFacts = {name: input.hostname};
  if (input.engine) {
    facts.endpoint = input.engine.endpoint;
    const settings = engineSettings(input.engine.info);
    if ('error' in settings) errors.push({file: 'docker', line: 0, message: settings.error});
    else {
      facts.engine = settings;
      if (settings.name) facts.name = settings.name;
    }
  }
  if (input.elsewhere) facts.elsewhere = input.elsewhere;
  if (input.daemonArgs) facts.daemonArgs = input.daemonArgs;
  if (input.daemonJson) {
    const json = input.daemonJson;
    if ('text' in json) {
      const parsed = parseDaemonJson(json.file, json.text);
      errors.push(...parsed.errors);
      if (parsed.facts) facts.daemonConfig = parsed.facts;
    } else if ('missing' in json) facts.daemonConfig = missingDaemonJson(json.file);
    else {
      errors.push({file: json.file, line: 0, message: json.error});
      facts.daemonConfig = {file: json.file, state: 'invalid', settings: new Map()};
    }
  }
  if (input.osRelease !== undefined) facts.os = parseOsRelease(input.osRelease);
  if (input.mountinfo !== undefined) {
    const entries = parseMountinfo(input.mountinfo);
    const root = mountFor(entries, '/');
    if (root && root.mountPoint === '/') {
      const usr = mountFor(entries, '/usr');
      const dataRoot = facts.engine?.dockerRootDir ? mountFor(entries, facts.engine.dockerRootDir) : undefined;
      facts.mounts = {root, ...(usr && usr.mountPoint === '/usr' ? {usr} : {}), ...(dataRoot ? {dataRoot} : {})};
    }
  }
  const immutable = (!facts.elsewhere ? immutableOs(facts.os, facts.mounts?.root) : undefined) ?? (facts.engine ? immutableOsFromName(facts.engine.operatingSystem) : undefined);
  if (immutable) facts.immutable = immutable;
  if (input.contentTrust !== undefined) facts.contentTrust = input.contentTrust;
  return {facts, errors};
}

/** The target of the host checks: `host:<name>`, line 0 like a container (a host has no lines). */
export function hostTarget(host: Pick<HostFacts, 'name'>): Target {
  const file = `host:${host.name}`;
  return {id: `host:${file}#${host.name}`, kind: 'host', file, name: host.name, line: 0};
}
