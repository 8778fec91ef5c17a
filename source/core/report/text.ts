import {severityOrder} from '../model/finding.js';
import type {AuditError, AuditReport, Finding, Severity, Target} from '../model/finding.js';
import {showBytes} from '../parse/utf8.js';
import {painter, type Paint, type Style} from './paint.js';

/** Options for the terminal report. */
export interface TextOptions {
  /** Emit ANSI colours; when false the output holds no escape byte at all. */
  color: boolean;
  /** How to name the audited directory in the heading, such as `.` or `./shop`; no heading when absent. */
  cwdLabel?: string;
}

const width = 80;

/** The fixed-width tags, all four columns wide so messages line up. */
const tags: Record<Severity, string> = {high: 'HIGH', medium: 'MED ', low: 'LOW ', info: 'INFO'};

/** Most severe first: the order in which a reader should act. */
const descending: readonly Severity[] = [...severityOrder].reverse();

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

const severityStyle: Record<Severity, Style> = {high: 'red', medium: 'yellow', low: 'cyan', info: 'dim'};

/**
 * Greedy word wrap to `width` columns, every line starting with `indent` spaces. A word
 * longer than a line (a long path) is kept whole rather than broken.
 */
export function wrap(text: string, indent: number, columns = width): string[] {
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

function location(file: string, line: number): string {
  return line >= 1 ? `${file}:${line}` : file;
}

function findingLines(f: Finding, paint: Paint): string[] {
  const tag = paint(severityStyle[f.severity], f.severity === 'high' ? paint('bold', tags.high) : tags[f.severity]);
  const head = `    ${tag}  ${printable(location(f.file, f.line))}  ${paint('magenta', printable(f.rule))}`;
  return [head, ...wrap(printable(f.message), 10)];
}

function targetLine(t: Target, count: number, paint: Paint): string {
  const what = `  ${paint('bold', printable(t.name))} ${paint('dim', `(${t.kind}, line ${t.line})`)}`;
  return count === 0 ? `${what}: ${paint('green', 'no findings')}` : what;
}

/** `  file:line: message`, continuation lines indented two more columns. */
function errorLines(e: AuditError): string[] {
  const [first = '', ...rest] = wrap(`${printable(location(e.file, e.line))}: ${printable(e.message)}`, 4);
  return [first.slice(2), ...rest];
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
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/**
 * The report for a terminal: one block per file (sorted), each target followed by its
 * findings, then the errors, then one summary line. Fits 80 columns except for words
 * (paths) longer than a line.
 */
export function formatText(report: AuditReport, options: TextOptions): string {
  return [...textChunks(report, options)].join('');
}

/** About how much text each piece of {@link textChunks} holds. */
const chunkChars = 1 << 16;

/**
 * The text of {@link formatText} in pieces of about 64 KiB, for writing: the report of one
 * compose file of 32,000 services is 70 MB of text, and as one array of lines and one
 * string it doubled the audit's time and memory.
 */
export function* textChunks(report: AuditReport, options: TextOptions): Generator<string> {
  let buffer = '';
  for (const line of textLines(report, options)) {
    buffer += `${line}\n`;
    if (buffer.length >= chunkChars) {
      yield buffer;
      buffer = '';
    }
  }
  yield buffer;
}

function* textLines(report: AuditReport, options: TextOptions): Generator<string> {
  const paint = painter(options.color);
  if (options.cwdLabel !== undefined) yield* [paint('bold', `Audit of ${printable(options.cwdLabel)}`), ''];

  const byTarget = groupBy(report.findings, f => f.target);
  const known = new Set(report.targets.map(t => t.id));
  // A finding whose target is missing from the report still has to be shown: under its own file.
  const orphans = groupBy(report.findings.filter(f => !known.has(f.target)), f => f.file);
  const targetsByFile = groupBy(report.targets, t => t.file);
  const files = [...new Set([...targetsByFile.keys(), ...orphans.keys()])].sort(compareText);

  for (const file of files) {
    yield paint('bold', printable(file));
    const targets = (targetsByFile.get(file) ?? []).sort((a, b) => a.line - b.line || compareText(a.name, b.name));
    for (const t of targets) {
      const own = (byTarget.get(t.id) ?? []).sort(compareFindings);
      yield targetLine(t, own.length, paint);
      for (const f of own) yield* findingLines(f, paint);
    }
    const loose = (orphans.get(file) ?? []).sort(compareFindings);
    if (loose.length > 0) yield `  ${paint('dim', '(no target)')}`;
    for (const f of loose) yield* findingLines(f, paint);
    yield '';
  }
  if (files.length === 0) yield* ['No targets found.', ''];

  if (report.errors.length > 0) {
    yield paint('red', paint('bold', 'Errors'));
    const errors = [...report.errors].sort((a, b) => compareText(a.file, b.file) || a.line - b.line);
    for (const e of errors) yield* errorLines(e);
    yield '';
  }

  yield paint('bold', summaryLine(report));
}
