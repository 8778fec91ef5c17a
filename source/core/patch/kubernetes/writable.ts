import {posix} from 'node:path';
import {isMap, isScalar, isSeq, type Node, type YAMLMap} from 'yaml';
import type {PlannedChange} from '../../model/plan.js';
import {canonicalPath} from '../../paths.js';
import {addItem, isNull, setScalar} from './edit.js';
import {containerMaps, text, value} from './locate.js';
import {claimFile, claimManifest, claimSpec, dnsLabel, dnsSubdomain, managedBy, uniqueLabel} from './names.js';
import {quote, type YamlValue} from './render.js';
import {anchorMap, isValue, nodeAt, seqHasEntry, type ChangePlan, type Step, type StepInput} from './steps.js';

/*
 * A writable path: a volumeMount on the container and the volume behind it.
 * tmpfs -> emptyDir with a sizeLimit. No `medium: Memory`: a memory-backed emptyDir
 * counts against the container's memory limit, so a burst of temp files would get it
 * OOM-killed, while a disk-backed one over its sizeLimit only gets the pod evicted.
 * emptyDir is never mounted noexec, so `exec` needs nothing.
 * volume -> a PersistentVolumeClaim (a new `<dir>/<claim>-pvc.yaml` unless the claim
 * is known), or for a StatefulSet a volumeClaimTemplates entry: one claim per pod,
 * which is what a StatefulSet's replicas expect.
 */

type WritableChange = Extract<PlannedChange, {kind: 'writable'}>;

/** Volume sources Kubernetes always mounts read-only. */
const readOnlySources = ['configMap', 'secret', 'downwardAPI', 'projected'];

const defaultSizeMiB = 64;

function itemsOf(map: unknown, key: string): YAMLMap[] {
  const list = value(map, key);
  return isSeq(list) ? (list.items.filter(item => isMap(item)) as YAMLMap[]) : [];
}

function numberAt(node: Node | null | undefined): number | undefined {
  return isScalar(node) && typeof node.value === 'number' ? node.value : undefined;
}

/** The steps of one writable change, or why it cannot be made. */
export function writableSteps(change: WritableChange, input: StepInput): ChangePlan | {skip: string} {
  const {mount, rule} = change;
  if (!mount.path.startsWith('/')) return {skip: `${mount.path} is not an absolute path`};
  const path = canonicalPath(mount.path);
  const {workload, container} = input;
  const pod = workload.podSpec!;
  const plan: ChangePlan = {steps: [], notes: [], created: []};
  const volumes = itemsOf(pod, 'volumes');

  const mounted = itemsOf(container, 'volumeMounts').find(m => canonicalPath(text(value(m, 'mountPath')) ?? '') === path);
  if (mounted) {
    const name = text(value(mounted, 'name'));
    const volume = volumes.find(v => text(value(v, 'name')) === name);
    if (isValue(true)(value(mounted, 'readOnly')) || (volume && readOnlySources.some(key => value(volume, key) !== undefined))) {
      plan.notes.push({rule, what: path, reason: `${path} is already mounted read-only (volume ${name}); it is not mounted twice. Make that mount writable or move the writes elsewhere`});
    }
    return plan;
  }

  const used = new Set<string>();
  for (const volume of volumes) used.add(text(value(volume, 'name')) ?? '');
  for (const other of [...containerMaps(pod, true), ...containerMaps(pod, false)]) {
    for (const m of itemsOf(other, 'volumeMounts')) used.add(text(value(m, 'name')) ?? '');
  }
  const spec = anchorMap(workload, container, 'workload-spec');
  for (const template of itemsOf(spec, 'volumeClaimTemplates')) used.add(text(nodeAt(template, ['metadata', 'name'])) ?? '');
  const name = uniqueLabel(dnsLabel(mount.name || posix.basename(path)), used);
  const hasName = seqHasEntry(['name'], n => n === name);
  const addVolume = (item: YamlValue): Step => ({kind: 'add', at: 'pod', path: ['volumes'], run: (map, ctx) => addItem(ctx, map, ['volumes'], item, hasName), check: hasName});

  if (mount.mount === 'tmpfs') {
    const size = mount.sizeMiB !== undefined && mount.sizeMiB > 0 ? Math.ceil(mount.sizeMiB) : defaultSizeMiB;
    plan.steps.push(addVolume({name, emptyDir: {sizeLimit: `${size}Mi`}}));
    if (mount.mode !== undefined && /^0?1[0-7]{3}$/.test(mount.mode)) {
      plan.notes.push({
        rule,
        what: `mode ${mount.mode} on ${path}`,
        reason:
          `an emptyDir has no sticky bit: Kubernetes creates it with mode 0777, so users in the pod can delete each other's files and some programs (Ruby's Dir.tmpdir) refuse it. ` +
          `It is mounted anyway; if the app needs the sticky bit, add an initContainer that runs chmod 1777 on it (fsGroup would not help: it sets the group, not the sticky bit)`,
      });
    }
  } else if (workload.kind === 'StatefulSet') {
    const hasTemplate = seqHasEntry(['metadata', 'name'], n => n === name);
    const template: YamlValue = {metadata: {name, labels: managedBy}, spec: claimSpec()};
    plan.steps.push({kind: 'add', at: 'workload-spec', path: ['volumeClaimTemplates'], run: (map, ctx) => addItem(ctx, map, ['volumeClaimTemplates'], template, hasTemplate), check: hasTemplate});
    plan.notes.push({
      rule,
      what: `an in-place update of StatefulSet ${workload.name}`,
      reason: `volumeClaimTemplates cannot change on an existing StatefulSet: delete it with kubectl delete statefulset ${workload.name} --cascade=orphan (its pods keep running), then apply the manifest`,
    });
  } else {
    // generateName ends in '-'; `job-` and volume data make job-data, not job--data.
    const claim = dnsSubdomain(`${workload.name === '(unnamed)' ? 'unnamed' : workload.name.replace(/-+$/, '')}-${name}`);
    plan.steps.push(addVolume({name, persistentVolumeClaim: {claimName: quote(claim)}}));
    const file = claimFile(input.file, claim);
    const known = input.claims.some(c => c.name === claim && (c.namespace ?? '') === (workload.namespace ?? '')) || input.existingFiles.has(file);
    if (!known) plan.created.push({file, text: claimManifest(claim, workload.namespace, `${path} of ${workload.kind} ${workload.name}, container ${text(value(container, 'name')) ?? ''}, stays writable on this claim.`, input.eol)});
    if (workload.kind === 'DaemonSet' || (workload.replicas ?? 1) > 1) {
      plan.notes.push({
        rule,
        what: `a claim per pod for ${path}`,
        reason: `${workload.kind} ${workload.name} runs ${workload.kind === 'DaemonSet' ? 'a pod on every node' : `${workload.replicas} replicas`}, which all share the ReadWriteOnce claim ${claim}, and it mounts on one node only. Use a StatefulSet (a claim per pod) or ReadWriteMany storage`,
      });
    }
  }

  const hasPath = seqHasEntry(['mountPath'], p => canonicalPath(p) === path);
  plan.steps.push({
    kind: 'add',
    at: 'container',
    path: ['volumeMounts'],
    run: (map, ctx) => addItem(ctx, map, ['volumeMounts'], {name, mountPath: quote(path)}, hasPath),
    check: hasPath,
    fact: c => c.mounts.some(m => canonicalPath(m.target) === path && !m.readOnly),
  });
  if (mount.mount === 'volume') plan.steps.push(...fsGroupStep(input));
  return plan;
}

/**
 * A new claim is usually owned by root; a non-root container can write it only when
 * the pod's fsGroup owns it. Added when the pod sets none and the container's
 * group (or user) is known and not root.
 */
function fsGroupStep(input: StepInput): Step[] {
  const pod = input.workload.podSpec;
  if (!isNull(nodeAt(pod, ['securityContext', 'fsGroup']))) return [];
  const own = (map: YAMLMap | undefined, key: string) => numberAt(nodeAt(map, ['securityContext', key]));
  const group = input.runAs?.gid ?? own(input.container, 'runAsGroup') ?? own(pod, 'runAsGroup');
  const owner = group ?? input.runAs?.uid ?? own(input.container, 'runAsUser') ?? own(pod, 'runAsUser');
  if (owner === undefined || owner === 0) return [];
  const path = ['securityContext', 'fsGroup'];
  return [{kind: 'set', at: 'pod', path, run: (map, ctx) => setScalar(ctx, map, path, String(owner), isValue(owner)), check: isValue(owner)}];
}
