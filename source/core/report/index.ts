import type {AuditReport} from '../model/finding.js';
import type {Rule} from '../rules/rule.js';
import {formatJson, jsonChunks} from './json.js';
import {formatMarkdown} from './markdown.js';
import {formatSarif} from './sarif.js';
import {formatText, textChunks, type TextOptions} from './text.js';

export {formatJson, jsonChunks} from './json.js';
export {formatMarkdown} from './markdown.js';
export {formatSarif} from './sarif.js';
export {formatText} from './text.js';

/** The output formats of `audit --format`. */
export type Format = 'text' | 'json' | 'sarif' | 'markdown';

/** Every format, in the order `--help` lists them. */
export const formats: readonly Format[] = ['text', 'json', 'sarif', 'markdown'];

/** True when `value` names a format; for parsing `--format`. */
export function isFormat(value: string): value is Format {
  return (formats as readonly string[]).includes(value);
}

/** What the formatters need beyond the report. */
export interface FormatOptions {
  /** ANSI colours in the text format; the other formats ignore it. */
  color: boolean;
  /** Rule metadata: SARIF's rule table and the Markdown rules section. */
  rules: readonly Rule[];
  /** How the text heading names the audited directory, such as `.`; no heading when absent. */
  cwdLabel?: string;
  /** The text format's long layout, by file with whole messages (`--verbose`). */
  verbose?: boolean;
  /** Columns the text format wraps to; 80 when absent. */
  width?: number;
  /** The tool's home page for SARIF's `tool.driver.informationUri`. */
  informationUri?: string;
  /** A sentence saying which rules were left out (`audit --only`/`--skip`): text and Markdown print it first. */
  selection?: string;
}

/** Render a report in one format; the result always ends with a newline. */
export function formatReport(report: AuditReport, format: Format, options: FormatOptions): string {
  switch (format) {
    case 'text':
      return formatText(report, textOptions(options));
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report, options.rules, {informationUri: options.informationUri});
    case 'markdown':
      return formatMarkdown(report, options.rules, {
        ...(options.selection === undefined ? {} : {selection: options.selection}),
        ...(options.verbose === undefined ? {} : {verbose: options.verbose}),
      });
    default: {
      const unknown: never = format;
      throw new Error(`unknown report format: ${String(unknown)}`);
    }
  }
}

/**
 * The text of {@link formatReport} in pieces, for writing: JSON and text come in pieces of
 * about 64 KiB (a large report is never one string); the other formats in one piece.
 */
export function formatChunks(report: AuditReport, format: Format, options: FormatOptions): Iterable<string> {
  if (format === 'json') return jsonChunks(report);
  if (format === 'text') return textChunks(report, textOptions(options));
  return [formatReport(report, format, options)];
}

function textOptions(options: FormatOptions): TextOptions {
  const text: TextOptions = {color: options.color, rules: options.rules};
  if (options.cwdLabel !== undefined) text.cwdLabel = options.cwdLabel;
  if (options.verbose !== undefined) text.verbose = options.verbose;
  if (options.width !== undefined) text.width = options.width;
  if (options.selection !== undefined) text.selection = options.selection;
  return text;
}
