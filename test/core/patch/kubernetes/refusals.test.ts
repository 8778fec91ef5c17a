import {describe, expect, it} from 'vitest';
import {patchKubernetes} from '../../../../source/core/patch/kubernetes/index.js';
import {verifyPatch} from '../../../../source/core/patch/kubernetes/verify.js';
import {parseKubernetes} from '../../../../source/core/parse/kubernetes.js';
import {nnp, patch, pod, ref, ro, runAs, writable} from './helpers.js';

describe('patchKubernetes refuses what it cannot patch', () => {
  it('refuses a Helm template, at the line of the first {{', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: {{ .Values.name }}\n';
    expect(patchKubernetes('chart/templates/web.yaml', text, [ref('web', [ro], {kind: 'Deployment', name: 'web'})])).toEqual({
      ok: false,
      error: {file: 'chart/templates/web.yaml', line: 6, message: 'Helm template: not patchable; render it (helm template) and apply the fix to the values or the chart'},
    });
  });

  it('refuses invalid YAML with the line the parser gives', () => {
    const result = patchKubernetes('k8s/app.yaml', pod('  - name: a\n   image: x\n'), [ref('a', [ro])]);
    expect(result).toMatchObject({ok: false, error: {file: 'k8s/app.yaml', line: 8}});
  });

  it('refuses a change set for a container the file does not have', () => {
    expect(patchKubernetes('k8s/app.yaml', pod('  - name: a\n    image: x\n'), [ref('b', [ro])])).toEqual({
      ok: false,
      error: {file: 'k8s/app.yaml', line: 1, message: 'container b of Pod p (document 1) is not in the file'},
    });
  });

  it('reports a failed check after the edit as an error, so nothing is written', () => {
    const text = pod('  - name: a\n    image: x\n');
    const containers = parseKubernetes('k8s/app.yaml', text).facts!.containers;
    const never = {kind: 'set' as const, at: 'container' as const, path: ['securityContext', 'readOnlyRootFilesystem'], run: () => ({kind: 'same' as const}), check: () => false};
    const problem = verifyPatch('k8s/app.yaml', {documents: 1, containers}, text, [{ref: {document: 0, workload: {kind: 'Pod', name: 'p'}, container: 'a', init: false}, step: never}]);
    expect(problem).toEqual({line: 7, message: 'container a of Pod p: securityContext.readOnlyRootFilesystem is not as intended after the patch; nothing was written'});
    expect(verifyPatch('k8s/app.yaml', {documents: 2, containers}, text, [])?.message).toMatch(/number of YAML documents from 2 to 1/);
    expect(verifyPatch('k8s/app.yaml', {documents: 1, containers}, text + '  - name: b\n    image: y\n', [])?.message).toMatch(/list of containers/);
  });
});

describe('patchKubernetes skips, with a reason, what it must not change', () => {
  it('leaves containers written through anchors, aliases and merge keys to a person', () => {
    const text = pod(`  - &base
    name: a
    image: x
  - <<: *base
    name: b
  - name: c
    image: x
    securityContext: &sc
      runAsNonRoot: true
  - name: d
    image: x
    securityContext: *sc
`);
    const result = patch(text, ['a', 'b', 'c', 'd'].map(name => ref(name, [ro])));
    expect(result.text).toBe(text);
    expect(result.skipped.map(s => [s.container, s.reason])).toEqual([
      ['a', 'it is written through a YAML anchor, alias or merge key, so an edit would change every place that uses it; change it by hand'],
      ['b', 'it is written through a YAML anchor, alias or merge key, so an edit would change every place that uses it; change it by hand'],
      ['c', 'the mapping holding securityContext.readOnlyRootFilesystem has the YAML anchor &sc; editing it would change every place that uses it; change it by hand'],
      ['d', 'securityContext is the YAML alias *sc; editing it would change every place that uses it; change it by hand'],
    ]);
  });

  it('does not set allowPrivilegeEscalation: false where the API server would reject it, nor edit a securityContext that is not a mapping', () => {
    const text = pod(`  - name: a
    image: x
    securityContext:
      privileged: true
  - name: b
    image: x
    securityContext:
      capabilities:
        add: [SYS_ADMIN]
  - name: c
    image: x
    securityContext: none
`);
    const result = patch(text, [ref('a', [nnp, ro]), ref('b', [nnp]), ref('c', [ro])]);
    expect(result.text).toBe(text.replace('      privileged: true\n', '      privileged: true\n      readOnlyRootFilesystem: true\n'));
    expect(result.skipped.map(s => [s.container, s.rule, s.what, s.reason])).toEqual([
      ['a', 'privilege-escalation', 'securityContext.allowPrivilegeEscalation: false', 'Kubernetes refuses allowPrivilegeEscalation: false on a privileged container; remove privileged: true first'],
      ['b', 'privilege-escalation', 'securityContext.allowPrivilegeEscalation: false', 'Kubernetes refuses allowPrivilegeEscalation: false on a container that adds CAP_SYS_ADMIN; remove that capability first'],
      ['c', 'read-only-rootfs', 'securityContext.readOnlyRootFilesystem: true', 'securityContext is not a mapping'],
    ]);
  });

  it('sets runAsNonRoot only where the kubelet can start the container', () => {
    const text = pod('  - name: a\n    image: x\n  - name: b\n    image: x\n  - name: c\n    image: x\n', '  securityContext:\n    runAsUser: 0\n');
    const result = patch(text, [ref('a', [runAs({uid: 0})]), ref('b', [runAs({})]), ref('c', [runAs({uid: 1000})])]);
    expect(result.text).toBe(`${text}    securityContext:\n      runAsNonRoot: true\n      runAsUser: 1000\n`);
    expect(result.skipped.map(s => [s.container, s.reason])).toEqual([
      ['a', 'uid 0 is root; runAsNonRoot would stop the container from starting'],
      ['b', 'runAsUser: 0 is set, and with runAsNonRoot the kubelet would refuse to start the container; give a non-root uid (--user UID:GID)'],
    ]);
  });

  it('says so when runAsNonRoot goes in without a uid', () => {
    const result = patch(pod('  - name: a\n    image: x\n'), [ref('a', [runAs({user: 'app'})])]);
    expect(result.text).toBe(pod('  - name: a\n    image: x\n    securityContext:\n      runAsNonRoot: true\n'));
    expect(result.skipped).toEqual([
      {
        container: 'a',
        rule: 'root-user',
        what: 'securityContext.runAsUser',
        reason: "no numeric uid is known for app; with runAsNonRoot alone the kubelet starts the container only when the image's USER is numeric and not 0, so set runAsUser if it is a name",
        document: 0,
        workload: {kind: 'Pod', name: 'p'},
      },
    ]);
  });

  it('skips relative paths and Dockerfile changes', () => {
    const text = pod('  - name: a\n    image: x\n');
    const result = patch(text, [ref('a', [{kind: 'dockerfile-user', user: 'app', rule: 'root-user', reason: 'test'}, writable('relative/dir', 'tmpfs', 'x')])]);
    expect(result.text).toBe(text);
    expect(result.skipped.map(s => s.reason)).toEqual(['a Dockerfile change; it does not apply to a Kubernetes manifest', 'relative/dir is not an absolute path']);
  });
});
