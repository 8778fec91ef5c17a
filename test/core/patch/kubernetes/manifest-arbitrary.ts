import fc from 'fast-check';
import type {ContainerChanges} from '../../../../source/core/patch/kubernetes/index.js';
import type {PlannedChange} from '../../../../source/core/model/plan.js';

/*
 * Generated manifests for the property test: workload kinds, Lists and multi-document
 * files, existing securityContexts (block, flow, empty, null) and volumes, comments,
 * block scalars, 2- or 4-space indentation, sequences indented or not, LF or CRLF,
 * with or without a final newline; and random change sets for their containers.
 */

type Node = {t: 's'; v: string} | {t: 'm'; pairs: Pair[]; flow?: boolean} | {t: 'q'; items: Node[]; flow?: boolean} | {t: 'b'; header: string; lines: string[]};
interface Pair {
  key: string;
  value: Node;
  comment?: string;
  trailing?: string;
  blank?: boolean;
}
interface Layout {
  step: number;
  seqIndent: number;
  eol: '\n' | '\r\n';
  finalNewline: boolean;
}

const s = (v: string | number | boolean): Node => ({t: 's', v: String(v)});
const m = (pairs: Pair[], flow = false): Node => ({t: 'm', pairs, flow});
const p = (key: string, value: Node, extra: Partial<Pair> = {}): Pair => ({key, value, ...extra});

function flow(node: Node): string {
  if (node.t === 's') return node.v;
  if (node.t === 'q') return `[${node.items.map(flow).join(', ')}]`;
  if (node.t === 'm') return `{${node.pairs.map(x => `${x.key}: ${flow(x.value)}`).join(', ')}}`;
  throw new Error('block scalar in flow');
}

function emitMap(pairs: Pair[], indent: number, layout: Layout): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const pair of pairs) {
    if (pair.blank) lines.push('');
    if (pair.comment) lines.push(`${pad}# ${pair.comment}`);
    const trailing = pair.trailing ? `  # ${pair.trailing}` : '';
    const value = pair.value;
    if (value.t === 's' || (value.t !== 'b' && (value.flow || (value.t === 'm' ? value.pairs : value.items).length === 0))) {
      lines.push(`${pad}${pair.key}:${value.t === 's' && value.v === '' ? '' : ' ' + flow(value)}${trailing}`);
    } else if (value.t === 'b') {
      lines.push(`${pad}${pair.key}: ${value.header}${trailing}`, ...value.lines.map(l => (l ? ' '.repeat(indent + layout.step) + l : '')));
    } else if (value.t === 'm') {
      lines.push(`${pad}${pair.key}:${trailing}`, ...emitMap(value.pairs, indent + layout.step, layout));
    } else {
      lines.push(`${pad}${pair.key}:${trailing}`, ...emitSeq(value.items, indent + layout.seqIndent, layout));
    }
  }
  return lines;
}

function emitSeq(items: Node[], indent: number, layout: Layout): string[] {
  const lines: string[] = [];
  for (const item of items) {
    if (item.t === 'm' && !item.flow && item.pairs.length > 0) {
      const [first, ...rest] = emitMap(item.pairs, indent + 2, layout);
      lines.push(`${' '.repeat(indent)}- ${first!.trimStart()}`, ...rest);
    } else {
      lines.push(`${' '.repeat(indent)}- ${flow(item)}`);
    }
  }
  return lines;
}

const podSpecPath: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const comment = fc.option(fc.constantFrom('keep me', 'TODO: tune', 'owned by team web', 'see runbook'), {nil: undefined});
const securityArb = fc.record({
  style: fc.constantFrom('block', 'flow', 'empty', 'null'),
  readOnly: fc.option(fc.boolean(), {nil: undefined}),
  escalation: fc.option(fc.boolean(), {nil: undefined}),
  runAsUser: fc.option(fc.constantFrom(0, 1000), {nil: undefined}),
  drop: fc.option(fc.subarray(['NET_RAW', 'ALL', 'CHOWN']), {nil: undefined}),
});
const containerArb = fc.record({
  security: fc.option(securityArb, {nil: undefined}),
  securityFirst: fc.boolean(),
  mounts: fc.subarray(['/var/run', '/data', '/etc/app']),
  command: fc.option(fc.constantFrom('|', '|+', '>-'), {nil: undefined}),
  flow: fc.integer({min: 0, max: 9}).map(n => n < 3),
  blank: fc.boolean(),
  comment,
  trailing: comment,
});
const workloadArb = fc.record({
  kind: fc.constantFrom(...Object.keys(podSpecPath)),
  containers: fc.array(containerArb, {minLength: 1, maxLength: 3}),
  inits: fc.array(containerArb, {maxLength: 1}),
  volumes: fc.subarray(['cache', 'c0-tmp', 'config', 'c0-data', 'host']),
  podSecurity: fc.option(fc.constantFrom('{runAsUser: 1000}', '{fsGroup: 2000}', '{}'), {nil: undefined}),
  comment,
});
export const manifestArb = fc.record({
  workloads: fc.array(workloadArb, {minLength: 1, maxLength: 2}),
  list: fc.boolean(),
  service: fc.boolean(),
  layout: fc.record({step: fc.constantFrom(2, 4), indented: fc.boolean(), eol: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'), finalNewline: fc.boolean()}),
});
export type ManifestSpec = typeof manifestArb extends fc.Arbitrary<infer T> ? T : never;
type ContainerSpec = ManifestSpec['workloads'][number]['containers'][number];

function container(name: string, spec: ContainerSpec, volumes: string[]): Node {
  const pairs: Pair[] = [p('name', s(name), {trailing: spec.trailing}), p('image', s('registry.example/app:1.0'), {blank: spec.blank})];
  const sec = spec.security;
  if (sec) {
    const fields: Pair[] = [];
    if (sec.readOnly !== undefined) fields.push(p('readOnlyRootFilesystem', s(sec.readOnly)));
    if (sec.runAsUser !== undefined) fields.push(p('runAsUser', s(sec.runAsUser)));
    if (sec.drop) fields.push(p('capabilities', m([p('drop', {t: 'q', items: sec.drop.map(s)})])));
    if (sec.escalation !== undefined) fields.push(p('allowPrivilegeEscalation', s(sec.escalation), {comment: spec.comment}));
    const value = sec.style === 'null' ? s('') : sec.style === 'empty' ? m([], true) : m(fields, sec.style === 'flow');
    pairs.splice(spec.securityFirst ? 1 : 2, 0, p('securityContext', value));
  }
  const mounts = volumes.length === 0 ? [] : spec.mounts.map((path, i) => m([p('name', s(volumes[i % volumes.length]!)), p('mountPath', s(path))]));
  if (mounts.length > 0) pairs.push(p('volumeMounts', {t: 'q', items: mounts}));
  if (spec.command) pairs.push(p('command', {t: 'b', header: spec.command, lines: spec.command === '|+' ? ['run --fast', ''] : ['run', '--fast']}, {comment: spec.comment}));
  return m(pairs, spec.flow && !spec.command);
}

function workloadNode(spec: ManifestSpec['workloads'][number], index: number): Node {
  const name = `app${index}`;
  const source = (v: string) => (v === 'config' ? p('configMap', m([p('name', s('app-config'))])) : v === 'host' ? p('hostPath', m([p('path', s('/opt/app'))])) : p('emptyDir', m([], true)));
  const volumes = spec.volumes.map(v => m([p('name', s(v)), source(v)]));
  const pod: Pair[] = [];
  if (spec.podSecurity) pod.push(p('securityContext', {t: 's', v: spec.podSecurity}));
  pod.push(p('containers', {t: 'q', items: spec.containers.map((c, i) => container(`c${i}`, c, spec.volumes))}, {comment: spec.comment}));
  if (spec.inits.length > 0) pod.push(p('initContainers', {t: 'q', items: spec.inits.map((c, i) => container(`init${i}`, c, spec.volumes))}));
  if (volumes.length > 0) pod.push(p('volumes', {t: 'q', items: volumes}));
  if (spec.kind === 'Job' || spec.kind === 'CronJob') pod.push(p('restartPolicy', s('OnFailure')));
  let body: Node = m(pod);
  const path = podSpecPath[spec.kind]!;
  for (let i = path.length - 1; i >= 0; i--) {
    const extra: Pair[] = path[i] === 'template' ? [p('metadata', m([p('labels', m([p('app', s(name))]))]))] : [];
    if (i === 0 && spec.kind === 'CronJob') extra.push(p('schedule', s('"*/5 * * * *"')));
    if (i === 0 && spec.kind === 'StatefulSet') extra.push(p('serviceName', s(name)));
    body = m([...extra, p(path[i]!, body)]);
  }
  const api = spec.kind === 'Pod' ? 'v1' : spec.kind.endsWith('Job') ? 'batch/v1' : 'apps/v1';
  return m([p('apiVersion', s(api)), p('kind', s(spec.kind)), p('metadata', m([p('name', s(name), {trailing: spec.comment})])), ...(body as {pairs: Pair[]}).pairs]);
}

const service = m([p('apiVersion', s('v1')), p('kind', s('Service')), p('metadata', m([p('name', s('web'))])), p('spec', m([p('ports', {t: 'q', items: [m([p('port', s(80))], true)]})]))]);

/** The text of a generated manifest. */
export function renderManifest(spec: ManifestSpec): string {
  const layout: Layout = {step: spec.layout.step, seqIndent: spec.layout.indented ? spec.layout.step : 0, eol: spec.layout.eol, finalNewline: spec.layout.finalNewline};
  const objects = spec.workloads.map(workloadNode);
  let docs: string[][];
  if (spec.list) {
    docs = [emitMap([p('apiVersion', s('v1')), p('kind', s('List')), p('items', {t: 'q', items: [...(spec.service ? [service] : []), ...objects]})], 0, layout)];
  } else {
    docs = [...(spec.service ? [service] : []), ...objects].map(o => emitMap((o as {pairs: Pair[]}).pairs, 0, layout));
  }
  const text = docs.map(lines => lines.join(layout.eol)).join(`${layout.eol}---${layout.eol}`);
  return text + (layout.finalNewline ? layout.eol : '');
}

const base = (kind: string, rule: string) => ({kind, rule, reason: 'generated'}) as PlannedChange;
const changeArb: fc.Arbitrary<PlannedChange> = fc.oneof(
  fc.constant(base('read-only', 'read-only-rootfs')),
  fc.constant(base('no-new-privileges', 'privilege-escalation')),
  fc.constant(base('cap-drop-all', 'cap-drop')),
  fc.record({uid: fc.option(fc.constantFrom(1000, 10001), {nil: undefined}), gid: fc.option(fc.constant(10001), {nil: undefined})}).map(
    ids => ({kind: 'run-as', rule: 'root-user', reason: 'generated', ...(ids.uid !== undefined ? {uid: ids.uid} : {}), ...(ids.gid !== undefined ? {gid: ids.gid} : {})}) as PlannedChange,
  ),
  fc.record({path: fc.constantFrom('/tmp', '/var/run', '/run', '/data', '/var/cache/app', '/var/lib/app'), mount: fc.constantFrom<'tmpfs' | 'volume'>('tmpfs', 'volume'), name: fc.constantFrom('c0-tmp', 'cache', 'data', 'Weird_Name')}).map(
    w => ({kind: 'writable', rule: 'writable-path-unmounted', reason: 'generated', mount: {path: w.path, mount: w.mount, name: w.name, why: 'generated'}}) as PlannedChange,
  ),
  fc.constantFrom('/data', '/etc/app/', '/var/run').map(target => ({kind: 'mount-read-only', target, rule: 'host-mount-writable', reason: 'generated'}) as PlannedChange),
);

/** Random change sets for the containers of a generated manifest. */
export function changesArb(spec: ManifestSpec): fc.Arbitrary<ContainerChanges[]> {
  const targets: Array<Omit<ContainerChanges, 'changes'>> = [];
  const offset = spec.service && !spec.list ? 1 : 0;
  spec.workloads.forEach((w, i) => {
    const ref = {document: spec.list ? 0 : i + offset, workload: {kind: w.kind, name: `app${i}`}};
    w.containers.forEach((_, c) => targets.push({...ref, container: `c${c}`, init: false}));
    w.inits.forEach((_, c) => targets.push({...ref, container: `init${c}`, init: true}));
  });
  return fc.tuple(...targets.map(t => fc.array(changeArb, {maxLength: 5}).map(changes => ({...t, changes})))).map(list => list.filter(c => c.changes.length > 0));
}
