import type {Finding, Target} from '../model/finding.js';
import type {Rule} from './rule.js';

/*
 * A digest says which image runs; only a signature says who built it. Without an
 * admission policy that verifies signatures, a pushed-over tag or a digest of an image
 * nobody in the team built is admitted as readily as the real one. This is a property
 * of the project, not of one container, so it is checked once over all scanned files:
 * a Kyverno policy with `verifyImages` (or a Kyverno ImageValidatingPolicy), a sigstore
 * policy-controller ClusterImagePolicy, or OpenShift's sigstore ClusterImagePolicy /
 * ImagePolicy (config.openshift.io) in any manifest counts.
 */

/** Metadata for reports (SARIF lists every rule); the check runs project-wide in {@link policyFinding}. */
export const unsignedImagePolicyRule: Rule = {
  id: 'unsigned-image-policy',
  severity: 'low',
  title: 'No admission policy verifies image signatures',
  why: 'Pinning says which image runs, not who built it: without a policy that verifies signatures, the cluster admits any image under a trusted name, including one pushed by someone who should not.',
  fix: 'Sign images in CI with cosign and add a Kyverno ClusterPolicy with verifyImages or a sigstore ClusterImagePolicy (templates/signing has both).',
  fixable: false,
  // Judged over the whole project by policyFinding(); a single subject says nothing about it.
  check: () => [],
};

/**
 * `unsigned-image-policy` (low) when the project has Kubernetes workloads (`k8sTargets`) and no
 * scanned file holds a policy that verifies image signatures (`hasPolicy`, from findImagePolicies
 * in image-policies.ts, which reads the YAML: kept apart so the rule table loads no parser). The
 * finding is attached to the first workload container, in file and line order.
 */
export function policyFinding(k8sTargets: readonly Target[], hasPolicy: boolean): Finding | undefined {
  if (k8sTargets.length === 0 || hasPolicy) return undefined;
  const first = [...k8sTargets].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))[0]!;
  const count = k8sTargets.length;
  return {
    rule: unsignedImagePolicyRule.id,
    severity: unsignedImagePolicyRule.severity,
    target: first.id,
    file: first.file,
    line: first.line,
    message: `No scanned manifest holds an admission policy that verifies image signatures, so the cluster would run ${count === 1 ? 'this container\'s image' : `the images of these ${count} containers`} whoever built them; sign images in CI with cosign and add a Kyverno ClusterPolicy with verifyImages or a sigstore ClusterImagePolicy (templates/signing).`,
    fixable: unsignedImagePolicyRule.fixable,
    detail: `no signature policy for ${count === 1 ? 'this container' : `these ${count} Kubernetes containers`}`,
  };
}
