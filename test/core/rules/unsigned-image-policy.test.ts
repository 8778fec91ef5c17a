import {describe, expect, it} from 'vitest';
import type {Target} from '../../../source/core/model/finding.js';
import {findImagePolicies, unsignedImagePolicy} from '../../../source/core/rules/image-policies.js';
import {unsignedImagePolicyRule} from '../../../source/core/rules/unsigned-image-policy.js';

const target = (file: string, line: number, name = 'Deployment/web/web'): Target => ({id: `k8s-container:${file}#${name}`, kind: 'k8s-container', file, name, line});
const deployment = {file: 'k8s/deploy.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n'};

const kyverno = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: verify
spec:
  rules:
    - name: check
      match: {any: [{resources: {kinds: [Pod]}}]}
      verifyImages:
        - imageReferences: ["ghcr.io/acme/*"]
`;
const kyvernoValidateOnly = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: no-latest
spec:
  rules:
    - name: check
      validate: {message: no latest, pattern: {spec: {containers: [{image: "!*:latest"}]}}}
      verifyImages: []
`;
const sigstore = `apiVersion: policy.sigstore.dev/v1beta1
kind: ClusterImagePolicy
metadata:
  name: signed
spec:
  images: [{glob: "**"}]
`;

describe('unsigned-image-policy', () => {
  it('has the metadata SARIF lists, and finds nothing per subject', () => {
    expect(unsignedImagePolicyRule).toMatchObject({id: 'unsigned-image-policy', severity: 'low', fixable: false});
    expect(unsignedImagePolicyRule.check({} as never)).toEqual([]);
  });

  it('says nothing for a project without Kubernetes workloads', () => {
    expect(unsignedImagePolicy([deployment], [])).toBeUndefined();
  });

  it('reports once, on the first container in file and line order, when no policy verifies signatures', () => {
    const targets = [target('k8s/z.yaml', 3, 'a'), target('k8s/deploy.yaml', 20, 'b'), target('k8s/deploy.yaml', 9, 'c')];
    const finding = unsignedImagePolicy([deployment, {file: 'k8s/policy.yaml', text: kyvernoValidateOnly}, {file: 'broken.yaml'}], targets);
    expect(finding).toEqual({
      rule: 'unsigned-image-policy',
      severity: 'low',
      target: 'k8s-container:k8s/deploy.yaml#c',
      file: 'k8s/deploy.yaml',
      line: 9,
      message: expect.stringMatching(/^No scanned manifest holds an admission policy that verifies image signatures, so the cluster would run the images of these 3 containers whoever built them; .*Kyverno ClusterPolicy with verifyImages or a sigstore ClusterImagePolicy/),
      fixable: false,
      detail: 'no signature policy for these 3 Kubernetes containers',
    });
  });

  it.each([
    ['a Kyverno ClusterPolicy with verifyImages', kyverno],
    ['a Kyverno Policy in a List', `apiVersion: v1\nkind: List\nitems:\n  - ${kyverno.replace('ClusterPolicy', 'Policy').split('\n').join('\n    ').trimEnd()}\n`],
    ['a Kyverno ImageValidatingPolicy', 'apiVersion: policies.kyverno.io/v1alpha1\nkind: ImageValidatingPolicy\nmetadata: {name: x}\n'],
    ['a sigstore ClusterImagePolicy after a broken document', `a: [\n---\n${sigstore}`],
    ['an OpenShift ClusterImagePolicy', 'apiVersion: config.openshift.io/v1\nkind: ClusterImagePolicy\nmetadata: {name: x}\n'],
  ])('is satisfied by %s', (_name, text) => {
    expect(findImagePolicies([{file: 'k8s/policy.yaml', text}])).toHaveLength(1);
    expect(unsignedImagePolicy([deployment, {file: 'k8s/policy.yaml', text}], [target('k8s/deploy.yaml', 4)])).toBeUndefined();
  });

  it('does not count look-alikes', () => {
    for (const text of [
      kyvernoValidateOnly,
      sigstore.replace('policy.sigstore.dev', 'example.com'),
      'apiVersion: v1\nkind: ConfigMap\ndata: {note: "ClusterImagePolicy verifyImages"}\n',
    ]) {
      expect(findImagePolicies([{file: 'x.yaml', text}])).toEqual([]);
    }
  });
});
