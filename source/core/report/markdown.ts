import type {AuditReport, Finding, Target} from '../model/finding.js';
import type {Rule} from '../rules/rule.js';
import {findingsByRule} from './markdown-by-rule.js';
import {code, escapeMarkdown, names, row, summaryTable} from './markdown-parts.js';
import {compareFindings, compareText, plural} from './text.js';

export {escapeMarkdown} from './markdown-parts.js';

/*
 * For a pull-request comment or a CI job summary. File names and messages come from the
 * audited project, so every cell is escaped: a `|` would end the cell, a backtick would
 * open a code span, a newline would end the table row. Rule prose is ours and may use
 * Markdown on purpose, so it is printed as written.
 */

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

/** What the Markdown needs beyond the report and the rules. */
export interface MarkdownOptions {
  /** Which rules were left out (`--only`/`--skip`), said first. */
  selection?: string;
  /** The long layout: findings by file, each with its whole message, and the rules after (`--verbose`). */
  verbose?: boolean;
}

/**
 * The report as Markdown: title, counts, then by default each rule explained once with its
 * places (markdown-by-rule.ts); with `verbose`, findings by file with whole messages, errors,
 * and the rules that fired.
 */
export function formatMarkdown(report: AuditReport, rules: readonly Rule[], options: MarkdownOptions = {}): string {
  const tool = `${escapeMarkdown(report.tool.name)} ${escapeMarkdown(report.tool.version)}`;
  const outcome = [report.findings.length === 0 ? 'no findings' : plural(report.findings.length, 'finding')];
  if (report.errors.length > 0) outcome.push(plural(report.errors.length, 'error'));
  const intro =
    report.targets.length === 0 && report.errors.length === 0
      ? `${tool} found no targets to audit.`
      : `${tool} audited ${plural(report.targets.length, 'target')}: ${outcome.join(', ')}.`;
  // Concatenated, not pushed with a spread: a spread of 100,000 lines overflows the call stack.
  let lines = ['# Container immutability audit', '', intro, ''];
  if (options.selection !== undefined) lines.push(`**${escapeMarkdown(options.selection)}**`, '');
  lines = lines.concat('## Summary', '', summaryTable(report.findings));
  lines = lines.concat('', '## Findings', '', options.verbose ? findingSections(report) : findingsByRule(report, rules));
  if (report.errors.length > 0) lines = lines.concat('', '## Errors', '', errorSection(report));
  if (options.verbose && report.findings.length > 0) lines = lines.concat('', '## Rules', '', ruleSection(report, rules));
  return lines.join('\n') + '\n';
}
