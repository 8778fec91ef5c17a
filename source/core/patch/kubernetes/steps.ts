import {isMap, isScalar, isSeq, type Node, type YAMLMap} from 'yaml';
import type {K8sContainer} from '../../model/facts.js';
import type {Outcome, EditContext} from './edit.js';
import {text, value, type Workload} from './locate.js';

/** Where an edit starts: the container, its pod spec, or the workload's own `spec` (a StatefulSet's volumeClaimTemplates). */
export type Anchor = 'container' | 'pod' | 'workload-spec';

/**
 * One surgical edit of a change. A change is a group of steps done all or none:
 * a volumeMount without its volume, or runAsNonRoot without the runAsUser it needs,
 * would break the pod.
 */
export interface Step {
  /** `set` a value (a later set of the same path wins) or `add` an item (each stays). */
  kind: 'set' | 'add';
  at: Anchor;
  /** Key path from `at`, for the skipped note and for the check after the edit. */
  path: readonly string[];
  /** The edit, on the map `at` names in a fresh parse of the current text. */
  run(map: YAMLMap, ctx: EditContext): Outcome;
  /** True when the node at `path` in the patched file shows the step done. */
  check(node: Node | null | undefined): boolean;
  /** The same as the parser sees it, so the audit will not flag it again. */
  fact?: (container: K8sContainer) => boolean;
}

/** A note for `skipped`: what was not done (or not fully) and why. */
export interface Note {
  rule: string;
  what: string;
  reason: string;
}

/** What a change comes to for one container: steps, notes, and new files. */
export interface ChangePlan {
  /** Done all or none. */
  steps: Step[];
  /** Reported in `skipped` when the steps are done. */
  notes: Note[];
  /** New files (a PVC manifest), kept only when the steps are done. */
  created: Array<{file: string; text: string}>;
}

/** What a step builder may look at: the freshly parsed workload and container. */
export interface StepInput {
  /** The manifest's path, for files created beside it. */
  file: string;
  workload: Workload;
  /** The container's map, written in place. */
  container: YAMLMap;
  /** PersistentVolumeClaims the file defines. */
  claims: ReadonlyArray<{name: string; namespace?: string}>;
  /** Files that exist already, relative like `file`: a claim file there is not created again. */
  existingFiles: ReadonlySet<string>;
  /** Line end of the manifest, for created files. */
  eol: string;
  /** The run-as change of the same container, if any: its uid/gid own new volumes. */
  runAs?: {uid?: number; gid?: number};
}

/** The map an anchor names, written in place. */
export function anchorMap(workload: Workload, container: YAMLMap, at: Anchor): YAMLMap | undefined {
  if (at === 'container') return container;
  if (at === 'pod') return workload.podSpec;
  const spec = value(workload.object, 'spec');
  return isMap(spec) ? spec : undefined;
}

/** The node at a key path, through keys written in place. */
export function nodeAt(map: YAMLMap | undefined, path: readonly string[]): Node | null | undefined {
  let node: unknown = map;
  for (const key of path) node = value(node, key);
  return node as Node | null | undefined;
}

export function isValue(expected: boolean | number): (node: Node | null | undefined) => boolean {
  return node => isScalar(node) && node.value === expected;
}

/** True when a sequence node holds a scalar equal to `expected`. */
export function seqHas(expected: string): (node: Node | null | undefined) => boolean {
  return node => isSeq(node) && node.items.some(item => isScalar(item) && item.value === expected);
}

/** True when a sequence node holds a map whose value at `path` passes `test`. */
export function seqHasEntry(path: readonly string[], test: (value: string) => boolean): (node: Node | null | undefined) => boolean {
  return node => isSeq(node) && node.items.some(item => isMap(item) && test(text(nodeAt(item, path)) ?? ''));
}
