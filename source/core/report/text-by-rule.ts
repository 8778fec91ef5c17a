import type {AuditReport, Finding, Target, TargetKind} from '../model/finding.js';
import type {Rule} from '../rules/rule.js';
import type {Paint} from './paint.js';
import {podSecuritySection} from './text-pod-security.js';
import {detailGroups, ruleOrder, targetsLine, worst} from './rule-groups.js';
import {placeLines} from './text-places.js';
import type {PlaceContext} from './text-places.js';
import {compareText, countBySeverity, descending, groupBy, location, plural, printable, severityStyle, sortedErrors, summaryLine, tags, wrap} from './text-parts.js';

/*
 * The default text layout. A collection of 40 compose apps printed 2,925 lines by file,
 * the same read-only explanation 81 times. Here the counts come first, then one section
 * per rule: its why and fix once, then only what sets each finding apart (the path, the
 * image, the value found; Finding.detail) with where it is. Findings with the same
 * detail share an entry, and the findings of one file share a line; a rule that every
 * service breaks but a few names the few (text-places.ts).
 */

/** What the layout needs beyond the report. */
export interface ByRuleOptions {
  /** Rule metadata: the why and fix printed once per rule. A rule missing here shows its findings' whole messages. */
  rules: readonly Rule[];
  /** Columns to wrap prose to. */
  width: number;
}

/** The aligned table of findings by rule and severity; only the severities that occur get a column. */
function countTable(ids: readonly string[], byRule: Map<string, Finding[]>, findings: readonly Finding[]): string[] {
  const present = descending.filter(s => findings.some(f => f.severity === s));
  const rows = ids.map(id => {
    const counts = countBySeverity(byRule.get(id)!);
    return [printable(id), ...present.map(s => (counts[s] === 0 ? '-' : String(counts[s]))), String(byRule.get(id)!.length)];
  });
  const all = countBySeverity(findings);
  const header = ['rule', ...present, 'total'];
  const table = [header, ...rows, ['total', ...present.map(s => String(all[s])), String(findings.length)]];
  const widths = header.map((_, i) => Math.max(...table.map(row => row[i]!.length)));
  return table.map(row => `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`.trimEnd());
}

/** One rule: a header, its why and fix, then the findings grouped by what sets them apart. */
function* ruleLines(id: string, findings: readonly Finding[], rule: Rule | undefined, context: PlaceContext, paint: Paint): Generator<string> {
  const {width} = context;
  const counts = countBySeverity(findings);
  const mixed = descending.filter(s => counts[s] > 0);
  const count = mixed.length > 1 ? `${findings.length}: ${mixed.map(s => `${counts[s]} ${s}`).join(', ')}` : String(findings.length);
  const severity = worst(findings);
  const tag = paint(severityStyle[severity], severity === 'high' ? paint('bold', tags.high) : tags[severity]);
  // The title goes with the rule id when the header fits the width, else it opens the paragraph.
  const titled = rule !== undefined && `${tags[severity]}  ${id}: ${rule.title} (${count})`.length <= width;
  yield `${tag}  ${paint('bold', paint('magenta', printable(id)))}${titled ? paint('bold', `: ${rule.title}`) : ''} (${count})`;
  // Prose past 100 columns is hard to read; the lists of places use the whole width.
  const prose = Math.min(width, 100);
  if (rule) yield* wrap(`${titled ? '' : `${rule.title}. `}${rule.why} Fix: ${rule.fix}`, 2, prose).map(l => paint('dim', l));
  for (const group of detailGroups(findings, rule)) {
    if (group.details.length === 0) {
      yield* placeLines([], group.findings, context, 2);
      continue;
    }
    // A detail that is a whole sentence (a message, for a finding without detail) takes no colon; its places go below.
    const sentence = (key: string) => /[.!?]$/.test(key);
    const last = group.details.length - 1;
    const lead = group.details.flatMap((key, i) => wrap(`${printable(key)}${sentence(key) ? '' : i === last ? ':' : ';'}`, 2, prose));
    if (sentence(group.details[last]!)) lead.push('');
    yield* placeLines(lead, group.findings, context, 4);
  }
}

/** Heading, errors, counts, one section per rule, then the one-line summary. */
export function* linesByRule(report: AuditReport, paint: Paint, options: ByRuleOptions): Generator<string> {
  if (report.errors.length > 0) {
    yield paint('red', paint('bold', 'Errors'));
    for (const e of sortedErrors(report.errors)) yield `  ${printable(location(e.file, e.line))}: ${printable(e.message)}`;
    yield '';
  }
  if (report.targets.length === 0 && report.findings.length === 0) {
    yield* ['No targets found.', '', paint('bold', summaryLine(report))];
    return;
  }
  const last = wrap(summaryLine(report), 0, options.width).map(l => paint('bold', l));
  yield* wrap(targetsLine(report.targets), 0, options.width);
  if (report.findings.length === 0) {
    yield* podSecuritySection(report, paint, options.width);
    yield* ['', ...last];
    return;
  }
  const byRule = groupBy(report.findings, f => f.rule);
  const ids = ruleOrder(byRule, options.rules);
  const fixable = report.findings.filter(f => f.fixable).length;
  yield `${plural(report.findings.length, 'finding')}${fixable > 0 ? ` (${fixable} fixable by "harden fix")` : ''}:`;
  yield* countTable(ids, byRule, report.findings);
  const rules = new Map(options.rules.map(r => [r.id, r]));
  const context: PlaceContext = {
    targets: new Map(report.targets.map(t => [t.id, t])),
    byKind: groupBy([...report.targets].sort((a, b) => compareText(a.file, b.file) || a.line - b.line), t => t.kind) as Map<TargetKind, Target[]>,
    width: options.width,
  };
  for (const id of ids) {
    yield '';
    yield* ruleLines(id, byRule.get(id)!, rules.get(id), context, paint);
  }
  yield* podSecuritySection(report, paint, options.width);
  yield '';
  yield* last;
}
