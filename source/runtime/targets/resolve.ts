import {stat} from 'node:fs/promises';
import {basename, dirname, join, relative, resolve} from 'node:path';
import {analyzeFiles} from '../../core/audit.js';
import {UserError} from '../../core/model/errors.js';
import type {MountFact, Subject} from '../../core/model/facts.js';
import {loadProject} from '../project/load.js';
import {nodeFileSystem} from '../fs/node-fs.js';
import type {ContainerEngine} from '../ports.js';
import {defaultMaxBytes} from '../../core/parse/text.js';
import {isContainerName, isImageReference} from '../../core/parse/image-ref.js';

/** The engine, or how to connect to it when a target turns out to need it (an image or a container). */
export type EngineSource = ContainerEngine | (() => Promise<ContainerEngine>) | undefined;

const targetHint = 'give a directory with a Dockerfile, compose.yaml:SERVICE, manifest.yaml:CONTAINER, a local image or a container';

/**
 * True when TARGET is written as a path, never an image or container: absolute, `./`, `../`
 * or `~/`, a file name ending in .yaml, .yml or .json (with or without `:NAME`), or a
 * slash in something the engine would not take as an image reference (`app/Dockerfile`).
 */
export function looksLikePath(spec: string): boolean {
  if (/^(\/|\.\.?(\/|$)|~)/.test(spec)) return true;
  const colon = spec.lastIndexOf(':');
  if (/\.(ya?ml|json)$/i.test(spec) || (colon > 0 && /\.(ya?ml|json)$/i.test(spec.slice(0, colon)))) return true;
  return spec.includes('/') && !isImageReference(spec);
}

/** What `paths` and `verify` run: an image, or a Dockerfile to build first, with the settings the files give it. */
export interface ResolvedTarget {
  /** As the person wrote it, for messages and JSON. */
  label: string;
  /** An image the engine has, when nothing needs building. */
  image?: string;
  /** A Dockerfile to build: absolute context directory and the Dockerfile relative to it; `text` builds that instead of the file (a rewrite being proven). */
  build?: {context: string; dockerfile: string; text?: string; /** The stage to build; the final one when unset. */ target?: string};
  /** An existing container (for `paths`: read its changes instead of running anything). */
  container?: string;
  /** Mounts the compose service or pod already has. */
  mounts: MountFact[];
  /** compose `user:` or Kubernetes runAsUser. */
  user?: string;
  capDrop: string[];
  /** compose `cap_add` or Kubernetes capabilities.add: what a config that drops ALL gives back. */
  capAdd?: string[];
  /** compose `command:` / Kubernetes command+args, as argv when known. */
  command?: string[];
  /** The audit subject, when the target came from a project file (for the well-known table and Dockerfile hints). */
  subject?: Subject;
}

async function exists(path: string): Promise<'file' | 'directory' | undefined> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads TARGET as `harden paths` and `harden verify` take it: `compose.yaml:service`,
 * `manifest.yaml:container`, a directory with a Dockerfile, a Dockerfile, an image
 * the engine has, or a container.
 */
export async function resolveTarget(spec: string, cwd: string, engineSource: EngineSource): Promise<ResolvedTarget> {
  const colon = spec.lastIndexOf(':');
  if (colon > 0) {
    const file = resolve(cwd, spec.slice(0, colon));
    if ((await exists(file)) === 'file') return fromProjectFile(file, spec.slice(colon + 1), spec, cwd);
  }
  const path = resolve(cwd, spec);
  const kind = await exists(path);
  if (kind === 'directory') {
    for (const name of ['Dockerfile', 'Containerfile']) {
      if ((await exists(join(path, name))) === 'file') return fromDockerfile(join(path, name), spec, cwd);
    }
    throw new UserError(`${spec} has no Dockerfile`, targetHint);
  }
  if (kind === 'file') {
    if (/\.ya?ml$/i.test(path)) throw new UserError(`${spec}: say which service or container, as ${spec}:NAME`);
    return fromDockerfile(path, spec, cwd);
  }
  // Checked before the engine is asked: a path needs no engine to be missing, and a word the
  // engine cannot take as a name must not reach it (it answers a redirect or 400, not 404).
  if (looksLikePath(spec)) throw new UserError(`${spec}: no such file or directory`, targetHint);
  const image = isImageReference(spec);
  const container = isContainerName(spec);
  if (!image && !container) throw new UserError(`${spec}: no such file or directory, and not a name an image or container can have`, targetHint);
  if (!engineSource) throw new UserError(`${spec} is not a file here, and without an engine it cannot be an image or container`);
  const engine = typeof engineSource === 'function' ? await engineSource() : engineSource;
  if (image && (await engine.inspectImage(spec)) !== undefined) return {label: spec, image: spec, mounts: [], capDrop: []};
  if (container) {
    try {
      await engine.inspectContainer(spec);
      return {label: spec, container: spec, mounts: [], capDrop: []};
    } catch {
      // Not found, or not a container: the one message below says what TARGET may be.
    }
  }
  throw new UserError(`${spec}: no such file, image or container`, targetHint);
}

/**
 * Like {@link resolveTarget}, and a compose file or manifest named without `:NAME` is every
 * service or container in it (`wholeFile`), labelled `FILE:NAME` as one would write each.
 */
export async function resolveTargets(spec: string, cwd: string, engine: EngineSource): Promise<{targets: ResolvedTarget[]; wholeFile: boolean}> {
  const file = resolve(cwd, spec);
  if (!/\.ya?ml$/i.test(file) || (await exists(file)) !== 'file') return {targets: [await resolveTarget(spec, cwd, engine)], wholeFile: false};
  const analysis = await analyze(cwd, dirname(file));
  const display = relative(cwd, file).split('\\').join('/');
  const subjects = analysis.subjects.filter(s => s.target.file === display && (s.kind === 'compose-service' || s.kind === 'k8s-container'));
  if (subjects.length === 0) throw new UserError(`${display} has no service or container to verify`, 'give a compose file with services, or a manifest with workloads');
  const targets = subjects.map(s => targetFromSubject(s, `${spec}:${s.kind === 'k8s-container' ? s.container.name : s.target.name}`, cwd));
  return {targets, wholeFile: true};
}

async function fromDockerfile(file: string, label: string, cwd: string): Promise<ResolvedTarget> {
  const analysis = await analyze(cwd, file);
  const subject = analysis.subjects.find(s => s.kind === 'dockerfile');
  const target: ResolvedTarget = {label, build: {context: dirname(file), dockerfile: basename(file)}, mounts: [], capDrop: []};
  if (subject) target.subject = subject;
  return target;
}

async function analyze(cwd: string, ...paths: string[]) {
  const project = await loadProject(nodeFileSystem, paths, cwd, defaultMaxBytes);
  const analysis = analyzeFiles(project.files, {version: 'runtime'});
  const errors = [...project.errors, ...analysis.report.errors];
  if (errors.length > 0 && analysis.subjects.length === 0) {
    const first = errors[0]!;
    throw new UserError(`${first.file}:${first.line}: ${first.message}`);
  }
  return analysis;
}

async function fromProjectFile(file: string, name: string, label: string, cwd: string): Promise<ResolvedTarget> {
  // Read the whole directory, so a compose service is linked to the Dockerfile it builds.
  const analysis = await analyze(cwd, dirname(file));
  const display = relative(cwd, file).split('\\').join('/');
  const subject = analysis.subjects.find(s =>
    (s.kind === 'compose-service' && s.target.file === display && s.service.name === name) ||
    (s.kind === 'k8s-container' && s.target.file === display && s.container.name === name));
  if (!subject) {
    const names = analysis.subjects.filter(s => s.target.file === display).map(s => (s.kind === 'k8s-container' ? s.container.name : s.target.name));
    throw new UserError(`${display} has no service or container "${name}"`, names.length > 0 ? `it has: ${names.join(', ')}` : 'check the file name');
  }
  return targetFromSubject(subject, label, cwd);
}

/** The run configuration of a compose service or Kubernetes container the audit found. */
export function targetFromSubject(subject: Subject, label: string, cwd: string): ResolvedTarget {
  const target: ResolvedTarget = {label, mounts: [], capDrop: [], subject};
  if (subject.kind === 'compose-service') {
    const service = subject.service;
    target.mounts = service.mounts;
    if (service.user) target.user = service.user.value;
    target.capDrop = service.capDrop.map(c => c.value);
    target.capAdd = (service.capAdd ?? []).map(c => c.value);
    // Compose's `command:` replaces the image's CMD, so the run does too.
    if (service.command?.argv) target.command = service.command.argv;
    if (service.build && subject.dockerfile) {
      // The compose context, not the Dockerfile's directory: `dockerfile: docker/Dockerfile` builds from `.`.
      const context = resolve(cwd, service.build.context);
      target.build = {context, dockerfile: relative(context, resolve(cwd, service.build.dockerfile)), ...(service.build.target ? {target: service.build.target} : {})};
    } else if (service.image) target.image = service.image.raw;
  } else if (subject.kind === 'k8s-container') {
    const container = subject.container;
    target.mounts = container.mounts.map(m => ({...m, kind: m.kind === 'emptyDir' ? 'tmpfs' : m.kind === 'pvc' ? 'volume' : m.kind}));
    const uid = container.security.runAsUser ?? container.podSecurity.runAsUser;
    if (uid) target.user = String(uid.value);
    target.capDrop = (container.security.capDrop ?? []).map(c => c.value);
    target.capAdd = (container.security.capAdd ?? []).map(c => c.value);
    if (subject.dockerfile) {
      const dockerfile = resolve(cwd, subject.dockerfile.file);
      target.build = {context: dirname(dockerfile), dockerfile: basename(dockerfile)};
    } else if (container.image) target.image = container.image.raw;
  }
  if (!target.build && !target.image) throw new UserError(`${label} has neither an image nor a build`);
  return target;
}
