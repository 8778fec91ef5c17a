import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseAllDocuments} from 'yaml';
import type {K8sFacts} from '../../../../source/core/model/facts.js';
import {parseKubernetes} from '../../../../source/core/parse/kubernetes.js';
import {patchKubernetes, type ContainerChanges} from '../../../../source/core/patch/kubernetes/index.js';
import {canonicalPath} from '../../../../source/core/paths.js';
import {changesArb, manifestArb, renderManifest} from './manifest-arbitrary.js';

type Js = unknown;
type JsMap = Record<string, Js>;

/** Keys the patch may add (readOnly: on a volumeMount the app only reads), and list keys it may append to. */
const addable = new Set(['securityContext', 'readOnly', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'capabilities', 'drop', 'runAsNonRoot', 'runAsUser', 'runAsGroup', 'fsGroup', 'volumeMounts', 'volumes', 'volumeClaimTemplates']);
const appendable = new Set(['volumes', 'volumeMounts', 'drop', 'volumeClaimTemplates']);
/** Values the patch may replace, with what it may replace them by. */
const hardened: Record<string, (v: Js) => boolean> = {
  readOnlyRootFilesystem: v => v === true,
  allowPrivilegeEscalation: v => v === false,
  runAsNonRoot: v => v === true,
  runAsUser: v => typeof v === 'number' && v > 0,
  runAsGroup: v => typeof v === 'number',
};

const isMap = (v: Js): v is JsMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Everything of `a` is in `b`, except owned values replaced by hardened ones; `b` adds only what the patch may add. */
function contained(a: Js, b: Js, path: string[]): void {
  const where = path.join('.');
  const key = path.at(-1) ?? '';
  if (a === null || a === undefined) return void expect(b === null || typeof b === 'object', where).toBe(true);
  if (Array.isArray(a)) {
    expect(Array.isArray(b), where).toBe(true);
    const list = b as Js[];
    if (!appendable.has(key)) expect(list.length, where).toBe(a.length);
    a.forEach((item, i) => contained(item, list[i], [...path, String(i)]));
    return;
  }
  if (isMap(a)) {
    expect(isMap(b), where).toBe(true);
    const map = b as JsMap;
    for (const k of Object.keys(map)) if (!(k in a)) expect(addable.has(k), `${where}.${k} added`).toBe(true);
    for (const [k, v] of Object.entries(a)) {
      expect(k in map, `${where}.${k} kept`).toBe(true);
      if (key === 'securityContext' && hardened[k] && v !== map[k]) expect(hardened[k]!(map[k]), `${where}.${k}`).toBe(true);
      else contained(v, map[k], [...path, k]);
    }
    return;
  }
  expect(b, where).toBe(a);
}

const podPath: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function find(docs: Js[], entry: ContainerChanges): {workload: JsMap; pod: JsMap; container: JsMap} {
  const root = docs[entry.document] as JsMap;
  const objects = root.kind === 'List' ? (root.items as JsMap[]) : [root];
  const workload = objects.find(o => o.kind === entry.workload.kind && (o.metadata as JsMap).name === entry.workload.name)!;
  let pod: Js = workload;
  for (const k of podPath[entry.workload.kind]!) pod = (pod as JsMap)[k];
  const list = ((pod as JsMap)[entry.init ? 'initContainers' : 'containers'] as JsMap[]) ?? [];
  return {workload, pod: pod as JsMap, container: list.find(c => c.name === entry.container)!};
}

const containerKeys = (facts: K8sFacts | null) => facts?.containers.map(c => `${c.workload.document}/${c.workload.kind}/${c.workload.name}/${c.init}/${c.name}`);
const count = (text: string, needle: string) => text.split(needle).length - 1;

/** FC_RUNS=5000 for a deeper search than the default run. */
const runs = Number(process.env.FC_RUNS ?? 100);

describe('patchKubernetes on generated manifests', () => {
  it('keeps them valid, keeps comments and content, makes every change, and is stable', () => {
    const cases = manifestArb.chain(spec => fc.tuple(fc.constant(spec), changesArb(spec)));
    // Read-only host mounts must be drawn, or the check above tests nothing.
    const madeReadOnly = {made: 0, skipped: 0};
    fc.assert(
      fc.property(cases, ([spec, changes]) => {
        const input = renderManifest(spec);
        const before = parseKubernetes('k8s/app.yaml', input);
        expect(before.errors).toEqual([]);
        const patched = patchKubernetes('k8s/app.yaml', input, changes);
        if (!patched.ok) throw new Error(`${patched.error.line}: ${patched.error.message}\n${input}`);
        const {text: out, skipped, created} = patched.result;

        const after = parseKubernetes('k8s/app.yaml', out);
        expect(after.errors).toEqual([]);
        expect(containerKeys(after.facts)).toEqual(containerKeys(before.facts));
        const outLines = new Set(out.split(/\r?\n/));
        for (const line of input.split(/\r?\n/).filter(l => l.trim().startsWith('#'))) expect(outLines.has(line), line).toBe(true);
        expect(count(out, '#')).toBe(count(input, '#'));
        const blank = (text: string) => text.split(/\r?\n/).filter(l => l.trim() === '').length;
        expect(blank(out)).toBe(blank(input));
        expect(count(out, '\r\n')).toBe(spec.layout.eol === '\r\n' ? count(out, '\n') : 0);
        expect(out.endsWith('\n')).toBe(input.endsWith('\n'));

        const again = patchKubernetes('k8s/app.yaml', out, changes, new Set(created.map(c => c.file)));
        expect(again.ok && again.result.text).toBe(out);

        const inDocs = parseAllDocuments(input).map(d => d.toJS() as Js);
        const outDocs = parseAllDocuments(out).map(d => d.toJS() as Js);
        expect(outDocs.length).toBe(inDocs.length);
        inDocs.forEach((doc, i) => {
          if (changes.some(c => c.document === i)) contained(doc, outDocs[i], [`doc${i}`]);
          else expect(outDocs[i]).toEqual(doc);
        });

        for (const entry of changes) {
          const {workload, pod, container} = find(outDocs, entry);
          const security = (container.securityContext ?? {}) as JsMap;
          const mine = skipped.filter(s => s.container === entry.container && s.document === entry.document && s.workload.name === entry.workload.name);
          for (const change of entry.changes) {
            if (change.kind === 'read-only') expect(security.readOnlyRootFilesystem).toBe(true);
            if (change.kind === 'no-new-privileges') expect(security.allowPrivilegeEscalation).toBe(false);
            if (change.kind === 'cap-drop-all') expect((security.capabilities as JsMap).drop).toContain('ALL');
            if (change.kind === 'run-as') {
              // Several run-as changes are merged, later ids winning.
              if (mine.some(s => s.rule === 'root-user' && s.what === 'securityContext.runAsNonRoot: true')) continue;
              const runAs = entry.changes.filter(c => c.kind === 'run-as');
              const uid = runAs.map(c => c.uid).filter(id => id !== undefined).at(-1);
              const gid = runAs.map(c => c.gid).filter(id => id !== undefined).at(-1);
              expect(security.runAsNonRoot).toBe(true);
              if (uid !== undefined) expect(security.runAsUser).toBe(uid);
              if (gid !== undefined) expect(security.runAsGroup).toBe(gid);
            }
            if (change.kind === 'mount-read-only') {
              // Read-only, or skipped with the reason (no mount there, two, or one written through an anchor).
              const path = canonicalPath(change.target);
              const at = ((container.volumeMounts ?? []) as JsMap[]).filter(m => canonicalPath(String(m.mountPath)) === path);
              if (!mine.some(s => s.rule === 'host-mount-writable')) expect(at.length > 0 && at.every(m => m.readOnly === true), path).toBe(true);
              else madeReadOnly.skipped++;
              if (at.some(m => m.readOnly === true)) madeReadOnly.made++;
            }
            if (change.kind === 'writable') {
              const path = canonicalPath(change.mount.path);
              const mount = ((container.volumeMounts ?? []) as JsMap[]).find(m => canonicalPath(String(m.mountPath)) === path);
              expect(mount, path).toBeDefined();
              const templates = (((workload.spec as JsMap).volumeClaimTemplates ?? []) as JsMap[]).map(t => (t.metadata as JsMap).name);
              const volume = ((pod.volumes ?? []) as JsMap[]).find(v => v.name === mount!.name);
              expect(volume !== undefined || templates.includes(mount!.name), `volume ${String(mount!.name)}`).toBe(true);
              if (volume?.configMap !== undefined) expect(mine.some(s => s.what === path)).toBe(true);
              expect(String(mount!.name)).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
            }
          }
        }
        for (const doc of outDocs) {
          const objects = (isMap(doc) && doc.kind === 'List' ? doc.items : [doc]) as JsMap[];
          for (const object of objects.filter(o => podPath[String(o.kind)])) {
            let pod: Js = object;
            for (const k of podPath[String(object.kind)]!) pod = (pod as JsMap)[k];
            const volumeNames = (((pod as JsMap).volumes ?? []) as JsMap[]).map(v => v.name);
            expect(new Set(volumeNames).size, 'volume names are unique').toBe(volumeNames.length);
          }
        }
      }),
      {numRuns: runs},
    );
    // About 6 of 100 runs make one (read-only-mount.test.ts has the cases); requiring one here would fail one run in 400.
    if (runs >= 100) expect(madeReadOnly.made + madeReadOnly.skipped, JSON.stringify(madeReadOnly)).toBeGreaterThan(0);
  }, Math.max(60_000, runs * 300));
});
