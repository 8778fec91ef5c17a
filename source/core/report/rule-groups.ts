import {severityOrder} from '../model/finding.js';
import type {Finding, Severity, Target, TargetKind} from '../model/finding.js';
import type {Rule} from '../rules/rule.js';
import {kindNames} from './text-places.js';
import {compareText, groupBy, plural} from './text-parts.js';

/*
 * What the layouts by rule (text and Markdown) share: the order of the rules, and each
 * rule's findings grouped by what sets them apart, so both print the same groups.
 */

/** The most severe severity among the findings. */
export function worst(findings: readonly Finding[]): Severity {
  return findings.reduce<Severity>((w, f) => (severityOrder.indexOf(f.severity) > severityOrder.indexOf(w) ? f.severity : w), 'info');
}

/** Rules in the order to act on them: most severe first, then as the rule table lists them, then by id. */
export function ruleOrder(byRule: ReadonlyMap<string, readonly Finding[]>, rules: readonly Rule[]): string[] {
  const index = (id: string) => {
    const i = rules.findIndex(r => r.id === id);
    return i < 0 ? rules.length : i;
  };
  const rank = (id: string) => severityOrder.indexOf(worst(byRule.get(id)!));
  return [...byRule.keys()].sort((a, b) => rank(b) - rank(a) || index(a) - index(b) || compareText(a, b));
}

/** `120 targets: 95 compose services, 25 Dockerfiles`. */
export function targetsLine(targets: readonly Target[]): string {
  const counts = new Map<TargetKind, number>();
  for (const t of targets) counts.set(t.kind, (counts.get(t.kind) ?? 0) + 1);
  const kinds = (Object.keys(kindNames) as TargetKind[]).filter(k => counts.has(k)).map(k => `${counts.get(k)} ${kindNames[k][counts.get(k) === 1 ? 0 : 1]}`);
  return `${plural(targets.length, 'target')}${kinds.length > 0 ? `: ${kinds.join(', ')}` : ''}`;
}

/** Findings that share what sets them apart: their details (none for the rule's plain findings) and the places. */
export interface DetailGroup {
  /** The details, in order; empty for findings with nothing to set them apart. */
  details: string[];
  /** In file, line and target order. */
  findings: Finding[];
}

function byLocation(a: Finding, b: Finding): number {
  return compareText(a.file, b.file) || a.line - b.line || compareText(a.target, b.target);
}

/**
 * One rule's findings grouped by detail (Finding.detail; the whole message when the rule has
 * no explanation to print or the finding no detail): the plain ones first, then by detail.
 * Details found at exactly the same places share a group: the paths one image writes come together.
 */
export function detailGroups(findings: readonly Finding[], rule: Rule | undefined): DetailGroup[] {
  const detail = (f: Finding) => (rule && f.detail !== undefined ? f.detail : f.message);
  const groups = groupBy([...findings].sort(byLocation), detail);
  const keys = [...groups.keys()].sort(compareText);
  const result: DetailGroup[] = [];
  if (groups.has('')) result.push({details: [], findings: groups.get('')!});
  const places = (key: string) => groups.get(key)!.map(f => `${f.file}\n${f.line}\n${f.target}`).join('\n');
  for (const [, same] of groupBy(keys.filter(key => key !== ''), places)) result.push({details: same, findings: groups.get(same[0]!)!});
  return result;
}
