import {severityOrder} from '../model/finding.js';
import type {AuditError, AuditReport, Finding, Severity} from '../model/finding.js';
import {showBytes} from '../parse/utf8.js';
import type {Style} from './paint.js';

/** The width text is wrapped to when the terminal's is unknown (a pipe, a file). */
export const defaultWidth = 80;

/** The fixed-width tags, all four columns wide so what follows lines up. */
export const tags: Record<Severity, string> = {high: 'HIGH', medium: 'MED ', low: 'LOW ', info: 'INFO'};

export const severityStyle: Record<Severity, Style> = {high: 'red', medium: 'yellow', low: 'cyan', info: 'dim'};

/** Most severe first: the order in which a reader should act. */
export const descending: readonly Severity[] = [...severityOrder].reverse();

/** Count findings by severity; every severity is present, zero when none. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = {high: 0, medium: 0, low: 0, info: 0};
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/** Order findings for people: most severe first, then by file, line, rule and message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityOrder.indexOf(b.severity) - severityOrder.indexOf(a.severity) ||
    compareText(a.file, b.file) ||
    a.line - b.line ||
    compareText(a.rule, b.rule) ||
    compareText(a.message, b.message)
  );
}

/** Code-unit order, the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `1 finding`, `2 findings`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/*
 * File names and messages come from the audited project. A control byte in them could
 * move the cursor or recolour the terminal, so show it as a visible `\xNN` instead; so
 * too a byte that is not valid UTF-8 (kept in the text as a lone surrogate, which a
 * terminal would get as U+FFFD).
 */
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Replace control characters (other than tab and newline) and bytes that are not UTF-8 with a visible `\xNN`; tab becomes a space. */
export function printable(text: string): string {
  return showBytes(text)
    .replaceAll('\t', ' ')
    .replace(controls, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Greedy word wrap to `width` columns, every line starting with `indent` spaces. A word
 * longer than a line (a long path) is kept whole rather than broken.
 */
export function wrap(text: string, indent: number, columns = defaultWidth): string[] {
  const pad = ' '.repeat(indent);
  const room = Math.max(columns - indent, 20);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ').filter(w => w !== '')) {
      if (line !== '' && line.length + 1 + word.length > room) {
        lines.push(pad + line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(pad + line);
  }
  return lines;
}

/** `file:line`, or the file alone for a whole-file problem (line 0). */
export function location(file: string, line: number): string {
  return line >= 1 ? `${file}:${line}` : file;
}

/** Errors in file and line order. */
export function sortedErrors(errors: readonly AuditError[]): AuditError[] {
  return [...errors].sort((a, b) => compareText(a.file, b.file) || a.line - b.line);
}

/** `3 targets, 7 findings (2 high, 3 medium, 2 low), 1 error`, or `No findings.` when all is well. */
export function summaryLine(report: AuditReport): string {
  const {targets, findings, errors} = report;
  if (findings.length === 0 && errors.length === 0) return 'No findings.';
  const counts = countBySeverity(findings);
  const bySeverity = descending.filter(s => counts[s] > 0).map(s => `${counts[s]} ${s}`);
  const parts = [
    plural(targets.length, 'target'),
    findings.length === 0 ? 'no findings' : `${plural(findings.length, 'finding')} (${bySeverity.join(', ')})`,
  ];
  if (errors.length > 0) parts.push(plural(errors.length, 'error'));
  return parts.join(', ');
}

/** Items by key, each list in the items' order: one pass, where a filter per key is quadratic on one big file. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
