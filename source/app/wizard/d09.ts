import type {Rule} from '../../core/rules/rule.js';
import {allRules} from '../../core/rules/index.js';

/*
 * One line per rule on why it matters for an immutable container (OWASP Docker Top 10
 * D09): consistency, a smaller attack surface, no tampering, easy rollback. The rules'
 * own `why` is the longer text of the explanation panel.
 */
const reasons: Record<string, string> = {
  'read-only-rootfs': 'no tampering: nothing can change the binaries or config of a running container',
  'writable-path-unmounted': 'consistency: every write goes to a declared mount, so each start is the same',
  'root-user': 'smaller attack surface: a break-in is not root inside the container',
  'single-stage-build': 'smaller attack surface: no compilers, sources or build tools in what runs',
  'mutable-image-ref': 'easy rollback: a digest names exactly the image that ran, a tag can move',
  'privilege-escalation': 'no tampering: setuid binaries cannot raise a process above its user',
  privileged: 'smaller attack surface: privileged hands the container the host\'s devices and kernel',
  'docker-socket': 'no tampering: the runtime socket starts any container, with the host\'s root mounted',
  'host-namespace': 'smaller attack surface: the host\'s processes or network stay out of reach',
  'cap-add': 'no tampering: no capability that remounts the root or reaches the host',
  'cap-drop': 'no tampering: root in the container cannot override file permissions',
  seccomp: 'smaller attack surface: system calls a container never needs stay closed',
  'host-mount-writable': 'consistency: nothing written outlives the container on the host',
  'host-port': 'smaller attack surface: no port on the node\'s own address',
  'service-account-token': 'no tampering: no API token to change the workload from inside',
};

export function ruleOf(id: string): Rule | undefined {
  return allRules.find(r => r.id === id);
}

/** The one-line D09 reason for a rule. */
export function d09Why(rule: string): string {
  return reasons[rule] ?? ruleOf(rule)?.title ?? rule;
}

/**
 * The fix part of a finding's message: rules write "why it matters; what to do". Split at
 * the first "; " outside parentheses, as evidence in parentheses may hold one too.
 */
export function fixOf(message: string, fallback: string): string {
  let depth = 0;
  for (let i = 0; i < message.length - 1; i++) {
    const c = message[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && message[i + 1] === ' ' && depth === 0) return message.slice(i + 2);
  }
  return fallback;
}
