import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {elsewhere, finding} from './effective.js';
import {fileSubject, hostNamespaces} from './host-access.js';
import type {Rule} from './rule.js';

/*
 * A pod's namespaces are one setting for all its containers: the finding is reported on the
 * first container only. Not fixable: a node agent or a CNI plugin needs them.
 */
export const hostNamespace: Rule = {
  id: 'host-namespace',
  severity: 'high',
  title: 'Container shares a host namespace',
  why: 'Sharing the host\'s PID, IPC or network namespace lets the container see and signal host processes, read their memory or bind the host\'s interfaces, outside the isolation a read-only root assumes.',
  fix: 'Remove hostPID/hostIPC/hostNetwork, or pid/ipc/network_mode: host, unless the workload is a node agent that needs them.',
  fixable: false,
  check(subject: Subject): Finding[] {
    const file = fileSubject(subject);
    if (!file || (file.kind === 'k8s-container' && !file.container.first)) return [];
    const name = file.kind === 'compose-service' ? `service "${file.service.name}"` : `the pod of ${file.container.workload.kind} "${file.container.workload.name}"`;
    return hostNamespaces(file).map(({name: setting, at}) => finding(hostNamespace, file, at,
      `${setting}${elsewhere(file, at)} puts ${name} in the host's namespace, so it can see or reach the host's processes or network outside the container's isolation; remove it (harden does not: an agent that watches the node needs it, so keep it only there).`,
      {detail: `${setting}${elsewhere(file, at)}`}));
  },
};
