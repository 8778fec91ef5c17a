import type {ContainerFacts, FileChangeFact, ImageRef, MountFact} from '../model/facts.js';
import type {Target} from '../model/finding.js';
import {parseImageRef} from '../parse/image-ref.js';
import {normalisePath} from '../paths.js';
import {noNewPrivileges} from '../rules/privilege-escalation.js';

/*
 * Maps the engine's inspect JSON to facts. The input is whatever the engine (Docker
 * 20.10+, Podman's compatible API, or a file someone saved) returned, so every field is
 * read defensively: a missing or mistyped field becomes its neutral value, never a throw.
 * Docker omits empty fields (`HostConfig.Mounts`, `HostConfig.Tmpfs`) and writes `null`
 * for empty lists (`CapDrop`, `SecurityOpt`, `Config.Volumes`); both read as empty.
 */

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** `docker inspect` prints an array of one; the API returns the object itself. */
function document(inspect: unknown): Json | undefined {
  const value = Array.isArray(inspect) && inspect.length === 1 ? inspect[0] : inspect;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

const absolute = (path: string) => path.startsWith('/');

/**
 * The image a container was created from. `Config.Image` is the reference as typed
 * (`nginx:1.27`); a container created from an image id has `sha256:...` or a bare id
 * there, which names content, so it is kept as a digest rather than parsed as a name.
 */
function imageOf(doc: Json): ImageRef {
  const raw = text(record(doc['Config'])['Image']) ?? text(doc['Image']) ?? '';
  if (/^sha256:[0-9a-f]{64}$/i.test(raw)) return {raw, repository: '', digest: raw.toLowerCase(), unresolved: false, line: 0};
  return parseImageRef(raw, 0);
}

function mountKind(type: string | undefined): MountFact['kind'] {
  return type === 'bind' || type === 'volume' || type === 'tmpfs' ? type : 'other';
}

/**
 * `Mounts[]` lists binds, volumes (named and anonymous) and `--mount type=tmpfs`, but not
 * `--tmpfs`, which only `HostConfig.Tmpfs` records. Docker fills `Mounts[]` from a Go map,
 * so its order changes between calls: the result is sorted by target.
 */
function mountsOf(doc: Json): MountFact[] {
  const byTarget = new Map<string, MountFact>();
  for (const entry of Array.isArray(doc['Mounts']) ? doc['Mounts'] : []) {
    const mount = record(entry);
    const destination = text(mount['Destination']);
    if (destination === undefined || !absolute(destination)) continue;
    const rw = mount['RW'];
    const readOnly = rw === false || (typeof rw !== 'boolean' && /(^|,)ro(,|$)/.test(text(mount['Mode']) ?? ''));
    const target = normalisePath(destination);
    byTarget.set(target, {target, kind: mountKind(text(mount['Type'])), readOnly, line: 0});
  }
  for (const [path, options] of Object.entries(record(record(doc['HostConfig'])['Tmpfs']))) {
    if (!absolute(path)) continue;
    const target = normalisePath(path);
    if (byTarget.has(target)) continue;
    byTarget.set(target, {target, kind: 'tmpfs', readOnly: /(^|,)ro(,|$)/.test(text(options) ?? ''), line: 0});
  }
  return [...byTarget.values()].sort((a, b) => compare(a.target, b.target));
}

const changeKinds = new Set<FileChangeFact['kind']>(['modified', 'added', 'deleted']);

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Facts of one container from its inspect JSON (`GET /containers/{id}/json`, or the
 * array `docker inspect` prints), with its `docker diff` when it was read and the
 * image's inspect JSON when known (for `imageUser`). An error, not a throw, when the
 * input is not a container at all.
 */
export function containerFacts(inspect: unknown, changes?: readonly FileChangeFact[], imageInspect?: unknown): ContainerFacts | {error: string} {
  const doc = document(inspect);
  if (!doc) return {error: 'not a container inspect document: expected a JSON object'};
  const id = text(doc['Id']);
  if (!id) return {error: 'not a container inspect document: it has no "Id"'};
  const config = record(doc['Config']);
  const host = record(doc['HostConfig']);
  const name = (text(doc['Name']) ?? '').replace(/^\//, '') || id.slice(0, 12);
  const options = strings(host['SecurityOpt']).map(noNewPrivileges).filter(v => v !== undefined);
  const facts: ContainerFacts = {
    id,
    name,
    image: imageOf(doc),
    state: text(record(doc['State'])['Status']) || 'unknown',
    readOnly: host['ReadonlyRootfs'] === true,
    user: (text(config['User']) ?? '').trim(),
    noNewPrivileges: options.at(-1) === true,
    privileged: host['Privileged'] === true,
    capDrop: strings(host['CapDrop']),
    mounts: mountsOf(doc),
    imageVolumes: Object.keys(record(config['Volumes'])).filter(absolute).map(normalisePath).sort(compare),
  };
  if (changes) {
    facts.changes = changes
      .filter(c => typeof c?.path === 'string' && changeKinds.has(c.kind))
      .map(c => ({path: c.path, kind: c.kind}));
  }
  const imageDoc = imageInspect === undefined ? undefined : document(imageInspect);
  const imageUser = imageDoc ? text(record(imageDoc['Config'])['User']) : undefined;
  if (imageUser !== undefined) facts.imageUser = imageUser.trim();
  const labels = record(config['Labels']);
  const project = text(labels['com.docker.compose.project']);
  const service = text(labels['com.docker.compose.service']);
  if (project && service) facts.compose = {project, service};
  return facts;
}

/**
 * The audit target of a container. A container has no file or line, so `file` is
 * `container:<name>` (the name is unique on one engine, survives a restart and is what
 * `docker inspect` takes; the id changes on every recreate) and `line` is 0, which the
 * reports already read as "the whole target" and print without a `:line`. The id
 * follows the one formula every target uses, `kind:file#name`.
 */
export function containerTarget(facts: Pick<ContainerFacts, 'name'>): Target {
  const file = `container:${facts.name}`;
  return {id: `container:${file}#${facts.name}`, kind: 'container', file, name: facts.name, line: 0};
}

/** What verification needs from an image's inspect JSON (`GET /images/{name}/json`). */
export interface ImageConfigFacts {
  /** `Config.User`; `''` when the image sets none (root). */
  user: string;
  /** `Config.Volumes` keys, sorted. */
  volumes: string[];
  /** `Config.ExposedPorts` keys as Docker writes them: `80/tcp`, `53/udp`. */
  exposedPorts: string[];
  /** `Config.Healthcheck.Test`: `["CMD-SHELL", "curl -f ..."]`, `["CMD", ...]` or `["NONE"]`; absent when the image has none. */
  healthcheck?: string[];
}

/** Reads an image's inspect JSON; undefined when it is not an image document. */
export function imageConfigFacts(inspect: unknown): ImageConfigFacts | undefined {
  const doc = document(inspect);
  if (!doc) return undefined;
  const config = record(doc['Config']);
  const facts: ImageConfigFacts = {
    user: (text(config['User']) ?? '').trim(),
    volumes: Object.keys(record(config['Volumes'])).filter(absolute).map(normalisePath).sort(compare),
    exposedPorts: Object.keys(record(config['ExposedPorts'])),
  };
  const test = strings(record(config['Healthcheck'])['Test']);
  if (test.length > 0) facts.healthcheck = test;
  return facts;
}
