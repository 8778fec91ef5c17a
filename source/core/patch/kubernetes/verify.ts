import type {K8sContainer} from '../../model/facts.js';
import {parseKubernetes} from '../../parse/kubernetes.js';
import {findContainer, findWorkload, readManifest} from './locate.js';
import {unwritable} from '../text-edit.js';
import {yamlErrorMessage} from '../../parse/yaml-errors.js';
import {anchorMap, nodeAt, type Step} from './steps.js';

/** A container as the change set names it. */
export interface ContainerRef {
  document: number;
  workload: {kind: string; name: string};
  container: string;
  init: boolean;
}

/** A step that was made, to be seen in the patched text. */
export interface Expectation {
  ref: ContainerRef;
  step: Step;
}

function key(c: K8sContainer): string {
  return `${c.workload.document}/${c.workload.kind}/${c.workload.name}/${c.init ? 'init/' : ''}${c.name}`;
}

function refKey(ref: ContainerRef): string {
  return `${ref.document}/${ref.workload.kind}/${ref.workload.name}/${ref.init ? 'init/' : ''}${ref.container}`;
}

function firstBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T> {
  const found = new Map<string, T>();
  for (const item of items) if (!found.has(keyOf(item))) found.set(keyOf(item), item);
  return found;
}

/**
 * Re-reads the patched text as the audit will and checks the invariants: valid YAML,
 * the same documents and containers, and every step visible. Returns a one-line
 * problem (with the line of the container concerned), or undefined when all is well.
 */
export function verifyPatch(file: string, before: {documents: number; containers: readonly K8sContainer[]}, after: string, expectations: readonly Expectation[]): {line: number; message: string} | undefined {
  const bytes = unwritable(after);
  if (bytes) return bytes;
  const manifest = readManifest(after);
  const broken = manifest.docs.find(doc => doc.errors.length > 0);
  if (broken) return {line: 1, message: `the patch produced invalid YAML (${yamlErrorMessage(broken.errors[0]!, after)}); nothing was written`};
  if (manifest.docs.length !== before.documents) return {line: 1, message: `the patch changed the number of YAML documents from ${before.documents} to ${manifest.docs.length}; nothing was written`};
  const parsed = parseKubernetes(file, after);
  if (parsed.errors.length > 0 || !parsed.facts) return {line: parsed.errors[0]?.line ?? 1, message: `the patched file does not read back: ${parsed.errors[0]?.message ?? 'no facts'}`};
  const containers = parsed.facts.containers;
  if (containers.map(key).join('\n') !== before.containers.map(key).join('\n')) return {line: 1, message: 'the patch changed the list of containers; nothing was written'};
  // By key, the first of each as `find` would: thousands of containers each looked up for every step were quadratic.
  const lines = firstBy(before.containers, key);
  const facts = firstBy(containers, key);
  const workloads = firstBy(manifest.workloads, w => `${w.document}\0${w.kind}\0${w.name}`);
  for (const {ref, step} of expectations) {
    const line = lines.get(refKey(ref))?.line ?? 1;
    const fail = (what: string) => ({line, message: `container ${ref.container} of ${ref.workload.kind} ${ref.workload.name}: ${what} after the patch; nothing was written`});
    const workload = workloads.get(`${ref.document}\0${ref.workload.kind}\0${ref.workload.name}`);
    const found = workload ? findContainer(workload, ref.container, ref.init) : undefined;
    if (!workload || !found || 'blocked' in found) return fail('the container cannot be found');
    if (!step.check(nodeAt(anchorMap(workload, found.map, step.at), step.path))) return fail(`${step.path.join('.')} is not as intended`);
    const fact = facts.get(refKey(ref));
    if (step.fact && (!fact || !step.fact(fact))) return fail(`the audit does not see ${step.path.join('.')} as intended`);
  }
  return undefined;
}
