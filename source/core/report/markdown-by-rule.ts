import type {AuditReport, Finding, Target} from '../model/finding.js';
import type {Rule} from '../rules/rule.js';
import {code, descending, escapeLineStart, escapeMarkdown, names, row} from './markdown-parts.js';
import {detailGroups, ruleOrder, worst} from './rule-groups.js';
import {countBySeverity, groupBy, plural} from './text-parts.js';

/*
 * The default Markdown layout, for a CI job summary or a pull-request comment: as the text
 * by rule, each rule's why and fix once, then the places. By file with every message whole,
 * the audit of 40 compose apps was 229 KB, beyond a pull-request comment's 65,536 characters.
 * A rule's places fold away under <details> when there are more than a few.
 */

/** Places shown open; more fold under <details>. */
const openPlaces = 10;

/** `a/compose.yaml:3 web, :11 db`: one file's places, the file named once; a Dockerfile's name is its file's. */
function fileEntry(file: string, findings: readonly Finding[], targets: ReadonlyMap<string, Target>): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return findings
    .map((f, i) => {
      const name = targets.get(f.target)?.name ?? f.target.slice(f.target.indexOf('#') + 1);
      const where = `${i === 0 ? escapeLineStart(file) : ''}${f.line >= 1 ? `:${f.line}` : ''}`;
      return name === base || name === '' ? where : `${where} ${escapeMarkdown(name)}`.trim();
    })
    .join(', ');
}

/** One bullet per file, in the order of the findings (detailGroups sorts them by file and line). */
function fileBullets(findings: readonly Finding[], targets: ReadonlyMap<string, Target>, indent: string): string[] {
  return [...groupBy(findings, f => f.file)].map(([file, own]) => `${indent}- ${fileEntry(file, own, targets)}`);
}

function ruleSection(id: string, findings: readonly Finding[], rule: Rule | undefined, targets: ReadonlyMap<string, Target>): string[] {
  const counts = countBySeverity(findings);
  const present = descending.filter(s => counts[s] > 0);
  const fixable = findings.filter(f => f.fixable).length;
  const bySeverity = present.length > 1 ? `: ${present.map(s => `${counts[s]} ${s}`).join(', ')}` : '';
  const lines = [`### ${code(id)}${rule ? `: ${rule.title}` : ''}`, ''];
  lines.push(`${names[worst(findings)]}, ${plural(findings.length, 'finding')}${bySeverity}${fixable > 0 ? ` (${fixable} fixable by \`harden fix\`)` : ''}.`, '');
  if (rule) lines.push(`**Why:** ${rule.why}`, '', `**Fix:** ${rule.fix}`, '');
  else lines.push('No description available.', '');
  // Pushed one by one: a spread of 200,000 bullets overflows the call stack, and a concat per
  // group copies the list each time (40,000 paths, each its own group, took 47 s).
  const places: string[] = [];
  for (const group of detailGroups(findings, rule)) {
    if (group.details.length > 0) places.push(`- ${group.details.map(escapeLineStart).join('; ')}`);
    for (const bullet of fileBullets(group.findings, targets, group.details.length === 0 ? '' : '  ')) places.push(bullet);
  }
  if (findings.length <= openPlaces) return lines.concat(places);
  return lines.concat(`<details><summary>Where: ${plural(findings.length, 'finding')}</summary>`, '', places, '', '</details>');
}

/** The counts by rule and severity; only the severities that occur get a column. */
function ruleTable(ids: readonly string[], byRule: ReadonlyMap<string, readonly Finding[]>, findings: readonly Finding[]): string[] {
  const present = descending.filter(s => findings.some(f => f.severity === s));
  const cells = (list: readonly Finding[]) => {
    const counts = countBySeverity(list);
    return present.map(s => (counts[s] === 0 ? '-' : String(counts[s])));
  };
  return [
    row(['Rule', ...present.map(s => names[s]), 'Total']),
    row([':---', ...present.map(() => '---:'), '---:']),
    ...ids.map(id => row([code(id), ...cells(byRule.get(id)!), String(byRule.get(id)!.length)])),
    row(['**Total**', ...cells(findings).map(c => `**${c}**`), `**${findings.length}**`]),
  ];
}

/** The findings by rule: a table of counts, then a section per rule, most severe first. */
export function findingsByRule(report: AuditReport, rules: readonly Rule[]): string[] {
  if (report.findings.length === 0) return ['No findings.'];
  const byRule = groupBy(report.findings, f => f.rule);
  const ids = ruleOrder(byRule, rules);
  const known = new Map(rules.map(r => [r.id, r]));
  const targets = new Map(report.targets.map(t => [t.id, t]));
  let lines = ruleTable(ids, byRule, report.findings);
  for (const id of ids) lines = lines.concat('', ruleSection(id, byRule.get(id)!, known.get(id), targets));
  return lines;
}
