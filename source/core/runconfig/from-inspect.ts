import {containerFacts} from '../discover/container.js';
import {isRootUser} from '../knowledge/well-known-images.js';
import type {FileChangeFact} from '../model/facts.js';
import {noNewPrivileges} from '../rules/privilege-escalation.js';
import {generatedLabel, type NameValue, type PortBinding, type RestartPolicy, type RunConfig, type RunConfigOptions} from './model.js';
import {keptMounts, writableMounts} from './mounts.js';
import {printable} from './quote.js';

/*
 * Builds the RunConfig of a container from its inspect JSON, its `docker diff` and, when
 * known, its image's inspect JSON. The engine merges the image's config into the
 * container's at create time, so without the image every CMD, ENTRYPOINT and ENV entry is
 * kept as inspected (reproducible, if verbose); with it, only what the user changed.
 * Like containerFacts, every field is read defensively.
 */

type Json = Record<string, unknown>;

const record = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const number = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `docker inspect` prints an array of one; the API returns the object itself. */
function document(inspect: unknown): Json | undefined {
  const value = Array.isArray(inspect) && inspect.length === 1 ? inspect[0] : inspect;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Labels that are bookkeeping, not the user's: compose's, and harden's own (re-added as {@link generatedLabel}). */
const bookkeeping = /^(com\.docker\.compose\.|harden-wizard\.)/;

/** `ENTRYPOINT` and `CMD`: only what differs from the image, and CMD whenever ENTRYPOINT is set (docker run --entrypoint clears the image's CMD). */
function processArgs(config: Json, image: Json | undefined): Pick<RunConfig, 'entrypoint' | 'command'> {
  const entrypoint = strings(config['Entrypoint']);
  const command = strings(config['Cmd']);
  const result: Pick<RunConfig, 'entrypoint' | 'command'> = {};
  const entrypointChanged = image ? !same(entrypoint, strings(image['Entrypoint'])) : entrypoint.length > 0;
  if (entrypointChanged) result.entrypoint = entrypoint;
  if (command.length > 0 && (entrypointChanged || !image || !same(command, strings(image['Cmd'])))) result.command = command;
  return result;
}

function environment(config: Json, image: Json | undefined, notes: string[]): NameValue[] {
  const inherited = new Set(image ? strings(image['Env']) : []);
  const env: NameValue[] = [];
  for (const entry of strings(config['Env'])) {
    if (inherited.has(entry)) continue;
    const eq = entry.indexOf('=');
    if (eq <= 0) notes.push(`environment entry "${printable(entry)}" has no name or no "=": not carried over`);
    else env.push({name: entry.slice(0, eq), value: entry.slice(eq + 1)});
  }
  return env;
}

function ports(host: Json, notes: string[]): PortBinding[] {
  const result: PortBinding[] = [];
  for (const [key, bindings] of Object.entries(record(host['PortBindings']))) {
    const [containerPort = '', protocol = 'tcp'] = key.split('/');
    for (const binding of Array.isArray(bindings) ? bindings.map(record) : []) {
      const port: PortBinding = {containerPort, protocol, hostIp: text(binding['HostIp']) ?? '', hostPort: text(binding['HostPort']) ?? ''};
      if (/^\d+(-\d+)?$/.test(containerPort) && /^(tcp|udp|sctp)$/.test(protocol) && /^[0-9a-fA-F.:]*$/.test(port.hostIp) && /^(\d+(-\d+)?)?$/.test(port.hostPort)) result.push(port);
      else notes.push(`published port ${printable(`${port.hostIp}:${port.hostPort}:${key}`)} is not one Docker accepts: not carried over`);
    }
  }
  const portNumber = (p: PortBinding) => Number(p.containerPort.split('-')[0]);
  return result.sort((a, b) => portNumber(a) - portNumber(b) || compare(a.protocol, b.protocol) || compare(a.hostIp, b.hostIp) || compare(a.hostPort, b.hostPort));
}

function restartPolicy(host: Json): RestartPolicy | undefined {
  const policy = record(host['RestartPolicy']);
  const name = text(policy['Name']);
  if (name !== 'always' && name !== 'unless-stopped' && name !== 'on-failure') return undefined;
  const retries = number(policy['MaximumRetryCount']);
  return name === 'on-failure' && retries > 0 ? {policy: name, maxRetries: retries} : {policy: name};
}

function labels(config: Json, image: Json | undefined, options: RunConfigOptions): NameValue[] {
  const inherited = record(image?.['Labels']);
  const result = new Map<string, string>();
  for (const [name, value] of Object.entries(record(config['Labels']))) {
    if (typeof value !== 'string' || bookkeeping.test(name) || inherited[name] === value) continue;
    result.set(name, value);
  }
  for (const [name, value] of Object.entries(options.labels ?? {})) result.set(name, value);
  result.set(generatedLabel, 'true');
  return [...result].map(([name, value]) => ({name, value})).sort((a, b) => compare(a.name, b.name));
}

/** Settings of the original that the hardened configuration leaves out, each for the reviewer to decide. */
function dropped(host: Json): string[] {
  const notes: string[] = [];
  if (host['Privileged'] === true) notes.push('--privileged is not carried over: it lets the app remount the root filesystem writable and undoes this hardening; add back only the capabilities it needs (--cap-add)');
  const left: string[] = [];
  if (Array.isArray(host['Devices']) && host['Devices'].length > 0) left.push('--device');
  if (number(host['Memory']) > 0) left.push('--memory');
  if (number(host['NanoCpus']) > 0 || number(host['CpuQuota']) > 0) left.push('--cpus');
  if (number(host['PidsLimit']) > 0) left.push('--pids-limit');
  if (strings(host['ExtraHosts']).length > 0) left.push('--add-host');
  if (strings(host['Dns']).length > 0) left.push('--dns');
  const log = text(record(host['LogConfig'])['Type']);
  if (log && log !== 'json-file') left.push('--log-driver');
  if (left.length > 0) notes.push(`not carried over (add back what the app needs): ${left.join(', ')}`);
  return notes;
}

/**
 * The hardened launch configuration of a container, from its inspect JSON (the API object
 * or `docker inspect`'s array), the changes it made to its filesystem (`docker diff`) and,
 * when known, its image's inspect JSON. An error, not a throw, when the input is not a
 * container. Pure: the container itself is never touched.
 */
export function runConfigFromInspect(inspect: unknown, changes: readonly FileChangeFact[], imageInspect?: unknown, options: RunConfigOptions = {}): RunConfig | {error: string} {
  const facts = containerFacts(inspect, changes, imageInspect);
  if ('error' in facts) return facts;
  const doc = document(inspect)!;
  const config = record(doc['Config']);
  const host = record(doc['HostConfig']);
  const imageDoc = imageInspect === undefined ? undefined : document(imageInspect);
  const image = imageDoc ? record(imageDoc['Config']) : undefined;
  const reference = text(config['Image']) || text(doc['Image']) || '';
  if (reference === '') return {error: `container ${facts.name} has no image reference (Config.Image)`};
  const name = options.name ?? facts.name;
  const notes: string[] = [];

  const user = (text(config['User']) ?? '').trim();
  const runsAsRoot = user === '' || isRootUser(user);
  if (runsAsRoot) {
    notes.push(user === ''
      ? 'runs as root: neither the image nor the container sets a user. Kept so; run it as a non-root user (--user) where the image allows'
      : `runs as root (--user ${printable(user)}). Kept so; run it as a non-root user where the image allows`);
  }
  const mounts = keptMounts(doc, notes);
  const writable = writableMounts(changes, mounts, facts.imageVolumes, name, user, notes);
  const workingDir = text(config['WorkingDir']) ?? '';
  const network = text(host['NetworkMode']) ?? '';
  const restart = restartPolicy(host);
  const securityOpt = strings(host['SecurityOpt']).filter(option => noNewPrivileges(option) === undefined);

  const result: RunConfig = {
    name,
    image: reference,
    ...processArgs(config, image),
    env: environment(config, image, notes),
    runsAsRoot,
    ports: ports(host, notes),
    mounts,
    writable,
    labels: labels(config, image, options),
    capAdd: strings(host['CapAdd']),
    capDrop: strings(host['CapDrop']),
    securityOpt,
    readOnly: true,
    noNewPrivileges: true,
    notes: [...notes, ...dropped(host)],
  };
  if (user !== '') result.user = user;
  if (workingDir !== '' && workingDir !== (text(image?.['WorkingDir']) ?? '')) result.workingDir = workingDir;
  if (network !== '' && network !== 'default' && network !== 'bridge') result.network = network;
  if (restart) result.restart = restart;
  if (facts.compose) result.compose = facts.compose;
  if (/^sha256:/.test(reference)) result.notes.push(`the container was started from the image id ${reference}, not a name: tag the image and use the tag`);
  return result;
}
