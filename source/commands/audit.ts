import {writeFile} from 'node:fs/promises';
import {parseArgs} from 'node:util';
import {auditFiles, type LoadedFile} from '../core/audit.js';
import {discover, type FoundFile} from '../core/discover/walk.js';
import {UserError} from '../core/model/errors.js';
import {atLeast, severityOrder, type AuditReport, type Severity} from '../core/model/finding.js';
import {decodeText, defaultMaxBytes} from '../core/parse/text.js';
import {formatReport, type Format} from '../core/report/index.js';
import {allRules} from '../core/rules/index.js';
import type {FileSystem} from '../runtime/ports.js';
import {nodeFileSystem} from '../runtime/fs/node-fs.js';
import {useColor} from './color.js';

declare const HARDEN_VERSION: string;

const formats: readonly Format[] = ['text', 'json', 'sarif', 'markdown'];

export interface AuditFlags {
  paths: string[];
  format: Format;
  output?: string;
  failOn: Severity | 'none';
  maxBytes: number;
  color: boolean;
}

export function parseAuditArgs(args: string[]): AuditFlags {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: {type: 'string', short: 'f', default: 'text'},
        output: {type: 'string', short: 'o'},
        'fail-on': {type: 'string', default: 'high'},
        'max-size': {type: 'string'},
        'no-color': {type: 'boolean', default: false},
      },
    });
  } catch (error) {
    throw new UserError((error as Error).message.split('\n')[0]!, 'run "harden audit --help" for the options');
  }
  const {values, positionals} = parsed;
  const format = values.format as Format;
  if (!formats.includes(format)) throw new UserError(`unknown --format "${values.format}"`, `use one of: ${formats.join(', ')}`);
  const failOn = values['fail-on'] as Severity | 'none';
  if (failOn !== 'none' && !severityOrder.includes(failOn)) {
    throw new UserError(`unknown --fail-on "${values['fail-on']}"`, 'use one of: high, medium, low, info, none');
  }
  let maxBytes = defaultMaxBytes;
  if (values['max-size'] !== undefined) {
    const mib = Number(values['max-size']);
    if (!Number.isFinite(mib) || mib <= 0) throw new UserError(`--max-size must be a positive number of MiB, not "${values['max-size']}"`);
    maxBytes = Math.round(mib * 1024 * 1024);
  }
  const flags: AuditFlags = {paths: positionals.length > 0 ? positionals : ['.'], format, failOn, maxBytes, color: false};
  if (values.output !== undefined) flags.output = values.output;
  flags.color = format === 'text' && flags.output === undefined && !values['no-color'] && useColor(process.stdout, process.env);
  return flags;
}

/** Discovers and reads the files under the given paths, then audits them. */
export async function auditPaths(fs: FileSystem, paths: string[], cwd: string, maxBytes: number, version: string): Promise<AuditReport> {
  const found = await discover(fs, paths, cwd);
  const loaded = await mapLimit(found.files, 32, file => load(fs, file, maxBytes));
  const report = auditFiles(loaded, {version});
  report.errors.unshift(...found.errors);
  return report;
}

async function load(fs: FileSystem, found: FoundFile, maxBytes: number): Promise<LoadedFile> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.read(found.path, maxBytes);
  } catch (error) {
    const code = (error as {code?: string}).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied; check the file mode' : `cannot read: ${(error as Error).message}`;
    return {file: found.file, type: found.type, error: why};
  }
  const decoded = decodeText(bytes, maxBytes);
  return decoded.ok ? {file: found.file, type: found.type, text: decoded.text} : {file: found.file, type: found.type, error: decoded.message};
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
  return results;
}

/** 1 for findings at or above the threshold, else 2 when some input could not be audited, else 0. */
export function exitCode(report: AuditReport, failOn: Severity | 'none'): number {
  if (failOn !== 'none' && report.findings.some(f => atLeast(f.severity, failOn))) return 1;
  return report.errors.length > 0 ? 2 : 0;
}

export async function run(args: string[]): Promise<number> {
  const flags = parseAuditArgs(args);
  const report = await auditPaths(nodeFileSystem, flags.paths, process.cwd(), flags.maxBytes, HARDEN_VERSION);
  const text = formatReport(report, flags.format, {color: flags.color, rules: allRules});
  if (flags.output === undefined) process.stdout.write(text);
  else {
    try {
      await writeFile(flags.output, text);
    } catch (error) {
      throw new UserError(`cannot write ${flags.output}: ${(error as Error).message}`, 'choose a writable path for --output');
    }
  }
  return exitCode(report, flags.failOn);
}
