import type {AuditReport} from '../model/finding.js';
import type {Rule} from '../rules/rule.js';
import {painter} from './paint.js';
import {linesByFile} from './text-by-file.js';
import {linesByRule} from './text-by-rule.js';
import {defaultWidth, printable, wrap} from './text-parts.js';

export {compareFindings, compareText, countBySeverity, plural, printable, summaryLine, wrap} from './text-parts.js';

/** Options for the terminal report. */
export interface TextOptions {
  /** Emit ANSI colours; when false the output holds no escape byte at all. */
  color: boolean;
  /** How to name the audited directory in the heading, such as `.` or `./shop`; no heading when absent. */
  cwdLabel?: string;
  /** The long layout: every finding under its target with its whole message (`audit --verbose`). */
  verbose?: boolean;
  /** Rule metadata for the default layout's explanations; without it each finding shows its whole message. */
  rules?: readonly Rule[];
  /** Columns to wrap prose to in the default layout: the terminal's, else 80. */
  width?: number;
  /** Which rules were left out (`--only`/`--skip`), said before anything else. */
  selection?: string;
}

/**
 * The report for a terminal. By default grouped by rule: counts first, each rule's why and
 * fix once, then where it was found. With `verbose`, one block per file (sorted), each
 * target followed by its findings' whole messages. Both fit the width except for words
 * (paths) longer than a line, which are never cut.
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
  // A saved report must say that it is not the whole audit.
  if (options.selection !== undefined) yield* [...wrap(options.selection, 0, Math.max(options.width ?? defaultWidth, 40)).map(l => paint('yellow', l)), ''];
  if (options.verbose) yield* linesByFile(report, paint);
  else yield* linesByRule(report, paint, {rules: options.rules ?? [], width: Math.max(options.width ?? defaultWidth, 40)});
}
