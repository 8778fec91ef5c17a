import {isMap, isSeq, type Node, type YAMLMap} from 'yaml';
import type {PlannedChange} from '../../model/plan.js';
import {canonicalPath} from '../../paths.js';
import {setScalar} from './edit.js';
import {text, value} from './locate.js';
import {isValue, type ChangePlan, type StepInput} from './steps.js';

/*
 * A host mount the app only reads (a database's init scripts, a configuration file):
 * `readOnly: true` on the container's volumeMount at that path. The hostPath volume is
 * left as it is: another container of the pod may mount it writable on purpose.
 */

type ReadOnlyMountChange = Extract<PlannedChange, {kind: 'mount-read-only'}>;

/** The container's volumeMounts at `path` (one normally; Kubernetes refuses two at the same path). */
function mountsAt(container: unknown, path: string): YAMLMap[] {
  const list = value(container, 'volumeMounts');
  if (!isSeq(list)) return [];
  return list.items.filter((item): item is YAMLMap => isMap(item) && canonicalPath(text(value(item, 'mountPath')) ?? '') === path);
}

/** The step that makes the volumeMount at the change's target read-only, or why it cannot. */
export function readOnlyMountSteps(change: ReadOnlyMountChange, input: StepInput): ChangePlan | {skip: string} {
  const path = canonicalPath(change.target);
  const found = mountsAt(input.container, path);
  if (found.length !== 1) return {skip: `the container has ${found.length === 0 ? 'no' : found.length} volumeMounts at ${change.target}; set readOnly: true by hand`};
  // Only a host mount: a volume this fix (or a person) gave the app to write stays writable.
  const name = text(value(found[0], 'name'));
  const volumes = value(input.workload.podSpec, 'volumes');
  const volume = isSeq(volumes) ? volumes.items.find(item => isMap(item) && text(value(item, 'name')) === name) : undefined;
  if (value(volume, 'hostPath') === undefined) return {skip: `the volume mounted at ${change.target} is not a hostPath volume of the pod; set readOnly: true by hand if the app only reads it`};
  const done = isValue(true);
  const check = (node: Node | null | undefined) => isSeq(node) && node.items.some(item => isMap(item) && canonicalPath(text(value(item, 'mountPath')) ?? '') === path && done(value(item, 'readOnly')));
  return {
    steps: [{
      kind: 'set',
      at: 'container',
      path: ['volumeMounts'],
      run: (map, ctx) => {
        const [mount] = mountsAt(map, path);
        return mount ? setScalar(ctx, mount, ['readOnly'], 'true', done) : {kind: 'conflict', reason: `the volumeMount at ${change.target} is gone`};
      },
      check,
      fact: container => container.mounts.some(m => canonicalPath(m.target) === path && m.readOnly),
    }],
    notes: [],
    created: [],
  };
}
