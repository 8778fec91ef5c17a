import type {Finding, Severity, Target, TargetKind} from '../../core/model/finding.js';
import {severityOrder} from '../../core/model/finding.js';
import type {ScanResult} from '../services.js';

const kinds: Record<TargetKind, string> = {
  dockerfile: 'Dockerfile',
  'compose-service': 'compose service',
  'k8s-container': 'k8s container',
  container: 'running container',
  host: 'engine host',
};

export function kindLabel(kind: TargetKind): string {
  return kinds[kind];
}

/** `compose.yaml › web`; a Dockerfile is its path. */
export function targetLabel(target: Target): string {
  return target.kind === 'dockerfile' ? target.file : target.kind === 'container' ? target.name : `${target.file} › ${target.name}`;
}

/** The label of a target id in this scan (the id itself when the scan no longer has it). */
export function labelOf(scan: ScanResult, id: string): string {
  const target = scan.analysis.report.targets.find(t => t.id === id);
  return target ? targetLabel(target) : id;
}

export function worst(findings: readonly Finding[]): Severity | undefined {
  let result: Severity | undefined;
  for (const f of findings) if (result === undefined || severityOrder.indexOf(f.severity) > severityOrder.indexOf(result)) result = f.severity;
  return result;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What the wizard could not write to daemon.json, as the plain command to run as root. */
export const daemonCommand = (file: string) => `sudo harden fix --daemon-json ${file} --yes`;

/** The way on for a target whose image is not here: pull it only when the person says so. */
export function notVerifiedHint(why: string): string {
  return /is not on this machine$/.test(why) ? 'start the wizard with --pull to pull it, or harden verify --pull' : 'check the image name and the registry, or load the image (docker load)';
}
