import {isCollection, isPair, LineCounter, type Document, type Node} from 'yaml';
import {walkNodes} from './yaml-walk.js';
import {readYamlAll} from './yaml-read.js';
import type {AuditError} from '../model/finding.js';
import type {K8sContainer, K8sFacts, K8sPod, K8sSecurity, Located, MountFact, Parsed} from '../model/facts.js';
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
  return walkNodes(doc, node => isPair(node) && isCollection(node.key));
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
  const pod: K8sPod = {line: lineOf(ctx, spec), ...pick(security(ctx, podSecurityNode), ['seccomp', 'breaks'])};
  for (const key of ['hostPID', 'hostIPC', 'hostNetwork', 'automountServiceAccountToken'] as const) {
    const value = locatedBool(ctx, get(ctx, spec, key));
    if (value) pod[key] = value;
  }
  const volumes = new Map<string, Volume>();
  const types: Located<string>[] = [];
  for (const volume of items(ctx, get(ctx, spec, 'volumes'))) {
    const volumeName = locatedString(ctx, get(ctx, volume, 'name'))?.value;
    const type = asMap(ctx, volume)?.items.map(pair => scalar(ctx, pair.key)).find(key => typeof key === 'string' && key !== 'name');
    if (typeof type === 'string') types.push({value: type, line: lineOf(ctx, volume)});
    if (volumeName) volumes.set(volumeName, volumeKind(ctx, volume));
  }
  if (types.length > 0) pod.volumeTypes = types;
  const taken = new Set(volumes.keys());
  for (const template of items(ctx, get(ctx, get(ctx, object, 'spec'), 'volumeClaimTemplates'))) addName(ctx, taken, get(ctx, get(ctx, template, 'metadata'), 'name'));
  let first = true;
  for (const [key, init] of [['initContainers', true], ['containers', false]] as const) {
    for (const container of items(ctx, get(ctx, spec, key))) {
      for (const mount of items(ctx, get(ctx, container, 'volumeMounts'))) addName(ctx, taken, get(ctx, mount, 'name'));
      const read = readContainer(ctx, container, init, workload, podSecurity, volumes, pod);
      if (!init && first) read.first = true;
      first &&= init;
      out.push(read);
    }
  }
  if (taken.size > 0) pod.volumeNames = [...taken];
}

function addName(ctx: YamlContext, names: Set<string>, node: Node | undefined): void {
  const name = locatedString(ctx, node)?.value;
  if (name) names.add(name);
}

type Volume = {kind: MountFact['kind'] | 'readonly'; source?: string};

function readContainer(
  ctx: YamlContext,
  node: Node,
  init: boolean,
  workload: K8sContainer['workload'],
  podSecurity: K8sContainer['podSecurity'],
  volumes: Map<string, Volume>,
  pod: K8sPod,
): K8sContainer {
  const container: K8sContainer = {
    name: locatedString(ctx, get(ctx, node, 'name'))?.value ?? '(unnamed)',
    line: lineOf(ctx, node),
    init,
    workload,
    security: security(ctx, get(ctx, node, 'securityContext')),
    podSecurity,
    mounts: [],
    pod,
  };
  const image = locatedString(ctx, get(ctx, node, 'image'));
  if (image) container.image = parseImageRef(image.value, image.line);
  const command = [...stringList(ctx, get(ctx, node, 'command')), ...stringList(ctx, get(ctx, node, 'args'))];
  if (command.length > 0) container.command = {value: command.map(c => c.value).join(' '), line: command[0]!.line};
  for (const mount of items(ctx, get(ctx, node, 'volumeMounts'))) {
    const path = locatedString(ctx, get(ctx, mount, 'mountPath'));
    if (!path?.value.startsWith('/')) continue;
    const {kind, source} = volumes.get(locatedString(ctx, get(ctx, mount, 'name'))?.value ?? '') ?? {kind: 'other'};
    const readOnly = kind === 'readonly' || locatedBool(ctx, get(ctx, mount, 'readOnly'))?.value === true;
    container.mounts.push({target: normalisePath(path.value), kind: kind === 'readonly' ? 'other' : kind, readOnly, line: path.line, ...(source === undefined ? {} : {source})});
  }
  const ports = items(ctx, get(ctx, node, 'ports')).flatMap(port => {
    const number = locatedNumber(ctx, get(ctx, port, 'containerPort'));
    const host = locatedNumber(ctx, get(ctx, port, 'hostPort'))?.value;
    return number ? [{port: number.value, line: number.line, ...(host ? {hostPort: host} : {})}] : [];
  });
  if (ports.length > 0) container.ports = ports;
  return container;
}

function volumeKind(ctx: YamlContext, volume: Node): Volume {
  if (get(ctx, volume, 'emptyDir') !== undefined) return {kind: 'emptyDir'};
  if (get(ctx, volume, 'persistentVolumeClaim') !== undefined || get(ctx, volume, 'ephemeral') !== undefined) return {kind: 'pvc'};
  const host = get(ctx, volume, 'hostPath');
  if (host !== undefined) {
    const source = locatedString(ctx, get(ctx, host, 'path'))?.value;
    return source === undefined ? {kind: 'bind'} : {kind: 'bind', source};
  }
  if (readOnlyVolumes.some(key => get(ctx, volume, key) !== undefined)) return {kind: 'readonly'};
  return {kind: 'other'};
}

/** Sysctls the Pod Security Standards' baseline allows (the "safe" set). */
const safeSysctls = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);

/** What baseline forbids in a (pod or container) securityContext that no rule reads: `field: value` at its line. */
function breaks(ctx: YamlContext, node: Node): Located<string>[] {
  const found: Located<string>[] = [];
  const check = (path: string[], bad: (value: string) => boolean) => {
    let at: Node | undefined = node;
    for (const key of path) at = get(ctx, at, key);
    const value = locatedString(ctx, at);
    if (value && bad(value.value)) found.push({value: `${path.join('.')}: ${value.value}`, line: value.line});
  };
  check(['procMount'], value => value !== 'Default');
  check(['appArmorProfile', 'type'], value => value === 'Unconfined');
  check(['windowsOptions', 'hostProcess'], value => value === 'true');
  check(['seLinuxOptions', 'type'], value => !['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'].includes(value));
  check(['seLinuxOptions', 'user'], value => value !== '');
  check(['seLinuxOptions', 'role'], value => value !== '');
  for (const sysctl of items(ctx, get(ctx, node, 'sysctls'))) {
    const name = locatedString(ctx, get(ctx, sysctl, 'name'));
    if (name && !safeSysctls.has(name.value)) found.push({value: `sysctls: ${name.value}`, line: name.line});
  }
  return found;
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
  const capabilities = get(ctx, node, 'capabilities');
  const [capAdd, capDrop] = [stringList(ctx, get(ctx, capabilities, 'add')), stringList(ctx, get(ctx, capabilities, 'drop'))];
  if (capAdd.length > 0) result.capAdd = capAdd;
  if (capDrop.length > 0) result.capDrop = capDrop;
  const seccomp = locatedString(ctx, get(ctx, get(ctx, node, 'seccompProfile'), 'type'));
  if (seccomp) result.seccomp = seccomp;
  const broken = breaks(ctx, node!);
  if (broken.length > 0) result.breaks = broken;
  return result;
}

function pick<T extends object, K extends keyof T>(object: T, keys: K[]): Pick<T, K> {
  const result = {} as Pick<T, K>;
  for (const key of keys) if (object[key] !== undefined) result[key] = object[key];
  return result;
}
