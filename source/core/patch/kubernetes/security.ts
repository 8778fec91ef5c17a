import {isScalar, isSeq, type Node} from 'yaml';
import type {PlannedChange} from '../../model/plan.js';
import {addItem, setScalar} from './edit.js';
import {isValue, nodeAt, seqHas, type ChangePlan, type Step, type StepInput} from './steps.js';

/*
 * The container securityContext changes: readOnlyRootFilesystem, allowPrivilegeEscalation,
 * capabilities.drop (and the add it keeps), seccompProfile and runAsNonRoot/runAsUser/runAsGroup. A value that is already
 * right is left alone; a wrong one is replaced in place.
 */

type SecurityChange = Extract<PlannedChange, {kind: 'read-only' | 'no-new-privileges' | 'cap-drop-all' | 'seccomp' | 'run-as'}>;

const context = 'securityContext';

function scalarStep(key: string, expected: boolean | number, fact?: Step['fact']): Step {
  const path = [context, key];
  return {
    kind: 'set',
    at: 'container',
    path,
    run: (map, ctx) => setScalar(ctx, map, path, String(expected), isValue(expected)),
    check: isValue(expected),
    ...(fact ? {fact} : {}),
  };
}

function numberAt(node: Node | null | undefined): number | undefined {
  return isScalar(node) && typeof node.value === 'number' ? node.value : undefined;
}

function listHas(node: Node | null | undefined, ...names: string[]): boolean {
  return isSeq(node) && node.items.some(item => isScalar(item) && names.includes(String(item.value)));
}

/** The steps of one securityContext change, or why it cannot be made. */
export function securitySteps(change: SecurityChange, input: StepInput): ChangePlan | {skip: string} {
  const own = (key: string) => nodeAt(input.container, [context, key]);
  const plan: ChangePlan = {steps: [], notes: [], created: []};
  switch (change.kind) {
    case 'read-only':
      plan.steps.push(scalarStep('readOnlyRootFilesystem', true, c => c.security.readOnlyRootFilesystem?.value === true));
      return plan;
    case 'no-new-privileges':
      // The API server rejects allowPrivilegeEscalation: false next to either of these (pod validation).
      if (isValue(true)(own('privileged'))) return {skip: 'Kubernetes refuses allowPrivilegeEscalation: false on a privileged container; remove privileged: true first'};
      if (listHas(nodeAt(input.container, [context, 'capabilities', 'add']), 'SYS_ADMIN', 'CAP_SYS_ADMIN')) {
        return {skip: 'Kubernetes refuses allowPrivilegeEscalation: false on a container that adds CAP_SYS_ADMIN; remove that capability first'};
      }
      plan.steps.push(scalarStep('allowPrivilegeEscalation', false, c => c.security.allowPrivilegeEscalation?.value === false));
      return plan;
    case 'cap-drop-all': {
      const list = (key: string, item: string) => {
        const path = [context, 'capabilities', key];
        plan.steps.push({kind: 'add', at: 'container', path, run: (map, ctx) => addItem(ctx, map, path, item, seqHas(item)), check: seqHas(item)});
      };
      list('drop', 'ALL');
      for (const cap of change.add ?? []) list('add', cap);
      return plan;
    }
    case 'seccomp': {
      const path = [context, 'seccompProfile', 'type'];
      const check = (node: Node | null | undefined) => isScalar(node) && node.value === 'RuntimeDefault';
      plan.steps.push({kind: 'set', at: 'container', path, run: (map, ctx) => setScalar(ctx, map, path, 'RuntimeDefault', check), check, fact: c => c.security.seccomp?.value === 'RuntimeDefault'});
      return plan;
    }
    case 'run-as': {
      const bad = [change.uid, change.gid].find(id => id !== undefined && !(Number.isSafeInteger(id) && id >= 0));
      if (bad !== undefined) return {skip: `${bad} is not a valid numeric id`};
      if (change.uid === 0) return {skip: 'uid 0 is root; runAsNonRoot would stop the container from starting'};
      const effective = change.uid ?? numberAt(own('runAsUser')) ?? numberAt(nodeAt(input.workload.podSpec, [context, 'runAsUser']));
      if (effective === 0) return {skip: 'runAsUser: 0 is set, and with runAsNonRoot the kubelet would refuse to start the container; give a non-root uid (--user UID:GID)'};
      plan.steps.push(scalarStep('runAsNonRoot', true, c => c.security.runAsNonRoot?.value === true));
      if (change.uid !== undefined) plan.steps.push(scalarStep('runAsUser', change.uid, c => c.security.runAsUser?.value === change.uid));
      if (change.gid !== undefined) plan.steps.push(scalarStep('runAsGroup', change.gid));
      if (effective === undefined) {
        plan.notes.push({
          rule: change.rule,
          what: `${context}.runAsUser`,
          reason: `no numeric uid is known${change.user ? ` for ${change.user}` : ''}; with runAsNonRoot alone the kubelet starts the container only when the image's USER is numeric and not 0, so set runAsUser if it is a name`,
        });
      }
      return plan;
    }
  }
}
