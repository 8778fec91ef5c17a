import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {finding} from './effective.js';
import type {Rule} from './rule.js';

/*
 * Kubernetes mounts the service account's token into every pod unless the pod or its
 * ServiceAccount says no. Not fixable: harden cannot know whether the app calls the API.
 * A pod setting, so reported on the pod's first container only.
 */
export const serviceAccountToken: Rule = {
  id: 'service-account-token',
  severity: 'low',
  title: 'Service account token is mounted',
  why: 'A mounted API token lets a compromised process ask the cluster to change or replace the workload itself, around its immutable image and read-only root.',
  fix: 'Set automountServiceAccountToken: false on the pod spec (or its ServiceAccount) unless the app calls the Kubernetes API.',
  fixable: false,
  check(subject: Subject): Finding[] {
    if (subject.kind !== 'k8s-container' || !subject.container.first) return [];
    const {pod, workload} = subject.container;
    const setting = pod.automountServiceAccountToken;
    if (setting?.value === false) return [];
    const why = setting ? 'automountServiceAccountToken: true mounts' : `Nothing stops Kubernetes from mounting`;
    return [finding(serviceAccountToken, subject, setting?.line ?? pod.line,
      `${why} the service account's API token into the pod of ${workload.kind} "${workload.name}", so a compromised process can ask the cluster to change or replace the workload around its read-only root; set automountServiceAccountToken: false on the pod spec (or its ServiceAccount) if the app does not call the Kubernetes API (harden does not: it cannot know whether the app calls the API).`,
      {detail: setting ? 'automountServiceAccountToken: true' : ''})];
  },
};
