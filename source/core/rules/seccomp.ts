import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {elsewhere, finding} from './effective.js';
import {fileSubject, needsHost} from './host-access.js';
import type {Rule} from './rule.js';

/*
 * Docker applies its default seccomp profile unless told not to; the kubelet runs a
 * container Unconfined unless the pod or container asks for RuntimeDefault (or the node
 * turns SeccompDefault on, which a manifest cannot tell). Only the unset Kubernetes profile
 * is fixed: an explicit Unconfined was somebody's choice.
 */
export const seccomp: Rule = {
  id: 'seccomp',
  severity: 'medium',
  title: 'No seccomp profile',
  why: 'Without a seccomp profile every system call is open, among them mount, keyctl and unshare, with which a compromised process attacks the kernel and the read-only root it enforces.',
  fix: 'Set seccompProfile: {type: RuntimeDefault} on the Kubernetes pod or container; remove seccomp=unconfined from compose security_opt.',
  fixable: true,
  check(subject: Subject): Finding[] {
    const file = fileSubject(subject);
    if (!file) return [];
    if (file.kind === 'compose-service') {
      const off = file.service.securityOpt.find(option => /^seccomp[:=]unconfined$/i.test(option.value.trim()));
      if (!off) return [];
      return [{...finding(seccomp, file, off, `security_opt "${off.value}"${elsewhere(file, off)} turns Docker's default seccomp profile off for service "${file.service.name}", so a compromised process can call mount, keyctl or unshare to attack the kernel under its read-only root; remove it (harden does not: whoever set it may need a call the default blocks).`,
        {detail: `security_opt ${off.value}${elsewhere(file, off)}`}), fixable: false}];
    }
    const {container} = file;
    const setting = container.security.seccomp ?? container.pod.seccomp;
    if (setting && setting.value !== 'Unconfined') return [];
    const leave = setting ? 'an explicit Unconfined was chosen, maybe for a call the default blocks' : needsHost(file);
    const why = setting ? `seccompProfile type Unconfined at ${setting === container.security.seccomp ? 'container' : 'pod'} level leaves` : `Without a seccompProfile the kubelet runs container "${container.name}" Unconfined (unless the node turns SeccompDefault on), which leaves`;
    const message = `${why} every system call open, so a compromised process can call mount, keyctl or unshare to attack the kernel under its read-only root; set securityContext.seccompProfile: {type: RuntimeDefault}${leave ? ` (harden leaves it: ${leave})` : ''}.`;
    const detail = setting ? `Unconfined at ${setting === container.security.seccomp ? 'container' : 'pod'} level` : leave ? `harden leaves it: ${leave}` : '';
    const result = finding(seccomp, file, setting?.line ?? container.line, message, {detail});
    return [leave ? {...result, fixable: false} : result];
  },
};
