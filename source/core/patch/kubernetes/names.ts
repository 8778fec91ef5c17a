import {posix} from 'node:path';
import {quote} from './render.js';

/*
 * Kubernetes names for what the patch adds: volume names are DNS-1123 labels
 * (lowercase letters, digits and '-', at most 63, alphanumeric at both ends); claim
 * names are DNS-1123 subdomains (also '.', at most 253).
 */

/** The label managed objects carry, so people (and a later sweep) can tell what the tool made. */
export const managedBy = {'app.kubernetes.io/managed-by': 'harden-wizard'} as const;

/** Storage a new claim asks for: a start that fits logs and small state; the user resizes it. */
export const claimSize = '1Gi';

function clean(name: string, allowed: RegExp, max: number): string {
  const cleaned = name.toLowerCase().replace(allowed, '-').replace(/^[^a-z0-9]+/, '').slice(0, max).replace(/[^a-z0-9]+$/, '');
  return cleaned || 'data';
}

/** A valid DNS-1123 label from any text. */
export function dnsLabel(name: string): string {
  return clean(name, /[^a-z0-9-]+/g, 63);
}

/** A valid DNS-1123 subdomain from any text. */
export function dnsSubdomain(name: string): string {
  return clean(clean(name, /[^a-z0-9.-]+/g, 253).replace(/[.-]*\.[.-]*/g, '.'), /[^a-z0-9.-]+/g, 253);
}

/** `base`, or `base-2`, `base-3`... the first not in `used`, still at most 63 characters. */
export function uniqueLabel(base: string, used: ReadonlySet<string>): string {
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const name = base.slice(0, 63 - suffix.length).replace(/-+$/, '') + suffix;
    if (!used.has(name)) return name;
  }
}

/** Where the claim manifest for a workload's volume goes: beside the manifest, `dir/<claim>-pvc.yaml`. */
export function claimFile(manifestFile: string, claim: string): string {
  const dir = posix.dirname(manifestFile);
  return dir === '.' ? `${claim}-pvc.yaml` : `${dir}/${claim}-pvc.yaml`;
}

/** The spec of a new claim: one node reads and writes it, as a pod's private data needs. */
export function claimSpec(): {accessModes: string[]; resources: {requests: {storage: string}}} {
  return {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: claimSize}}};
}

/** The text of a PersistentVolumeClaim manifest, in the line ends of the manifest it serves. */
export function claimManifest(claim: string, namespace: string | undefined, why: string, eol: string): string {
  const lines = [
    `# Created by harden-wizard: ${why.replace(/[\r\n]+/g, ' ')}`,
    '# Check the size and the storage class before you apply it.',
    'apiVersion: v1',
    'kind: PersistentVolumeClaim',
    'metadata:',
    `  name: ${quote(claim)}`,
    ...(namespace !== undefined ? [`  namespace: ${quote(namespace)}`] : []),
    '  labels:',
    ...Object.entries(managedBy).map(([key, value]) => `    ${key}: ${value}`),
    'spec:',
    '  accessModes:',
    '    - ReadWriteOnce',
    '  resources:',
    '    requests:',
    `      storage: ${claimSize}`,
  ];
  return lines.join(eol) + eol;
}
