import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {elsewhere, finding} from './effective.js';
import {capabilities, capName, dropsAll, fileSubject} from './host-access.js';
import type {Rule} from './rule.js';

/** Capabilities that reach past the container: mounts, the network stack, other processes, kernel modules, any file. */
const dangerous = new Set(['ALL', 'SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'SYS_RAWIO', 'SYS_BOOT', 'SYS_TIME', 'BPF', 'PERFMON', 'MAC_ADMIN', 'MAC_OVERRIDE', 'LINUX_IMMUTABLE', 'SYSLOG']);

/*
 * DAC_OVERRIDE is in the default set Docker and containerd give every container. Added back
 * after dropping ALL (as harden does for a root entrypoint that chowns and steps down, such
 * as postgres's, which must read its 0700 data directory) it leaves less than the default,
 * so it is not reported there: otherwise fix would raise a high finding of its own making.
 */
const inDefaultSet = new Set(['DAC_OVERRIDE']);

/*
 * SYS_ADMIN alone lets a process remount its root read-write. Not fixable: the workload
 * asked for it, and what it does with it (a VPN, a debugger, an agent) is a person's call.
 */
export const capAdd: Rule = {
  id: 'cap-add',
  severity: 'high',
  title: 'Dangerous capability is added',
  why: 'Capabilities such as SYS_ADMIN, NET_ADMIN or SYS_PTRACE let a process remount the read-only root, reconfigure the host\'s network or take over other processes.',
  fix: 'Remove the capability from cap_add / capabilities.add, or move the task that needs it out of the long-running container.',
  fixable: false,
  check(subject: Subject): Finding[] {
    const file = fileSubject(subject);
    if (!file) return [];
    const name = file.kind === 'compose-service' ? `service "${file.service.name}"` : `container "${file.container.name}"`;
    const key = file.kind === 'compose-service' ? 'cap_add' : 'capabilities.add';
    const lessThanDefault = dropsAll(file);
    return capabilities(file).add.filter(cap => dangerous.has(capName(cap.value)) && !(lessThanDefault && inDefaultSet.has(capName(cap.value)))).map(cap => finding(capAdd, file, cap,
      `${key} ${cap.value}${elsewhere(file, cap)} gives ${name} a capability that can undo its isolation (remount the read-only root, change the host's network, trace other processes or bypass file permissions); remove it unless the workload truly needs it (harden does not remove it: only you know what it needs).`,
      {detail: `${key} ${cap.value}${elsewhere(file, cap)}`}));
  },
};
