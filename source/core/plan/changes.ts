import {userIds} from '../knowledge/user-ids.js';
import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import type {PlannedChange, Skipped} from '../model/plan.js';
import {onlyRead} from '../knowledge/read-only-mounts.js';
import {isRootUser} from '../knowledge/well-known-images.js';
import {stepDownCapabilities} from '../runtime/privileges.js';
import {externalImage, imageUser, mountsOf, unknownWrites} from '../rules/effective.js';
import {canonicalPath} from '../paths.js';
import {dropsAll, fileSubject, tradeOff} from '../rules/host-access.js';
import {allRules} from '../rules/index.js';

const ruleTitle = (id: string) => allRules.find(rule => rule.id === id)?.title ?? id;
import {wants, type FixOptions} from './options.js';
import {planWritable, requestsFor, type RunAs} from './writable.js';

/** What the Dockerfile fixes decided, which the services and pods running that image build on. */
export interface DockerfileOutcome {
  /** The USER the image will run as after the fix. */
  user?: string;
  /** The USER of each stage a compose `build.target` builds, where the fix added one. */
  stageUsers?: Record<string, string>;
}

const pinLater = 'pinning needs the image digest: run harden fix --pin-digests (the digest the local engine knows) or give it with --digest REF=sha256:...';

/** Changes for one compose service or Kubernetes container, from its findings and the options. */
export function runtimeChanges(subject: Subject, findings: readonly Finding[], options: FixOptions, dockerfile: DockerfileOutcome | undefined): {changes: PlannedChange[]; skipped: Skipped[]} {
  const changes: PlannedChange[] = [];
  const skipped: Skipped[] = [];
  const has = (rule: string) => findings.some(f => f.rule === rule) && wants(options, rule);
  const compose = subject.kind === 'compose-service';

  if (has('read-only-rootfs')) {
    changes.push({kind: 'read-only', rule: 'read-only-rootfs', reason: 'the root filesystem becomes read-only; only the mounts below stay writable'});
  }

  const runAs = runAsUser(subject, options, dockerfile);
  if (has('root-user')) {
    if (options.user !== undefined) {
      const ids = userIds(options.user);
      changes.push({kind: 'run-as', user: options.user, ...(ids?.uid !== undefined ? {uid: ids.uid} : {}), ...(ids?.gid !== undefined ? {gid: ids.gid} : {}), rule: 'root-user', reason: `runs as ${options.user}, as asked with --user`});
    } else if (dockerfile?.user !== undefined && !compose && runAs.uid !== undefined && runAs.uid !== 0) {
      changes.push({kind: 'run-as', uid: runAs.uid, ...(runAs.gid !== undefined ? {gid: runAs.gid} : {}), rule: 'root-user', reason: `the rewritten image runs as ${dockerfile.user} (uid ${runAs.uid}); runAsNonRoot lets the kubelet enforce it`});
    } else if (!compose && runAs.uid !== undefined && runAs.uid !== 0) {
      changes.push({kind: 'run-as', uid: runAs.uid, ...(runAs.gid !== undefined ? {gid: runAs.gid} : {}), rule: 'root-user', reason: `the image runs as uid ${runAs.uid}${engineUser(subject, options) !== undefined ? " (the engine's image config)" : ''}; runAsNonRoot and runAsUser: ${runAs.uid} make the kubelet enforce it`});
    } else if (compose && engineUser(subject, options) !== undefined && runAs.uid !== undefined && runAs.uid !== 0 && !subject.service.user) {
      // The audit cannot ask the engine: writing the image's own user down makes the file say what runs.
      changes.push({kind: 'run-as', uid: runAs.uid, ...(runAs.gid !== undefined ? {gid: runAs.gid} : {}), rule: 'root-user', reason: `the image runs as uid ${runAs.uid} (the engine's image config); user: says so in the file`});
    } else if (dockerfile?.user !== undefined && compose) {
      // The rewritten Dockerfile's USER applies to the service; nothing to add here.
    } else if (engineUser(subject, options) !== undefined && runAs.uid === undefined && !isRootUser(engineUser(subject, options)!)) {
      skipped.push({rule: 'root-user', what: 'run as a non-root user', reason: `the image runs as "${engineUser(subject, options)}" (the engine's image config), a name with no uid harden knows; pass --user with its numeric UID:GID`});
    } else {
      skipped.push({rule: 'root-user', what: 'run as a non-root user', reason: 'no non-root user is known for this image; pass --user UID:GID (for example --user 10001:10001) and make sure it can read the app files'});
    }
  }

  const requests = [...requestsFor(options.writable, subject), ...(options.discovered?.get(subject.target.id) ?? [])];
  if (has('writable-path-unmounted') || requests.length > 0 || has('read-only-rootfs')) {
    const declined = new Set([...(options.notWritable ?? []), ...(options.declined?.get(subject.target.id) ?? [])]);
    const writable = planWritable(subject, requests, runAs, declined);
    const unknown = unknownWrites(subject);
    const readOnly = changes.find(c => c.kind === 'read-only');
    if (unknown && readOnly && writable.mounts.length === 0) {
      // Read-only with nothing writable is right only if the app writes nothing; harden cannot know that here.
      const target = subject.kind === 'compose-service' ? subject.service.name : subject.kind === 'k8s-container' ? subject.container.name : subject.target.name;
      readOnly.reason = `the root filesystem becomes read-only, and harden knows nothing of where ${unknown.raw} writes, so no mount is proposed: find its writes with "harden paths ${subject.target.file}:${target}" or "harden fix --discover" (d on the wizard's Writable paths step), and check with "harden verify"`;
    }
    for (const mount of writable.mounts) {
      changes.push({kind: 'writable', mount, rule: 'writable-path-unmounted', reason: `${mount.path} stays writable on ${mount.mount === 'tmpfs' ? (compose ? 'a tmpfs' : 'an emptyDir') : compose ? 'a named volume' : 'a PersistentVolumeClaim'}: ${mount.why}`});
    }
    skipped.push(...writable.skipped);
  }

  if (has('privilege-escalation')) {
    changes.push({kind: 'no-new-privileges', rule: 'privilege-escalation', reason: 'setuid binaries can no longer raise privileges'});
  }
  const fixable = (rule: string) => findings.some(f => f.rule === rule && f.fixable) && wants(options, rule);
  // Already dropping every capability: planning it again would claim a change no file gets.
  const file = fileSubject(subject);
  if ((fixable('cap-drop') || options.capDrop) && !(file && dropsAll(file))) {
    const root = runsAsRoot(changes, runAs, subject, dockerfile);
    const low = lowPort(subject);
    const add = [...(root ? stepDownCapabilities : []), ...(low !== undefined ? ['NET_BIND_SERVICE'] : [])];
    const back = [root ? 'it still runs as root, and an entrypoint needs CHOWN, DAC_OVERRIDE, FOWNER, KILL, SETGID and SETUID to hand its files to its user and step down' : '', low !== undefined ? `it listens on port ${low}, below 1024, which needs NET_BIND_SERVICE` : ''].filter(Boolean);
    const asked = options.capDrop && !fixable('cap-drop') ? ', as asked with --cap-drop' : '';
    changes.push({kind: 'cap-drop-all', ...(add.length > 0 ? {add} : {}), rule: 'cap-drop', reason: `all Linux capabilities dropped${asked}${back.length > 0 ? `; added back because ${back.join(', and ')}` : ''}`});
  }
  for (const finding of findings) {
    const reads = finding.rule === 'host-mount-writable' && finding.fixable && wants(options, finding.rule) && finding.path !== undefined ? onlyRead(finding.path) : undefined;
    if (reads) {
      const short = mountsOf(subject).some(m => m.short === true && canonicalPath(m.target) === canonicalPath(finding.path!));
      const how = !compose ? 'readOnly: true' : short ? ':ro' : 'read_only: true';
      changes.push({kind: 'mount-read-only', target: finding.path!, rule: 'host-mount-writable', reason: `the host mount at ${finding.path} becomes read-only (${how}): ${reads}`});
    }
  }
  if (fixable('seccomp') && !compose) {
    changes.push({kind: 'seccomp', rule: 'seccomp', reason: 'the runtime\'s default seccomp profile (RuntimeDefault) blocks the system calls containers do not need'});
  }
  for (const finding of findings) {
    if (finding.rule === 'mutable-image-ref' && wants(options, finding.rule)) skipped.push({rule: finding.rule, what: 'pin the image by digest', reason: pinLater});
    if (finding.rule === 'privileged' && wants(options, finding.rule)) skipped.push({rule: finding.rule, what: 'remove privileged: true', reason: 'which capabilities the app really needs is a decision for a person; replace privileged with cap_add of those'});
    // The holes harden leaves to a person, each with the trade-off its finding names.
    const left = finding.fixable || !wants(options, finding.rule) ? undefined : tradeOff(finding.message);
    if (left !== undefined) skipped.push({rule: finding.rule, what: `${ruleTitle(finding.rule)} (line ${finding.line})`, reason: left});
  }
  return {changes, skipped};
}

/** Whether the container will still run as root after the fix (an unknown user counts as root: its capabilities are kept). */
function runsAsRoot(changes: readonly PlannedChange[], runAs: RunAs, subject: Subject, dockerfile: DockerfileOutcome | undefined): boolean {
  const change = changes.find(c => c.kind === 'run-as');
  if (change?.kind === 'run-as') return change.uid === undefined ? change.user === undefined || isRootUser(change.user) : change.uid === 0;
  if (subject.kind === 'compose-service' && dockerfile?.user !== undefined && !subject.service.user) return isRootUser(dockerfile.user);
  return runAs.uid === undefined || runAs.uid === 0;
}

/** The first port below 1024 the container listens on, from compose ports/expose or Kubernetes containerPort. */
function lowPort(subject: Subject): number | undefined {
  const ports = subject.kind === 'compose-service' ? (subject.service.ports ?? []).map(p => p.value) : subject.kind === 'k8s-container' ? (subject.container.ports ?? []).map(p => p.port) : [];
  return ports.find(port => port < 1024);
}

/** The uid/gid the container will run as: --user, the service's own user, or the image's (rewritten) USER. */
function runAsUser(subject: Subject, options: FixOptions, dockerfile: DockerfileOutcome | undefined): RunAs {
  const candidates = [
    options.user,
    subject.kind === 'compose-service' ? subject.service.user?.value : undefined,
    subject.kind === 'k8s-container' ? String(subject.container.security.runAsUser?.value ?? subject.container.podSecurity.runAsUser?.value ?? '') || undefined : undefined,
    dockerfile?.user,
    engineUser(subject, options) ?? imageUser(subject),
  ];
  for (const user of candidates) {
    if (user === undefined) continue;
    const ids = userIds(user);
    if (ids) return ids;
    return {};
  }
  return {};
}

export {pinLater};

/** The user the engine's image config names for the image of a subject no Dockerfile here builds. */
function engineUser(subject: Subject, options: FixOptions): string | undefined {
  if (subject.dockerfile || !options.imageUsers) return undefined;
  const image = externalImage(subject);
  return image ? options.imageUsers.get(image.raw) : undefined;
}
