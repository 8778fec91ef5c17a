import {severityOrder} from '../model/finding.js';
import type {AuditReport, Finding, Severity, Target} from '../model/finding.js';
import type {Rule} from '../rules/rule.js';
import {compareFindings, compareText, countBySeverity, plural, printable} from './text.js';

/*
 * For a pull-request comment or a CI job summary. File names and messages come from the
 * audited project, so every cell is escaped: a `|` would end the cell, a backtick would
 * open a code span, a newline would end the table row. Rule prose is ours and may use
 * Markdown on purpose, so it is printed as written.
 */

const names: Record<Severity, string> = {high: 'High', medium: 'Medium', low: 'Low', info: 'Info'};

const descending: readonly Severity[] = [...severityOrder].reverse();

/**
 * Text safe inside a table cell or a heading: Markdown punctuation is backslash-escaped
 * (CommonMark allows it before any ASCII punctuation) and newlines become `<br>`.
 */
export function escapeMarkdown(text: string): string {
  return printable(text.replace(/\r\n?/g, '\n'))
    .replace(/[\\`|*_~<>[\]&#]/g, c => `\\${c}`)
    .replaceAll('\n', '<br>');
}

/** A rule id as inline code, unless it could break out of the code span. */
function code(text: string): string {
  return /[`\r\n]/.test(text) ? escapeMarkdown(text) : `\`${printable(text).replaceAll('|', '\\|')}\``;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function summaryTable(findings: readonly Finding[]): string[] {
  const counts = countBySeverity(findings);
  return [
    row(['Severity', 'Findings']),
    row([':---', '---:']),
    ...descending.map(s => row([names[s], String(counts[s])])),
    row(['**Total**', `**${findings.length}**`]),
  ];
}

function targetLabel(id: string, targets: ReadonlyMap<string, Target>): string {
  const target = targets.get(id);
  return target === undefined ? escapeMarkdown(id) : `${escapeMarkdown(target.name)} (${target.kind})`;
}

function findingSections(report: AuditReport): string[] {
  if (report.findings.length === 0) return ['No findings.'];
  const targets = new Map(report.targets.map(t => [t.id, t]));
  // Grouped in one pass: filtering all findings once per file is quadratic on a large project.
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const files = [...byFile.keys()].sort(compareText);
  const lines: string[] = [];
  for (const file of files) {
    if (lines.length > 0) lines.push('');
    lines.push(`### ${escapeMarkdown(file)}`, '');
    lines.push(row(['Severity', 'Line', 'Rule', 'Target', 'Message', 'Fixable']));
    lines.push(row([':---', '---:', ':---', ':---', ':---', ':---']));
    const findings = byFile.get(file)!.sort(compareFindings);
    for (const f of findings) {
      lines.push(
        row([
          names[f.severity],
          String(f.line),
          code(f.rule),
          targetLabel(f.target, targets),
          escapeMarkdown(f.message),
          f.fixable ? 'yes' : 'no',
        ]),
      );
    }
  }
  return lines;
}

function errorSection(report: AuditReport): string[] {
  const errors = [...report.errors].sort((a, b) => compareText(a.file, b.file) || a.line - b.line);
  return [
    row(['File', 'Line', 'Message']),
    row([':---', '---:', ':---']),
  ].concat(errors.map(e => row([escapeMarkdown(e.file), e.line >= 1 ? String(e.line) : '-', escapeMarkdown(e.message)])));
}

function ruleSection(report: AuditReport, rules: readonly Rule[]): string[] {
  const known = new Map(rules.map(r => [r.id, r]));
  const fired = [...new Set(report.findings.map(f => f.rule))].sort(compareText);
  const lines: string[] = [];
  for (const id of fired) {
    if (lines.length > 0) lines.push('');
    const rule = known.get(id);
    if (rule === undefined) {
      lines.push(`### ${code(id)}`, '', 'No description available.');
      continue;
    }
    lines.push(`### ${code(id)}: ${rule.title}`, '');
    lines.push(`Default severity: ${names[rule.severity].toLowerCase()}. Fixable by \`harden fix\`: ${rule.fixable ? 'yes' : 'no'}.`);
    lines.push('', `**Why:** ${rule.why}`, '', `**Fix:** ${rule.fix}`);
  }
  return lines;
}

/** The report as Markdown: title, counts, findings per file, errors, and the rules that fired. */
export function formatMarkdown(report: AuditReport, rules: readonly Rule[], selection?: string): string {
  const tool = `${escapeMarkdown(report.tool.name)} ${escapeMarkdown(report.tool.version)}`;
  const outcome = [report.findings.length === 0 ? 'no findings' : plural(report.findings.length, 'finding')];
  if (report.errors.length > 0) outcome.push(plural(report.errors.length, 'error'));
  const intro =
    report.targets.length === 0 && report.errors.length === 0
      ? `${tool} found no targets to audit.`
      : `${tool} audited ${plural(report.targets.length, 'target')}: ${outcome.join(', ')}.`;
  // Concatenated, not pushed with a spread: a spread of 100,000 lines overflows the call stack.
  let lines = ['# Container immutability audit', '', intro, ''];
  if (selection !== undefined) lines.push(`**${escapeMarkdown(selection)}**`, '');
  lines = lines.concat('## Summary', '', summaryTable(report.findings));
  lines = lines.concat('', '## Findings', '', findingSections(report));
  if (report.errors.length > 0) lines = lines.concat('', '## Errors', '', errorSection(report));
  if (report.findings.length > 0) lines = lines.concat('', '## Rules', '', ruleSection(report, rules));
  return lines.join('\n') + '\n';
}
