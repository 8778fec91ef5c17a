import {isNumericNonRoot, isRootUser} from '../knowledge/well-known-images.js';
import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {containerFinding, named, recreate, runUser, type ContainerSubject} from './container-facts.js';
import {composeReset, dockerfileUser, effectiveBase, elsewhere, externalImage, finding, imageUser} from './effective.js';
import {fixUser} from './fix-user.js';
import type {Rule} from './rule.js';

/*
 * Hadolint flags only an explicit USER root and misses a missing USER (hadolint #328,
 * open since 2019); Trivy DS-0002 and Checkov CKV_DOCKER_3 flag the missing one, so do
 * we. A user written as `$VAR` is unknown: we say nothing rather than guess.
 */
export const rootUser: Rule = {
  id: 'root-user',
  severity: 'medium',
  title: 'Container runs as root',
  why: 'Root in the container owns every file the image ships, so a compromise can rewrite the app even where the filesystem is writable, and escapes start from uid 0.',
  fix: 'Add a non-root USER to the Dockerfile, or set user: on the compose service, or runAsNonRoot: true with a numeric runAsUser in Kubernetes.',
  fixable: true,
  check(subject: Subject): Finding[] {
    if (subject.kind === 'dockerfile') return checkDockerfile(subject);
    if (subject.kind === 'compose-service') return checkCompose(subject);
    if (subject.kind === 'container') return checkContainer(subject);
    return subject.kind === 'k8s-container' ? checkKubernetes(subject) : [];
  },
};

const because = 'and a compromised process could rewrite the files the image ships';
const unknown = (user: string | undefined) => user === undefined || user.includes('$');

/** How the image's own user reads in a message. */
function describeImageUser(subject: Subject): string {
  const user = imageUser(subject);
  const image = externalImage(subject);
  if (subject.dockerfile && dockerfileUser(subject.dockerfile)) return `the Dockerfile's USER ${user}`;
  if (user === undefined) {
    return `the image${image ? ` ${image.raw}` : ''} sets a user harden does not know (most images default to root, so check it with "docker image inspect")`;
  }
  return subject.dockerfile ? `the Dockerfile has no USER and its base runs as ${user}` : `the image ${image?.raw ?? ''} runs as ${user}`;
}

function checkDockerfile(subject: Extract<Subject, {kind: 'dockerfile'}>): Finding[] {
  const user = dockerfileUser(subject.dockerfile);
  if (user) {
    if (unknown(user.value) || !isRootUser(user.value)) return [];
    const fix = fixUser(subject)!;
    return [finding(rootUser, subject, user.line, `USER ${user.value} makes the container run as root, ${because}; switch to an unprivileged user: harden fix writes "USER ${fix.value}" (${fix.who}).`, {detail: `USER ${user.value}`})];
  }
  const base = effectiveBase(subject.dockerfile);
  const baseUser = imageUser(subject);
  if (baseUser !== undefined && !isRootUser(baseUser)) return [];
  const from = subject.dockerfile.stages.at(-1)!.line;
  const who = base === null ? 'root: scratch sets no user' : baseUser === undefined
    ? `whatever user ${base.raw} sets, which is root for most images (harden does not know this one)`
    : `root, the default user of ${base.raw}`;
  const fix = fixUser(subject)!;
  return [finding(rootUser, subject, from, `The final stage has no USER, so the container runs as ${who}, ${because}; harden fix ends the final stage with "USER ${fix.value}" (${fix.who}), which owns only what the app writes.`,
    {detail: `no USER, so it runs as ${who}`})];
}

function checkCompose(subject: Extract<Subject, {kind: 'compose-service'}>): Finding[] {
  const {service} = subject;
  if (service.user) {
    if (unknown(service.user.value) || !isRootUser(service.user.value)) return [];
    const found = `"user: ${service.user.value}"${elsewhere(subject, service.user)}`;
    return [finding(rootUser, subject, service.user, `${found} runs service "${service.name}" as root, ${because}; set "user:" to an unprivileged uid such as "10001:10001".`, {detail: found})];
  }
  const user = imageUser(subject);
  if (user !== undefined && !user.includes('$') && !isRootUser(user)) return [];
  const built = fixUser(subject);
  const fix = built
    ? `give its Dockerfile a non-root USER (harden fix writes "USER ${built.value}", ${built.who}) or set "user:" on service "${service.name}", and make sure that uid can write the paths it mounts`
    : `set "user:" on service "${service.name}" to an unprivileged uid such as "10001:10001", and make sure that uid can write the paths it mounts`;
  const maybe = user === undefined || user.includes('$');
  const which = maybe ? `Service "${service.name}" may run as root: ${describeImageUser(subject)}` : `Service "${service.name}" runs as root because ${describeImageUser(subject)}`;
  const reset = composeReset(service, 'user');
  const unset = reset ? `; "user: !reset"${elsewhere(subject, reset)} unsets its user:` : '';
  return [finding(rootUser, subject, reset ?? service, `${which}${unset}, ${because}; ${fix}.`,
    {detail: `${maybe ? 'may run as root: ' : ''}${describeImageUser(subject)}${unset}`})];
}

function checkContainer(subject: ContainerSubject): Finding[] {
  const {container} = subject;
  const user = runUser(container);
  if (!isRootUser(user)) return [];
  const why = container.user ? `"--user ${container.user}" runs it as root` : `neither "docker run --user" nor the image ${container.image.raw} sets a user, so it runs as root`;
  return [containerFinding(rootUser, subject,
    `${named(container)}: ${why}, ${because}; ${recreate(container, '--user 10001:10001 ...', '"user: 10001:10001"')} (an unprivileged uid that can write the paths it mounts).`)];
}

function checkKubernetes(subject: Extract<Subject, {kind: 'k8s-container'}>): Finding[] {
  const {container} = subject;
  const uid = container.security.runAsUser ?? container.podSecurity.runAsUser;
  const nonRoot = container.security.runAsNonRoot ?? container.podSecurity.runAsNonRoot;
  const level = (setting: unknown) => (setting === container.security.runAsUser || setting === container.security.runAsNonRoot ? 'container' : 'pod');
  if (uid) {
    if (uid.value > 0) return [];
    const shadow = level(uid) === 'container' && container.podSecurity.runAsNonRoot?.value ? ' (the container setting wins over the pod\'s runAsNonRoot)' : '';
    return [finding(rootUser, subject, uid.line, `runAsUser: 0 at ${level(uid)} level runs container "${container.name}" as root${shadow}, ${because}; set runAsUser to an unprivileged uid such as 10001 and runAsNonRoot: true.`,
      {detail: `runAsUser: 0 at ${level(uid)} level${shadow}`})];
  }
  const user = imageUser(subject);
  if (nonRoot?.value === true) {
    if (user === undefined || user.includes('$') || isNumericNonRoot(user)) return [];
    // Not root at run time, but the kubelet refuses to start it: it cannot prove a named user is non-root.
    const against = isRootUser(user) ? 'root' : `the non-numeric user "${user}"`;
    return [finding(rootUser, subject, nonRoot.line, `runAsNonRoot: true cannot be checked against ${against}, so the kubelet refuses to start container "${container.name}"; set securityContext.runAsUser to a numeric non-root uid${isRootUser(user) ? ' such as 10001' : ` (the uid of "${user}")`}.`,
      {severity: 'low', detail: `runAsNonRoot: true cannot be checked against ${against}: the kubelet refuses to start it; set a numeric runAsUser`})];
  }
  if (user !== undefined && isNumericNonRoot(user)) {
    // Not root today, but only by the image's say-so: a new tag or image can change it, and nothing here would stop it.
    const uid = user.split(':')[0];
    return [finding(rootUser, subject, nonRoot?.line ?? container.line, `Container "${container.name}" runs as uid ${uid} only because ${describeImageUser(subject)}; nothing in the manifest makes the kubelet refuse root if the image changes; set securityContext.runAsNonRoot: true and runAsUser: ${uid}.`,
      {severity: 'low', detail: `uid ${uid} by the image only: runAsNonRoot is not set`})];
  }
  const line = nonRoot?.line ?? container.line;
  const start = nonRoot ? `runAsNonRoot: false at ${level(nonRoot)} level and no runAsUser leave container "${container.name}" running as the image's user` : `Nothing stops container "${container.name}" from running as root`;
  const named = user !== undefined && !user.includes('$') && !isRootUser(user) ? ', a name the kubelet cannot verify as non-root' : '';
  const detail = describeImageUser(subject) + named;
  const built = fixUser(subject);
  const suggested = built ? `${built.uid} (the USER harden fix writes in its Dockerfile, ${built.who})` : '10001';
  return [finding(rootUser, subject, line, `${start}: ${detail}, ${because}; set securityContext.runAsNonRoot: true and runAsUser to a numeric non-root uid such as ${suggested}.`,
    {detail: `${nonRoot ? `runAsNonRoot: false at ${level(nonRoot)} level and no runAsUser: ` : ''}${detail}`})];
}
