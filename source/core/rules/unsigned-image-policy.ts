import {LineCounter, parseAllDocuments, type Node} from 'yaml';
import type {Finding, Target} from '../model/finding.js';
import {asMap, get, items, lineOf, scalar, type YamlContext} from '../parse/yaml-nodes.js';
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

/** Metadata for reports (SARIF lists every rule); the check runs project-wide in {@link unsignedImagePolicy}. */
export const unsignedImagePolicyRule: Rule = {
  id: 'unsigned-image-policy',
  severity: 'low',
  title: 'No admission policy verifies image signatures',
  why: 'Pinning says which image runs, not who built it: without a policy that verifies signatures, the cluster admits any image under a trusted name, including one pushed by someone who should not.',
  fix: 'Sign images in CI with cosign and add a Kyverno ClusterPolicy with verifyImages or a sigstore ClusterImagePolicy (templates/signing has both).',
  fixable: false,
  // Judged over the whole project by unsignedImagePolicy(); a single subject says nothing about it.
  check: () => [],
};

/** One admission policy that verifies signatures. */
export interface ImagePolicy {
  /** File it was found in, as given. */
  file: string;
  /** 1-based line where the object starts. */
  line: number;
  /** `kyverno.io/v1 ClusterPolicy`, `policy.sigstore.dev/v1beta1 ClusterImagePolicy`, ... */
  kind: string;
}

function verifiesImages(ctx: YamlContext, object: Node): boolean {
  const apiVersion = scalar(ctx, get(ctx, object, 'apiVersion'));
  const kind = scalar(ctx, get(ctx, object, 'kind'));
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return false;
  const group = apiVersion.split('/')[0];
  if (group === 'kyverno.io' && (kind === 'ClusterPolicy' || kind === 'Policy')) {
    return items(ctx, get(ctx, get(ctx, object, 'spec'), 'rules')).some(rule => items(ctx, get(ctx, rule, 'verifyImages')).length > 0);
  }
  if (group === 'policies.kyverno.io') return kind === 'ImageValidatingPolicy' || kind === 'NamespacedImageValidatingPolicy';
  if (group === 'policy.sigstore.dev') return kind === 'ClusterImagePolicy';
  if (group === 'config.openshift.io') return kind === 'ClusterImagePolicy' || kind === 'ImagePolicy';
  return false;
}

/** Every signature-verifying admission policy in the files; broken documents are skipped (the audit reports them). */
export function findImagePolicies(files: ReadonlyArray<{file: string; text?: string}>): ImagePolicy[] {
  const found: ImagePolicy[] = [];
  for (const {file, text} of files) {
    if (text === undefined || !/verifyImages|ImageValidatingPolicy|ImagePolicy/.test(text)) continue;
    const lines = new LineCounter();
    for (const doc of parseAllDocuments(text, {lineCounter: lines})) {
      if (!('errors' in doc) || doc.errors.length > 0) continue;
      const ctx: YamlContext = {doc, lines};
      const root = asMap(ctx, doc.contents);
      if (!root) continue;
      const objects: Node[] = scalar(ctx, get(ctx, root, 'kind')) === 'List' ? items(ctx, get(ctx, root, 'items')) : [root];
      for (const object of objects) {
        if (!verifiesImages(ctx, object)) continue;
        found.push({file, line: lineOf(ctx, object), kind: `${String(scalar(ctx, get(ctx, object, 'apiVersion')))} ${String(scalar(ctx, get(ctx, object, 'kind')))}`});
      }
    }
  }
  return found;
}

/**
 * `unsigned-image-policy` (low) when the project has Kubernetes workloads (`k8sTargets`) and
 * no scanned file holds a policy that verifies image signatures. The finding is attached to
 * the first workload container, in file and line order.
 */
export function unsignedImagePolicy(files: ReadonlyArray<{file: string; text?: string}>, k8sTargets: readonly Target[]): Finding | undefined {
  return k8sTargets.length === 0 ? undefined : policyFinding(k8sTargets, findImagePolicies(files).length > 0);
}

/** The finding of {@link unsignedImagePolicy} once the files are judged: `hasPolicy` when any holds a policy. */
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
  };
}
