import type {PlannedChange} from '../../../../source/core/model/plan.js';
import {patchKubernetes, type ContainerChanges} from '../../../../source/core/patch/kubernetes/index.js';

/** Changes and manifests for the inline Kubernetes patch tests. */

export const ro: PlannedChange = {kind: 'read-only', rule: 'read-only-rootfs', reason: 'test'};
export const nnp: PlannedChange = {kind: 'no-new-privileges', rule: 'privilege-escalation', reason: 'test'};
export const runAs = (ids: {uid?: number; gid?: number; user?: string}): PlannedChange => ({kind: 'run-as', rule: 'root-user', reason: 'test', ...ids});
export const writable = (path: string, mount: 'tmpfs' | 'volume', name: string, extra: {sizeMiB?: number} = {}): PlannedChange => ({
  kind: 'writable',
  rule: 'writable-path-unmounted',
  reason: 'test',
  mount: {path, mount, name, why: 'test', ...extra},
});
export const ref = (container: string, changes: PlannedChange[], workload = {kind: 'Pod', name: 'p'}, init = false): ContainerChanges => ({document: 0, workload, container, init, changes});

/** The result of a patch that must succeed. */
export function patch(text: string, changes: ContainerChanges[], existing?: Set<string>) {
  const result = patchKubernetes('k8s/app.yaml', text, changes, existing);
  if (!result.ok) throw new Error(`${result.error.line}: ${result.error.message}`);
  return result.result;
}

/** A Pod named p with these container lines (and pod spec lines before them). */
export const pod = (containers: string, spec = '') => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
${spec}  containers:
${containers}`;
