import {imageDefaultUser, knownWriteHints, lookupImage} from '../knowledge/well-known-images.js';
import type {ComposeService, ComposeTag, DockerfileFacts, ImageRef, MountFact, Stage, Subject, WriteHint} from '../model/facts.js';
import type {Finding, Severity} from '../model/finding.js';
import {canonicalPath, isForbiddenWritable} from '../paths.js';
import type {Rule} from './rule.js';

/*
 * What a container effectively gets from its Dockerfile and base image. A stage built
 * `FROM builder` inherits builder's VOLUMEs, USER, ENV, WORKDIR and CMD, so every
 * question is answered by walking that chain from the final stage back to the stage
 * that names an external image (or scratch).
 */

/** The final stage and the stages it builds on, final first. */
export function stageChain(dockerfile: DockerfileFacts): Stage[] {
  const chain: Stage[] = [];
  let stage = dockerfile.stages.at(-1);
  while (stage && !chain.includes(stage)) {
    chain.push(stage);
    stage = stage.fromStage === undefined ? undefined : dockerfile.stages[stage.fromStage];
  }
  return chain;
}

/**
 * The Dockerfile as a build of `target` sees it: the stages up to that one, which is then the
 * final stage every rule judges. Compose's `build.target` builds an earlier stage, and a USER
 * added to the last one would never run there. Unknown names give the whole file (the build
 * itself fails on them).
 */
export function upToStage(dockerfile: DockerfileFacts, target: string | undefined): DockerfileFacts {
  if (target === undefined) return dockerfile;
  const index = dockerfile.stages.findIndex(stage => stage.name === target);
  return index < 0 || index === dockerfile.stages.length - 1 ? dockerfile : {...dockerfile, stages: dockerfile.stages.slice(0, index + 1)};
}

/** The external image under the final stage; null for scratch. */
export function effectiveBase(dockerfile: DockerfileFacts): ImageRef | null {
  return stageChain(dockerfile).at(-1)?.from ?? null;
}

/** The USER in force in the final stage, with its line. */
export function dockerfileUser(dockerfile: DockerfileFacts): {value: string; line: number} | undefined {
  return stageChain(dockerfile).find(stage => stage.user)?.user;
}

/**
 * The user baked into what the subject runs: the Dockerfile's USER, else the base
 * image's configured user. `scratch` has none, so it is root. Undefined: unknown.
 */
export function imageUser(subject: Subject): string | undefined {
  if (subject.dockerfile) {
    const user = dockerfileUser(subject.dockerfile);
    if (user) return user.value;
    const base = effectiveBase(subject.dockerfile);
    return base === null ? 'root' : imageDefaultUser(base);
  }
  const image = externalImage(subject);
  return image ? imageDefaultUser(image) : undefined;
}

/** The image the well-known table is asked about: the final stage's external base, or the service/container's own image. */
export function externalImage(subject: Subject): ImageRef | undefined {
  if (subject.dockerfile) return effectiveBase(subject.dockerfile) ?? undefined;
  if (subject.kind === 'compose-service') return subject.service.build ? undefined : subject.service.image;
  if (subject.kind === 'k8s-container' || subject.kind === 'container') return subject.container.image;
  return undefined;
}

/** ENV in force in the final stage; later stages override earlier ones. */
function effectiveEnv(chain: Stage[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const stage of [...chain].reverse()) for (const e of stage.env) env[e.key] = e.value;
  return env;
}

/**
 * What the container runs. A compose `command` or Kubernetes `command`/`args` replaces
 * CMD; otherwise every CMD and ENTRYPOINT on the chain is joined (an ENTRYPOINT in a
 * parent stage still runs under a child's CMD), which errs toward finding `npm`.
 */
function runCommand(subject: Subject, chain: Stage[]): string | undefined {
  const override = subject.kind === 'compose-service' ? subject.service.command : subject.kind === 'k8s-container' ? subject.container.command : undefined;
  if (override) return override.value;
  const text = chain.flatMap(stage => stage.command.map(c => c.value)).join(' ');
  return text || undefined;
}

/** The run-time user, as far as the files say: compose `user:`, Kubernetes runAsUser, else the image's. */
function runUser(subject: Subject): string | undefined {
  if (subject.kind === 'compose-service' && subject.service.user) return subject.service.user.value;
  // The engine merged the image's USER into the container's at create time: empty is root.
  if (subject.kind === 'container') return subject.container.user || subject.container.imageUser || 'root';
  if (subject.kind === 'k8s-container') {
    const uid = subject.container.security.runAsUser ?? subject.container.podSecurity.runAsUser;
    if (uid) return String(uid.value);
  }
  return imageUser(subject);
}

const ephemeral = ['/tmp', '/var/tmp', '/run'];

/** Every path the subject is expected to write: image VOLUMEs, Dockerfile hints, the well-known table; merged. */
export function collectWriteHints(subject: Subject): WriteHint[] {
  const chain = subject.dockerfile ? stageChain(subject.dockerfile) : [];
  const hints: WriteHint[] = [];
  for (const stage of chain) {
    for (const volume of stage.volumes) {
      const canonical = canonicalPath(volume.value);
      const mount = ephemeral.some(e => canonical === e || canonical.startsWith(e + '/')) ? 'tmpfs' : 'volume';
      hints.push({path: volume.value, evidence: `VOLUME ${volume.value} (Dockerfile line ${volume.line})`, source: 'volume', mount, line: volume.line});
    }
  }
  for (const stage of chain) hints.push(...stage.writeHints);
  const image = externalImage(subject);
  if (image) {
    const workdir = chain.find(stage => stage.workdir)?.workdir?.value;
    const context = {env: effectiveEnv(chain), ...optional('user', runUser(subject)), ...optional('command', runCommand(subject, chain)), ...optional('workdir', workdir)};
    hints.push(...knownWriteHints(image, context, image.line));
  }
  return mergeHints(hints);
}

function optional<K extends string>(key: K, value: string | undefined): {[P in K]?: string} {
  return (value === undefined ? {} : {[key]: value}) as {[P in K]?: string};
}

/**
 * One hint per canonical path (so `/var/run/x` and `/run/x` are one), evidence joined,
 * and `volume` winning over `tmpfs`: losing data is worse than a slower mount. Order is
 * first seen (VOLUMEs, Dockerfile hints, the table): their lines are in different files. A child
 * folds into a parent hint, except a volume under a tmpfs parent: that data must
 * outlive the container, so it keeps its own mount on top of the parent's tmpfs.
 */
export function mergeHints(hints: readonly WriteHint[]): WriteHint[] {
  const byPath = new Map<string, WriteHint>();
  for (const hint of hints) {
    if (isForbiddenWritable(hint.path)) continue;
    const key = canonicalPath(hint.path);
    const seen = byPath.get(key);
    if (!seen) byPath.set(key, {...hint});
    else {
      absorb(seen, hint.evidence, hint.mount);
      if (hint.tmpfs) seen.tmpfs = {...seen.tmpfs, ...hint.tmpfs};
    }
  }
  const keys = [...byPath.keys()].sort((a, b) => a.length - b.length);
  for (const key of keys) {
    const hint = byPath.get(key)!;
    const parentKey = keys.find(other => other !== key && byPath.has(other) && (other === '/' || key.startsWith(other + '/')));
    if (parentKey === undefined) continue;
    const parent = byPath.get(parentKey)!;
    if (hint.mount === 'volume' && parent.mount === 'tmpfs') continue;
    absorb(parent, `${hint.path}: ${hint.evidence}`, 'tmpfs');
    if (hint.tmpfs) parent.tmpfs = {...parent.tmpfs, ...hint.tmpfs};
    byPath.delete(key);
  }
  return [...byPath.values()];
}

function absorb(into: WriteHint, evidence: string, mount: WriteHint['mount']): void {
  if (!into.evidence.includes(evidence)) into.evidence += `; ${evidence}`;
  if (mount === 'volume') into.mount = 'volume';
}

/**
 * The mounts of a compose service, Kubernetes container or running container. A running
 * container's image VOLUMEs count: Docker gave each an anonymous volume.
 */
export function mountsOf(subject: Subject): MountFact[] {
  if (subject.kind === 'compose-service') return subject.service.mounts;
  if (subject.kind === 'k8s-container') return subject.container.mounts;
  if (subject.kind === 'container') {
    const {mounts, imageVolumes} = subject.container;
    return [...mounts, ...imageVolumes.filter(v => !mounts.some(m => m.target === v)).map(target => ({target, kind: 'volume' as const, readOnly: false, line: 0}))];
  }
  return [];
}

/** The `!reset` that unsets a compose key of the service, if one does: a finding on the missing value points there. */
export function composeReset(service: ComposeService, key: string): ComposeTag | undefined {
  return service.tags?.find(tag => tag.key === key && tag.tag === 'reset');
}

/** ` in compose.override.yaml (which Compose applies over compose.yaml)` for a value set in another file than the target's; else empty. */
export function elsewhere(subject: Subject, at: {file?: string}): string {
  return at.file === undefined || at.file === subject.target.file ? '' : ` in ${at.file} (which Compose applies over ${subject.target.file})`;
}

/** Where a finding points: a line of the target's file, or a located value, which may live in another file (a compose override). */
export type Site = number | {line: number; file?: string};

/** A finding of `rule` on `subject`, at the line (and file) of the setting to change. */
export function finding(rule: Rule, subject: Subject, at: Site, message: string, extra: {severity?: Severity; path?: string; detail?: string} = {}): Finding {
  const result: Finding = {
    rule: rule.id,
    severity: extra.severity ?? rule.severity,
    target: subject.target.id,
    file: typeof at === 'number' ? subject.target.file : (at.file ?? subject.target.file),
    line: typeof at === 'number' ? at : at.line,
    message,
    fixable: rule.fixable,
  };
  if (extra.path !== undefined) result.path = extra.path;
  if (extra.detail !== undefined) result.detail = extra.detail;
  return result;
}

/**
 * The image of a service or pod harden knows nothing about (no Dockerfile here, not in the
 * well-known table): where it writes is unknown, so a read-only root gets no mount and
 * the person is told to find the writes by running it. Undefined when something is known.
 */
export function unknownWrites(subject: Subject): ImageRef | undefined {
  if (subject.dockerfile) return undefined;
  const image = externalImage(subject);
  return image && !lookupImage(image) ? image : undefined;
}
