import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {finding} from './effective.js';
import type {Rule} from './rule.js';

/* A hostPort ties the pod to a node's port and opens it on the node's address, around the Service and NetworkPolicies. */
export const hostPort: Rule = {
  id: 'host-port',
  severity: 'low',
  title: 'Container binds a host port',
  why: 'A hostPort opens a port on the node\'s own address, around the Service and network policies, and pins the pod to nodes where that port is free.',
  fix: 'Remove hostPort and reach the container through a Service.',
  fixable: false,
  check(subject: Subject): Finding[] {
    if (subject.kind !== 'k8s-container') return [];
    return (subject.container.ports ?? []).filter(port => port.hostPort !== undefined).map(port => finding(hostPort, subject, port.line,
      `hostPort ${port.hostPort} opens container "${subject.container.name}" on the node's own address, around the Service and network policies; remove it and use a Service (harden does not: a node agent may need it).`,
      {detail: `hostPort ${port.hostPort}`}));
  },
};
