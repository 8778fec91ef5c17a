import {isAlias, isMap, isScalar, isSeq, type Document, type Node, type YAMLMap} from 'yaml';
import {readYamlAll} from '../../parse/yaml-read.js';
import {ownPair} from './edit.js';
import {podSpecPath} from '../../parse/kubernetes.js';

/*
 * Finds workloads, their pod specs and containers in a parsed manifest, by the same
 * kinds and paths as source/core/parse/kubernetes.ts, but through keys written in
 * place only: a node reached through an alias or a merge key is shared with other
 * places, so it is reported as blocked instead of being edited.
 */

const sharedReason = 'it is written through a YAML anchor, alias or merge key, so an edit would change every place that uses it; change it by hand';

/** One workload object: a document's root or an item of a `kind: List`. */
export interface Workload {
  document: number;
  doc: Document.Parsed;
  kind: string;
  /** metadata.name, else metadata.generateName, else `(unnamed)`, as the parser names it. */
  name: string;
  namespace?: string;
  object: YAMLMap;
  /** The pod spec, when it is written in place. */
  podSpec?: YAMLMap;
  /** Why the pod spec cannot be edited. */
  blocked?: string;
  /** Desired replicas as written (Deployment, ReplicaSet, StatefulSet). */
  replicas?: number;
}

/** A parsed manifest and what the patcher needs to find in it. */
export interface Manifest {
  docs: Document.Parsed[];
  workloads: Workload[];
  /** PersistentVolumeClaims defined in the file. */
  claims: Array<{name: string; namespace?: string}>;
}

export function value(map: unknown, key: string): Node | null | undefined {
  if (!isMap(map)) return undefined;
  return ownPair(map, key)?.value as Node | null | undefined;
}

export function text(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && typeof node.value !== 'object' ? String(node.value) : undefined;
}

function shared(node: unknown): boolean {
  return isAlias(node) || (isMap(node) && (node.anchor !== undefined || node.items.some(p => isScalar(p.key) && (p.key.value === '<<' || typeof p.key.value === 'symbol'))));
}

/** Parses every document, with source positions, and finds the workloads and claims; the first document is number `first`. */
export function readManifest(source: string, first = 0): Manifest {
  // Node ranges are all the edits need; source tokens (keepSourceTokens), which nothing read, tripled the memory of a parse.
  const docs = readYamlAll(source);
  const list = Array.isArray(docs) ? docs : [];
  const manifest: Manifest = {docs: list, workloads: [], claims: []};
  list.forEach((doc, index) => {
    const root = doc.contents;
    if (!isMap(root)) return;
    if (text(value(root, 'kind')) === 'List') {
      const itemsNode = value(root, 'items');
      for (const item of isSeq(itemsNode) ? itemsNode.items : []) readObject(item, doc, first + index, manifest);
    } else {
      readObject(root, doc, first + index, manifest);
    }
  });
  return manifest;
}

function readObject(object: unknown, doc: Document.Parsed, document: number, manifest: Manifest): void {
  if (!isMap(object)) return;
  const kind = text(value(object, 'kind'));
  const metadata = value(object, 'metadata');
  const namespace = text(value(metadata, 'namespace'));
  const name = text(value(metadata, 'name')) ?? text(value(metadata, 'generateName'));
  if (kind === 'PersistentVolumeClaim' && name !== undefined) manifest.claims.push({name, ...(namespace !== undefined ? {namespace} : {})});
  const path = kind === undefined || !text(value(object, 'apiVersion')) ? undefined : podSpecPath[kind];
  if (!path) return;
  const workload: Workload = {document, doc, kind: kind!, name: name ?? '(unnamed)', object, ...(namespace !== undefined ? {namespace} : {})};
  const replicas = value(value(object, 'spec'), 'replicas');
  if (isScalar(replicas) && typeof replicas.value === 'number') workload.replicas = replicas.value;
  let spec: unknown = object;
  for (const key of path) {
    if (shared(spec)) {
      workload.blocked = sharedReason;
      break;
    }
    spec = value(spec, key);
  }
  if (!workload.blocked) {
    if (shared(spec)) workload.blocked = sharedReason;
    else if (isMap(spec)) workload.podSpec = spec;
  }
  manifest.workloads.push(workload);
}

/** The containers (or initContainers) written in place in a pod spec. */
export function containerMaps(podSpec: YAMLMap, init: boolean): YAMLMap[] {
  const list = value(podSpec, init ? 'initContainers' : 'containers');
  return isSeq(list) ? (list.items.filter(item => isMap(item)) as YAMLMap[]) : [];
}

/** A container by name, or why it cannot be edited. */
export function findContainer(workload: Workload, name: string, init: boolean): {map: YAMLMap} | {blocked: string} | undefined {
  if (workload.blocked) return {blocked: workload.blocked};
  if (!workload.podSpec) return undefined;
  const list = value(workload.podSpec, init ? 'initContainers' : 'containers');
  if (isAlias(list) || (isSeq(list) && list.anchor)) return {blocked: sharedReason};
  for (const item of isSeq(list) ? list.items : []) {
    const itemName = isMap(item) ? text(value(item, 'name')) ?? '(unnamed)' : undefined;
    if (itemName !== name) {
      if (isAlias(item) && text(value(item.resolve(workload.doc), 'name')) === name) return {blocked: sharedReason};
      continue;
    }
    return shared(item) ? {blocked: sharedReason} : {map: item as YAMLMap};
  }
  return undefined;
}

/** The workload a change set names. */
export function findWorkload(manifest: Manifest, document: number, kind: string, name: string): Workload | undefined {
  return manifest.workloads.find(w => w.document === document && w.kind === kind && w.name === name);
}
