import {isCollection, LineCounter, visit, type Document, type Node} from 'yaml';
import {readYamlAll} from './yaml-read.js';
import type {AuditError} from '../model/finding.js';
import type {K8sContainer, K8sFacts, K8sSecurity, MountFact, Parsed} from '../model/facts.js';
import {normalisePath} from '../paths.js';
import {parseImageRef} from './image-ref.js';
import {loneCrAsLf} from './line-breaks.js';
import {lineAt} from './text.js';
import {asMap, get, items, lineOf, locatedBool, locatedNumber, locatedString, scalar, stringList, yamlErrors, type YamlContext} from './yaml-nodes.js';

/** Where each workload kind keeps its pod spec. */
export const podSpecPath: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  PodTemplate: ['template', 'spec'],
};

/** Volume types Kubernetes always mounts read-only, whatever the volumeMount says. */
const readOnlyVolumes = ['configMap', 'secret', 'downwardAPI', 'projected'];

/** True when the text holds at least one YAML document with both `apiVersion` and `kind`. */
export function looksLikeKubernetes(text: string): boolean {
  return /^apiVersion\s*:/m.test(text) && /^kind\s*:/m.test(text);
}

/**
 * Reads the containers of every workload in a (multi-document) YAML file. A broken
 * document is reported with its line; the other documents are still read.
 */
export function parseKubernetes(file: string, source: string): Parsed<K8sFacts> {
  const text = loneCrAsLf(source);
  const lines = new LineCounter();
  const docs = readYamlAll(text, {merge: true, lineCounter: lines, prettyErrors: true});
  const errors: AuditError[] = [];
  const containers: K8sContainer[] = [];
  const list = Array.isArray(docs) ? docs : [];
  // A template is not YAML until rendered, even where it happens to parse (`image: {{ .Values.x }}`
  // is a map with a map for a key): one error for the file, at its first `{{`, and no facts.
  if (/\{\{/.test(text) && list.some(doc => doc.errors.length > 0 || hasCollectionKey(doc))) {
    return {facts: null, errors: [{file, line: lineAt(text, text.indexOf('{{')), message: 'Helm or Go template, not plain YAML: render it first (helm template ...) and audit the output'}]};
  }
  list.forEach((doc, index) => {
    const ctx: YamlContext = {doc, lines};
    const docErrors = yamlErrors(file, ctx, text);
    if (docErrors.length > 0) {
      errors.push(docErrors[0]!);
      return;
    }
    const root = asMap(ctx, doc.contents);
    if (!root) return;
    if (scalar(ctx, get(ctx, root, 'kind')) === 'List') {
      for (const item of items(ctx, get(ctx, root, 'items'))) readObject(ctx, item, index, containers);
    } else {
      readObject(ctx, root, index, containers);
    }
  });
  return {facts: {file, containers}, errors};
}

/** Kubernetes objects are JSON: a map or list as a key only comes from unquoted `{{ ... }}`. */
function hasCollectionKey(doc: Document): boolean {
  let found = false;
  visit(doc, {
    Pair: (_key, pair) => {
      if (!isCollection(pair.key)) return undefined;
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}

function readObject(ctx: YamlContext, object: Node, document: number, out: K8sContainer[]): void {
  const kind = scalar(ctx, get(ctx, object, 'kind'));
  if (typeof kind !== 'string' || !scalar(ctx, get(ctx, object, 'apiVersion'))) return;
  const path = podSpecPath[kind];
  if (!path) return;
  let spec: Node | undefined = object;
  for (const key of path) spec = get(ctx, spec, key);
  if (!asMap(ctx, spec)) return;
  const metadata = get(ctx, object, 'metadata');
  const name = locatedString(ctx, get(ctx, metadata, 'name'))?.value ?? locatedString(ctx, get(ctx, metadata, 'generateName'))?.value ?? '(unnamed)';
  const workload = {kind, name, line: lineOf(ctx, object), document};
  const podSecurityNode = get(ctx, spec, 'securityContext');
  const podSecurity = pick(security(ctx, podSecurityNode), ['runAsNonRoot', 'runAsUser']);
  const volumes = new Map<string, MountFact['kind'] | 'readonly'>();
  for (const volume of items(ctx, get(ctx, spec, 'volumes'))) {
    const volumeName = locatedString(ctx, get(ctx, volume, 'name'))?.value;
    if (volumeName) volumes.set(volumeName, volumeKind(ctx, volume));
  }
  for (const [key, init] of [['initContainers', true], ['containers', false]] as const) {
    for (const container of items(ctx, get(ctx, spec, key))) {
      out.push(readContainer(ctx, container, init, workload, podSecurity, volumes));
    }
  }
}

function readContainer(
  ctx: YamlContext,
  node: Node,
  init: boolean,
  workload: K8sContainer['workload'],
  podSecurity: K8sContainer['podSecurity'],
  volumes: Map<string, MountFact['kind'] | 'readonly'>,
): K8sContainer {
  const container: K8sContainer = {
    name: locatedString(ctx, get(ctx, node, 'name'))?.value ?? '(unnamed)',
    line: lineOf(ctx, node),
    init,
    workload,
    security: security(ctx, get(ctx, node, 'securityContext')),
    podSecurity,
    mounts: [],
  };
  const image = locatedString(ctx, get(ctx, node, 'image'));
  if (image) container.image = parseImageRef(image.value, image.line);
  const command = [...stringList(ctx, get(ctx, node, 'command')), ...stringList(ctx, get(ctx, node, 'args'))];
  if (command.length > 0) container.command = {value: command.map(c => c.value).join(' '), line: command[0]!.line};
  for (const mount of items(ctx, get(ctx, node, 'volumeMounts'))) {
    const path = locatedString(ctx, get(ctx, mount, 'mountPath'));
    if (!path?.value.startsWith('/')) continue;
    const kind = volumes.get(locatedString(ctx, get(ctx, mount, 'name'))?.value ?? '') ?? 'other';
    const readOnly = kind === 'readonly' || locatedBool(ctx, get(ctx, mount, 'readOnly'))?.value === true;
    container.mounts.push({target: normalisePath(path.value), kind: kind === 'readonly' ? 'other' : kind, readOnly, line: path.line});
  }
  return container;
}

function volumeKind(ctx: YamlContext, volume: Node): MountFact['kind'] | 'readonly' {
  if (get(ctx, volume, 'emptyDir') !== undefined) return 'emptyDir';
  if (get(ctx, volume, 'persistentVolumeClaim') !== undefined || get(ctx, volume, 'ephemeral') !== undefined) return 'pvc';
  if (get(ctx, volume, 'hostPath') !== undefined) return 'bind';
  if (readOnlyVolumes.some(key => get(ctx, volume, key) !== undefined)) return 'readonly';
  return 'other';
}

function security(ctx: YamlContext, node: Node | undefined): K8sSecurity {
  const result: K8sSecurity = {};
  if (!asMap(ctx, node)) return result;
  for (const key of ['readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'runAsNonRoot', 'privileged'] as const) {
    const value = locatedBool(ctx, get(ctx, node, key));
    if (value) result[key] = value;
  }
  const runAsUser = locatedNumber(ctx, get(ctx, node, 'runAsUser'));
  if (runAsUser) result.runAsUser = runAsUser;
  const drop = stringList(ctx, get(ctx, get(ctx, node, 'capabilities'), 'drop'));
  if (drop.length > 0) result.capDrop = drop;
  return result;
}

function pick<T extends object, K extends keyof T>(object: T, keys: K[]): Pick<T, K> {
  const result = {} as Pick<T, K>;
  for (const key of keys) if (object[key] !== undefined) result[key] = object[key];
  return result;
}
