import {severityOrder} from '../model/finding.js';
import type {Finding, Severity} from '../model/finding.js';
import {countBySeverity, printable} from './text-parts.js';

/* What both Markdown layouts use: names, escaping, table rows and the counts table. */

export const names: Record<Severity, string> = {high: 'High', medium: 'Medium', low: 'Low', info: 'Info'};

export const descending: readonly Severity[] = [...severityOrder].reverse();

/**
 * Text safe inside a table cell or a heading: Markdown punctuation is backslash-escaped
 * (CommonMark allows it before any ASCII punctuation) and newlines become `<br>`.
 */
export function escapeMarkdown(text: string): string {
  return printable(text.replace(/\r\n?/g, '\n'))
    .replace(/[\\`|*_~<>[\]&#]/g, c => `\\${c}`)
    .replaceAll('\n', '<br>');
}

/**
 * {@link escapeMarkdown} for the start of a list item or a paragraph, where a `-`, `+`,
 * `1.`, `=` or leading spaces of a file name would open a list, a heading or a code block.
 */
export function escapeLineStart(text: string): string {
  return escapeMarkdown(text).replace(/^(?:[-+=]|\d{1,9}(?=[.)]))/, m => (/^\d/.test(m) ? `${m}\\` : `\\${m}`)).replace(/^ /, '&#32;');
}

/** A rule id as inline code, unless it could break out of the code span. */
export function code(text: string): string {
  return /[`\r\n]/.test(text) ? escapeMarkdown(text) : `\`${printable(text).replaceAll('|', '\\|')}\``;
}

export function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function summaryTable(findings: readonly Finding[]): string[] {
  const counts = countBySeverity(findings);
  return [
    row(['Severity', 'Findings']),
    row([':---', '---:']),
    ...descending.map(s => row([names[s], String(counts[s])])),
    row(['**Total**', `**${findings.length}**`]),
  ];
}
