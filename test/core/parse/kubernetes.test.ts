import {readFile} from 'node:fs/promises';
import {describe, expect, it} from 'vitest';
import type {K8sContainer} from '../../../source/core/model/facts.js';
import {looksLikeKubernetes, parseKubernetes} from '../../../source/core/parse/kubernetes.js';

const fixture = (name: string) => readFile(new URL(`../../fixtures/parse/kubernetes/${name}`, import.meta.url), 'utf8');

function containers(text: string): K8sContainer[] {
  const parsed = parseKubernetes('k8s.yaml', text);
  expect(parsed.errors).toEqual([]);
  return parsed.facts!.containers;
}

describe('parseKubernetes: workloads', () => {
  it('reads every workload kind of a multi-document file; a Service and a ConfigMap are skipped', async () => {
    const all = containers(await fixture('workloads.yaml'));
    expect(all.map(c => [c.workload.kind, c.workload.name, c.workload.document, c.name, c.init, c.line])).toEqual([
      ['Deployment', 'web', 0, 'migrate', true, 13],
      ['Deployment', 'web', 0, 'web', false, 18],
      ['StatefulSet', 'db', 3, 'postgres', false, 82],
      ['DaemonSet', 'agent', 4, 'agent', false, 95],
      ['Job', 'once-', 5, 'job', false, 106],
      ['CronJob', 'nightly', 6, 'backup', false, 120],
      ['Pod', 'debug', 7, 'shell', false, 129],
      ['ReplicaSet', 'rs', 8, 'rs', false, 140],
    ]);
  });

  it('reads a container in full: image, command + args, pod and container securityContext, mounts by volume kind', async () => {
    const [init, web] = containers(await fixture('workloads.yaml'));
    const podSecurity = {runAsNonRoot: {value: true, line: 10}, runAsUser: {value: 1000, line: 11}};
    const workload = {kind: 'Deployment', name: 'web', line: 2, document: 0};
    const types = ['emptyDir', 'persistentVolumeClaim', 'hostPath', 'configMap', 'secret'];
    // Names in use: the pod's volumes, then those only a volumeMount names (`undeclared`).
    const pod = {line: 9, volumeTypes: types.map((value, i) => ({value, line: [42, 44, 47, 50, 53][i]})), volumeNames: ['tmp', 'data', 'host', 'config', 'secret', 'undeclared']};
    expect(init!.pod).toBe(web!.pod);
    expect(init).toEqual({
      name: 'migrate', line: 13, init: true, workload,
      image: {raw: 'ghcr.io/acme/web:1.4', registry: 'ghcr.io', repository: 'acme/web', tag: '1.4', unresolved: false, line: 14},
      command: {value: './migrate --up', line: 15},
      security: {},
      podSecurity,
      mounts: [],
      pod,
    });
    expect(web).toEqual({
      name: 'web', line: 18, init: false, workload, pod, first: true,
      image: {raw: 'ghcr.io/acme/web:1.4', registry: 'ghcr.io', repository: 'acme/web', tag: '1.4', unresolved: false, line: 19},
      security: {
        readOnlyRootFilesystem: {value: true, line: 21},
        allowPrivilegeEscalation: {value: false, line: 22},
        runAsUser: {value: 2000, line: 23},
      },
      podSecurity,
      mounts: [
        {target: '/tmp', kind: 'emptyDir', readOnly: false, line: 26},
        {target: '/var/lib/web', kind: 'pvc', readOnly: false, line: 28},
        {target: '/host', kind: 'bind', readOnly: false, line: 30, source: '/var/run/host'},
        {target: '/etc/web', kind: 'other', readOnly: true, line: 32},
        // configMap and secret volumes are read-only whatever the mount says
        {target: '/etc/secret', kind: 'other', readOnly: true, line: 34},
        {target: '/cache', kind: 'emptyDir', readOnly: true, line: 37},
        {target: '/undeclared', kind: 'other', readOnly: false, line: 40},
      ],
    });
  });

  it('keeps pod-level runAsUser apart from the container level, and reads privileged', async () => {
    const all = containers(await fixture('workloads.yaml'));
    const postgres = all.find(c => c.name === 'postgres')!;
    expect(postgres.security).toEqual({privileged: {value: true, line: 85}});
    expect(postgres.podSecurity).toEqual({});
    // Only runAsNonRoot and runAsUser are kept from the pod level: readOnlyRootFilesystem does not exist there.
    const [pod] = containers('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: 0, readOnlyRootFilesystem: true}\n  containers: [{name: a}]\n');
    expect(pod!.podSecurity).toEqual({runAsUser: {value: 0, line: 5}});
    expect(pod!.security).toEqual({});
  });

  it('reads the items of a kind: List', () => {
    const text = [
      'apiVersion: v1', // 1
      'kind: List', // 2
      'items:', // 3
      '  - apiVersion: v1', // 4
      '    kind: Pod', // 5
      '    metadata: {name: p}', // 6
      '    spec:', // 7
      '      containers: [{name: a, image: a}]', // 8
      '  - apiVersion: v1', // 9
      '    kind: ConfigMap', // 10
      '    metadata: {name: c}', // 11
      '  - apiVersion: apps/v1', // 12
      '    kind: Deployment', // 13
      '    metadata: {name: d}', // 14
      '    spec:', // 15
      '      template:', // 16
      '        spec:', // 17
      '          containers: [{name: b, image: b}]', // 18
      '',
    ].join('\n');
    expect(containers(text).map(c => [c.workload.kind, c.workload.name, c.workload.line, c.name, c.line])).toEqual([
      ['Pod', 'p', 4, 'a', 8],
      ['Deployment', 'd', 12, 'b', 18],
    ]);
  });

  it.each([
    ['no apiVersion', 'kind: Pod\nspec:\n  containers: [{name: a}]\n'],
    ['an unknown kind', 'apiVersion: v1\nkind: Widget\nspec:\n  containers: [{name: a}]\n'],
    ['no pod spec', 'apiVersion: apps/v1\nkind: Deployment\nspec: {}\n'],
    ['an empty file', ''],
    ['a scalar and a list document', '--- hello\n---\n- a\n'],
  ])('finds no containers in %s, without error', (_name, text) => {
    expect(parseKubernetes('k8s.yaml', text)).toEqual({facts: {file: 'k8s.yaml', containers: []}, errors: []});
  });

  it("reads the volume names a pod uses: its volumes, any container's volumeMounts, a StatefulSet's claim templates", () => {
    const text = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  volumeClaimTemplates:\n    - metadata: {name: data}\n  template:\n    spec:\n      initContainers:\n        - {name: init, image: x, volumeMounts: [{name: seed, mountPath: /seed}]}\n      containers:\n        - {name: db, image: x, volumeMounts: [{name: data, mountPath: /data}]}\n      volumes:\n        - {name: conf, configMap: {name: c}}\n';
    expect(containers(text).map(c => c.pod.volumeNames)).toEqual([['conf', 'data', 'seed'], ['conf', 'data', 'seed']]);
    expect(containers('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: x}]\n')[0]!.pod).not.toHaveProperty('volumeNames');
  });

  it('names a container with no name (unnamed)', () => {
    expect(containers('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: a\n')[0]).toMatchObject({name: '(unnamed)', workload: {name: '(unnamed)'}});
  });

  it('gives the same facts for CRLF', async () => {
    const lf = await fixture('workloads.yaml');
    expect(parseKubernetes('k8s.yaml', lf.replaceAll('\n', '\r\n'))).toEqual(parseKubernetes('k8s.yaml', lf));
  });
});

describe('parseKubernetes: broken files', () => {
  it('reports a broken document with its line and still reads the others', () => {
    const text = [
      'apiVersion: v1', // 1
      'kind: Pod', // 2
      'metadata: {name: a}', // 3
      'spec:', // 4
      '  containers: [{name: a, image: a}]', // 5
      '---', // 6
      'apiVersion: v1', // 7
      'kind: Pod', // 8
      'metadata:', // 9
      '  name: b', // 10
      ' spec: x', // 11
      '---', // 12
      'apiVersion: v1', // 13
      'kind: Pod', // 14
      'metadata: {name: c}', // 15
      'spec:', // 16
      '  containers: [{name: c, image: c}]', // 17
      '',
    ].join('\n');
    const parsed = parseKubernetes('k8s.yaml', text);
    expect(parsed.errors).toEqual([{file: 'k8s.yaml', line: 11, message: 'invalid YAML: this line is not indented like the other keys of its mapping'}]);
    expect(parsed.facts!.containers.map(c => [c.name, c.workload.document])).toEqual([['a', 0], ['c', 2]]);
  });

  it('a Helm template is one error that says so, at the first template line, and no facts', async () => {
    expect(parseKubernetes('templates/deployment.yaml', await fixture('helm-deployment.yaml'))).toEqual({
      facts: null,
      errors: [{file: 'templates/deployment.yaml', line: 4, message: 'Helm or Go template, not plain YAML: render it first (helm template ...) and audit the output'}],
    });
  });

  it('a Helm template that happens to parse as YAML is still one Helm error', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: a\n      image: {{ .Values.x }}\n';
    expect(parseKubernetes('pod.yaml', text)).toEqual({
      facts: null,
      errors: [{file: 'pod.yaml', line: 8, message: 'Helm or Go template, not plain YAML: render it first (helm template ...) and audit the output'}],
    });
  });

  it('a plain manifest with {{ }} inside strings (an alerting template) is not Helm', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: alerts}',
      'data:',
      '  summary: "{{ $labels.instance }} is down"',
      '  body: |',
      '    {{ define "x" }}{{ end }}',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'spec:',
      '  containers: [{name: a, image: a}]',
      '',
    ].join('\n');
    expect(containers(text).map(c => c.name)).toEqual(['a']);
  });
});

describe('looksLikeKubernetes', () => {
  it.each([
    ['apiVersion: v1\nkind: Pod\n', true],
    ['# comment\n---\nkind: Service\napiVersion: v1\n', true],
    ['apiVersion : v1\nkind : Pod\n', true],
    ['services:\n  web: {}\n', false],
    ['apiVersion: v1\n', false],
    ['x:\n  apiVersion: v1\n  kind: Pod\n', false],
  ])('%j -> %s', (text, expected) => {
    expect(looksLikeKubernetes(text)).toBe(expected);
  });
});
