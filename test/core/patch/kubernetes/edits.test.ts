import {describe, expect, it} from 'vitest';
import {nnp, patch, pod, ref, ro, writable} from './helpers.js';

describe('patchKubernetes edits around what is there', () => {
  it('fills empty values (nothing, null, ~, []) and keeps a kept block scalar whole', () => {
    const text = `${pod(`  - name: a
    securityContext:
    image: x
  - name: b
    image: x
    securityContext: null # later
  - name: c
    volumeMounts: []
    command: |+
      run

  - name: d
    image: x
    securityContext: ~
`)}...
`;
    const changes = ['a', 'b', 'c', 'd'].map(name => ref(name, [ro, writable('/tmp', 'tmpfs', 'tmp')]));
    const result = patch(text, changes);
    expect(result.text).toBe(`${pod(`  - name: a
    securityContext:
      readOnlyRootFilesystem: true
    image: x
    volumeMounts:
    - name: tmp
      mountPath: /tmp
  - name: b
    image: x
    securityContext: # later
      readOnlyRootFilesystem: true
    volumeMounts:
    - name: tmp-2
      mountPath: /tmp
  - name: c
    volumeMounts:
    - name: tmp-3
      mountPath: /tmp
    command: |+
      run

    securityContext:
      readOnlyRootFilesystem: true
  - name: d
    image: x
    securityContext:
      readOnlyRootFilesystem: true
    volumeMounts:
    - name: tmp-4
      mountPath: /tmp
  volumes:
  - name: tmp
    emptyDir:
      sizeLimit: 64Mi
  - name: tmp-2
    emptyDir:
      sizeLimit: 64Mi
  - name: tmp-3
    emptyDir:
      sizeLimit: 64Mi
  - name: tmp-4
    emptyDir:
      sizeLimit: 64Mi
`)}...
`);
    expect(patch(result.text, changes).text).toBe(result.text);
  });

  it('extends a container written in flow style, and a multi-line flow map with its comment', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: a, image: x}, {name: b, image: y, securityContext: {
    runAsNonRoot: true,  # keep
  }}]}
`;
    const result = patch(text, [ref('a', [ro, writable('/tmp', 'tmpfs', 'a-tmp', {sizeMiB: 16})]), ref('b', [nnp])]);
    expect(result.text).toBe(`apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: a, image: x, securityContext: {readOnlyRootFilesystem: true}, volumeMounts: [{name: a-tmp, mountPath: /tmp}]}, {name: b, image: y, securityContext: {
    runAsNonRoot: true, allowPrivilegeEscalation: false,  # keep
  }}], volumes: [{name: a-tmp, emptyDir: {sizeLimit: 16Mi}}]}
`);
  });

  it('adds a StatefulSet volume as a volumeClaimTemplates entry with a name no other volume has', () => {
    const text = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres:16
        volumeMounts:
        - name: data
          mountPath: /var/lib/postgresql/data
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 10Gi
`;
    const result = patch(text, [ref('db', [writable('/var/lib/postgresql/archive', 'volume', 'data'), writable('/var/run/postgresql', 'tmpfs', 'data', {sizeMiB: 8})], {kind: 'StatefulSet', name: 'db'})]);
    expect(result.text).toBe(`apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres:16
        volumeMounts:
        - name: data
          mountPath: /var/lib/postgresql/data
        - name: data-2
          mountPath: /var/lib/postgresql/archive
        - name: data-3
          mountPath: /run/postgresql
      volumes:
      - name: data-3
        emptyDir:
          sizeLimit: 8Mi
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 10Gi
  - metadata:
      name: data-2
      labels:
        app.kubernetes.io/managed-by: harden-wizard
    spec:
      accessModes:
      - ReadWriteOnce
      resources:
        requests:
          storage: 1Gi
`);
    expect(result.created).toEqual([]);
    expect(result.skipped.map(s => s.what)).toEqual(['an in-place update of StatefulSet db']);
  });

  it('names a claim after generateName and puts it in the workload namespace', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: job-\n  namespace: batch\nspec:\n  containers:\n  - name: a\n    image: x\n';
    const result = patch(text, [ref('a', [writable('/srv/data', 'volume', 'data')], {kind: 'Pod', name: 'job-'})]);
    expect(result.text).toBe(`${text}    volumeMounts:\n    - name: data\n      mountPath: /srv/data\n  volumes:\n  - name: data\n    persistentVolumeClaim:\n      claimName: job-data\n`);
    expect(result.created.map(c => c.file)).toEqual(['k8s/job-data-pvc.yaml']);
    expect(result.created[0]!.text).toContain('  name: job-data\n  namespace: batch\n');
    expect(patch(text, [ref('a', [writable('/srv/data', 'volume', 'data')], {kind: 'Pod', name: 'job-'})], new Set(['k8s/job-data-pvc.yaml'])).created).toEqual([]);
  });

  it('gives each container its own claim when two ask for the same volume name', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: x\n  - name: b\n    image: y\n';
    const result = patch(text, [ref('a', [writable('/data', 'volume', 'shared')]), ref('b', [writable('/data', 'volume', 'shared')])]);
    expect(result.created.map(c => c.file)).toEqual(['k8s/p-shared-pvc.yaml', 'k8s/p-shared-2-pvc.yaml']);
    expect(result.text).toContain('claimName: p-shared-2\n');
  });
});
