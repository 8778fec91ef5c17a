import {LineCounter, type Node} from 'yaml';
import type {Finding, Target} from '../model/finding.js';
import {asMap, get, items, lineOf, scalar, type YamlContext} from '../parse/yaml-nodes.js';
import {parseYamlDocuments} from '../parse/yaml-parse.js';
import {policyFinding} from './unsigned-image-policy.js';

/*
 * The project-wide half of unsigned-image-policy: finding admission policies that verify
 * image signatures in the scanned manifests. It reads YAML, so it lives apart from the rule's
 * metadata: the rule table (rules/index.ts) loads no parser, and neither does the wizard's
 * first screen, which lists the rules.
 */

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
    for (const doc of parseYamlDocuments(text, {lineCounter: lines})) {
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

