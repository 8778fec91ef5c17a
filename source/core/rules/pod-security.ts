import type {K8sContainer} from '../model/facts.js';
import type {PodSecurity} from '../model/finding.js';
import {capName} from './host-access.js';

/*
 * The Pod Security Standards profile a pod meets, as Kubernetes defines it
 * (kubernetes.io/docs/concepts/security/pod-security-standards): every control of baseline,
 * then every control of restricted, over the pod spec and all its containers. Ephemeral
 * containers are not read (manifests do not hold them).
 */

/** Capabilities baseline lets a container add: Docker's default set without NET_RAW. */
const baselineCaps = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
/** Volume types restricted allows. */
const restrictedVolumes = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/** What keeps a pod (all its containers, init ones too) from baseline. */
function baselineGaps(containers: readonly K8sContainer[]): string[] {
  const pod = containers[0]!.pod;
  const gaps = (['hostPID', 'hostIPC', 'hostNetwork'] as const).filter(key => pod[key]?.value === true).map(key => `${key}: true`);
  if (pod.volumeTypes?.some(type => type.value === 'hostPath')) gaps.push('a hostPath volume');
  if (pod.seccomp?.value === 'Unconfined') gaps.push('pod seccompProfile Unconfined');
  gaps.push(...(pod.breaks ?? []).map(b => `pod ${b.value}`));
  for (const c of containers) {
    const {security} = c;
    if (security.privileged?.value === true) gaps.push(`${c.name}: privileged`);
    const extra = (security.capAdd ?? []).map(cap => capName(cap.value)).filter(cap => !baselineCaps.has(cap));
    if (extra.length > 0) gaps.push(`${c.name}: adds ${extra.join(', ')}`);
    if ((c.ports ?? []).some(port => port.hostPort)) gaps.push(`${c.name}: hostPort`);
    if (security.seccomp?.value === 'Unconfined') gaps.push(`${c.name}: seccompProfile Unconfined`);
    gaps.push(...(security.breaks ?? []).map(b => `${c.name}: ${b.value}`));
  }
  return gaps;
}

/** What keeps a baseline pod from restricted. */
function restrictedGaps(containers: readonly K8sContainer[]): string[] {
  const pod = containers[0]!.pod;
  const gaps = [...new Set((pod.volumeTypes ?? []).map(type => type.value).filter(type => !restrictedVolumes.has(type)))].map(type => `a ${type} volume`);
  const podSeccomp = pod.seccomp?.value === 'RuntimeDefault' || pod.seccomp?.value === 'Localhost';
  for (const c of containers) {
    const {security, podSecurity} = c;
    if (security.allowPrivilegeEscalation?.value !== false) gaps.push(`${c.name}: allowPrivilegeEscalation not false`);
    if ((security.runAsNonRoot ?? podSecurity.runAsNonRoot)?.value !== true) gaps.push(`${c.name}: runAsNonRoot not true`);
    if (security.runAsUser?.value === 0 || (security.runAsUser === undefined && podSecurity.runAsUser?.value === 0)) gaps.push(`${c.name}: runAsUser 0`);
    const seccomp = security.seccomp?.value;
    if (!(seccomp === 'RuntimeDefault' || seccomp === 'Localhost' || (seccomp === undefined && podSeccomp))) gaps.push(`${c.name}: no RuntimeDefault or Localhost seccompProfile`);
    if (!(security.capDrop ?? []).some(cap => capName(cap.value) === 'ALL')) gaps.push(`${c.name}: capabilities not dropped (ALL)`);
    const added = (security.capAdd ?? []).map(cap => capName(cap.value)).filter(cap => cap !== 'NET_BIND_SERVICE');
    if (added.length > 0) gaps.push(`${c.name}: adds ${added.join(', ')}`);
  }
  return gaps;
}

/** The profile the pod of these containers meets, and what keeps it from the next one. */
export function podSecurity(containers: readonly K8sContainer[]): PodSecurity {
  const baseline = baselineGaps(containers);
  if (baseline.length > 0) return {profile: 'privileged', unmet: baseline};
  const restricted = restrictedGaps(containers);
  return restricted.length > 0 ? {profile: 'baseline', unmet: restricted} : {profile: 'restricted', unmet: []};
}
