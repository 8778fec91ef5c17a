import type {Located, MountFact, Subject} from '../model/facts.js';
import {canonicalPath} from '../paths.js';
import {collectWriteHints, mountsOf} from './effective.js';

/*
 * What the rules about the holes around a read-only root share: who reaches the host
 * (namespaces, host mounts, the container runtime's socket) and the capabilities a
 * compose service or Kubernetes container holds. Only those two kinds are judged here.
 */

export type FileSubject = Extract<Subject, {kind: 'compose-service' | 'k8s-container'}>;

/** A compose service or Kubernetes container, else undefined. */
export function fileSubject(subject: Subject): FileSubject | undefined {
  return subject.kind === 'compose-service' || subject.kind === 'k8s-container' ? subject : undefined;
}

/** The runtime sockets: docker, containerd, CRI-O, podman, cri-dockerd; and the directories that hold them. */
export function isRuntimeSocket(source: string | undefined): boolean {
  if (source === undefined || !source.startsWith('/')) return false;
  const path = canonicalPath(source);
  return /\/(docker|containerd|crio|podman|cri-dockerd|dockershim)\.sock$/.test(path) || ['/run', '/run/containerd', '/run/crio', '/run/podman', '/run/docker'].includes(path);
}

/** Host mounts: compose bind mounts and Kubernetes hostPath volumes. */
export function hostMounts(subject: FileSubject): MountFact[] {
  return mountsOf(subject).filter(mount => mount.kind === 'bind');
}

/** A host namespace the subject shares: `hostPID: true`, `network_mode: host`, with its setting. */
export function hostNamespaces(subject: FileSubject): Array<{name: string; at: Located<unknown>}> {
  if (subject.kind === 'compose-service') {
    const {pid, ipc, networkMode} = subject.service;
    return ([['pid: host', pid], ['ipc: host', ipc], ['network_mode: host', networkMode]] as const)
      .filter(([, at]) => at?.value === 'host').map(([name, at]) => ({name, at: at!}));
  }
  const {pod} = subject.container;
  return (['hostPID', 'hostIPC', 'hostNetwork'] as const).filter(key => pod[key]?.value === true).map(key => ({name: `${key}: true`, at: pod[key]!}));
}

/**
 * Why harden leaves capabilities and seccomp alone, if it should: a node agent that shares
 * the host's PID namespace or reads the host's /proc or /sys (node-exporter, Datadog,
 * Falco) may need a capability or syscall that dropping all would take away.
 */
export function needsHost(subject: FileSubject): string | undefined {
  if (subject.kind === 'compose-service' ? subject.service.privileged?.value : subject.container.security.privileged?.value) return 'it is privileged';
  const host = hostMounts(subject).find(mount => /^\/(proc|sys)(\/|$)/.test(mount.source ?? ''));
  // The host's network alone needs no capability; its processes or kernel files may.
  const namespaces = hostNamespaces(subject).filter(ns => /pid/i.test(ns.name));
  if (host === undefined && namespaces.length === 0) return undefined;
  const what = [...namespaces.map(ns => ns.name), ...(host ? [`the host's ${host.source} mounted`] : [])].join(', ');
  return `it looks like an agent that watches the node (${what}) and may need a capability or system call that this would take away`;
}

/** Why harden leaves a finding to a person, from its message's `(harden leaves it: ...)` or `(harden does not: ...)`. */
export function tradeOff(message: string): string | undefined {
  return /\(harden (?:leaves it|does not(?: remove it)?): ([^()]*(?:\([^()]*\)[^()]*)*)\)/.exec(message)?.[1];
}

/** A capability as the kernel names it, without `CAP_`, upper-case. */
export function capName(value: string): string {
  return value.trim().toUpperCase().replace(/^CAP_/, '');
}

/** The subject's capabilities.add / cap_add and drop / cap_drop. */
export function capabilities(subject: FileSubject): {add: Located<string>[]; drop: Located<string>[]} {
  if (subject.kind === 'compose-service') return {add: subject.service.capAdd ?? [], drop: subject.service.capDrop};
  return {add: subject.container.security.capAdd ?? [], drop: subject.container.security.capDrop ?? []};
}

/** Whether it drops every capability (`ALL` in any case, as Docker and the Pod Security check read it). */
export function dropsAll(subject: FileSubject): boolean {
  return capabilities(subject).drop.some(cap => capName(cap.value) === 'ALL');
}

/**
 * A test for mounts on paths the app is expected to write: the writable paths the fix keeps.
 * The hints are collected once per subject, so a service with thousands of mounts stays linear.
 */
export function chosenWritable(subject: FileSubject): (mount: MountFact) => boolean {
  const paths = collectWriteHints(subject).map(hint => canonicalPath(hint.path));
  return mount => {
    const target = canonicalPath(mount.target);
    return paths.some(path => path === target || path.startsWith(target + '/') || target.startsWith(path + '/'));
  };
}
