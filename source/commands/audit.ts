import {writeOutputFile} from '../runtime/fs/output-file.js';
import {resolve} from 'node:path';
import {ProjectAudit} from '../core/audit.js';
import {UserError} from '../core/model/errors.js';
import {maxBytesFrom, parseCommandArgs, ruleIdsFrom} from './args.js';
import {auditOptions} from './options.js';
import {atLeast, severityOrder, type AuditError, type AuditReport, type Severity} from '../core/model/finding.js';
import type {ContainerFacts, HostFacts} from '../core/model/facts.js';
import {readContainers} from '../runtime/containers.js';
import {formatChunks, type Format} from '../core/report/index.js';
import {allRules} from '../core/rules/index.js';
import type {ContainerEngine, FileSystem} from '../runtime/ports.js';
import {nodeFileSystem} from '../runtime/fs/node-fs.js';
import {scanProject} from '../runtime/project/load.js';
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
  /** Text format: the long layout, by file with each finding's whole message. */
  verbose: boolean;
  /** Text format: columns to wrap to (the terminal's when standard output is one). */
  width?: number;
  /** Also audit the engine's containers (running; stopped too with `all`). */
  containers: boolean;
  all: boolean;
  /** Also audit the engine's host and daemon; `daemonConfig` overrides where daemon.json is read. */
  host?: {daemonConfig?: string};
  /** Report only these rules' findings (`--only`). */
  only?: Set<string>;
  /** Leave these rules' findings out (`--skip`). */
  skip?: Set<string>;
}

export function parseAuditArgs(args: string[]): AuditFlags {
  const parsed = parseCommandArgs('audit', args, auditOptions);
  const {values, positionals} = parsed;
  const format = values.format as Format;
  if (!formats.includes(format)) throw new UserError(`unknown --format "${values.format}"`, `use one of: ${formats.join(', ')}`);
  const failOn = values['fail-on'] as Severity | 'none';
  if (failOn !== 'none' && !severityOrder.includes(failOn)) {
    throw new UserError(`unknown --fail-on "${values['fail-on']}"`, 'use one of: high, medium, low, info, none');
  }
  const maxBytes = maxBytesFrom(values['max-size']);
  if (values.all && !values.containers) throw new UserError('--all goes with --containers', 'run "harden audit --containers --all" to include stopped containers');
  if (values['daemon-config'] !== undefined && !values.host) throw new UserError('--daemon-config goes with --host', 'run "harden audit --host --daemon-config FILE"');
  // With --containers or --host alone, the engine is the subject; project files only when paths are given.
  const paths = positionals.length > 0 ? positionals : values.containers || values.host ? [] : ['.'];
  const flags: AuditFlags = {paths, format, failOn, maxBytes, color: false, verbose: values.verbose, containers: values.containers, all: values.all};
  if (values.host) flags.host = values['daemon-config'] === undefined ? {} : {daemonConfig: resolve(values['daemon-config'])};
  if (values.output !== undefined) flags.output = values.output;
  const known = allRules.map(r => r.id);
  if (values.only !== undefined) flags.only = ruleIdsFrom('only', values.only, known);
  if (values.skip !== undefined) flags.skip = ruleIdsFrom('skip', values.skip, known);
  flags.color = format === 'text' && flags.output === undefined && !values['no-color'] && useColor(process.stdout, process.env);
  if (format === 'text' && flags.output === undefined && process.stdout.isTTY && process.stdout.columns > 0) flags.width = process.stdout.columns;
  return flags;
}

/**
 * Discovers and reads the files under the given paths and audits them. Each file is parsed
 * as it is read and its text dropped: the audit keeps facts, findings and nothing else.
 */
export async function auditPaths(fs: FileSystem, paths: string[], cwd: string, maxBytes: number, version: string, containers?: {all: boolean}, host?: {daemonConfig?: string}): Promise<AuditReport> {
  const audit = new ProjectAudit({version});
  const project = await scanProject(fs, paths, cwd, maxBytes, file => audit.add(file));
  const engineErrors: AuditError[] = [];
  let facts: ContainerFacts[] = [];
  let hostFacts: HostFacts | undefined;
  let engine: ContainerEngine | undefined;
  if (containers || host) {
    try {
      const {connectEngine} = await import('../runtime/docker/engine.js');
      engine = await connectEngine();
      if (containers) {
        const read = await readContainers(engine, containers.all);
        facts = read.containers;
        engineErrors.push(...read.errors);
      }
    } catch (error) {
      // Without an engine the static audit still runs; the reason is one line with what to do.
      if (!(error instanceof UserError)) throw error;
      engineErrors.push({file: 'docker', line: 0, message: `${error.message}${error.hint ? `; ${error.hint}` : ''}`});
      process.stderr.write(`harden: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`);
    }
  }
  if (host) {
    // Without an engine the OS and mounts are still checked; the engine part is the error line above.
    const {readHost} = await import('../runtime/host.js');
    const read = await readHost({...(engine ? {engine} : {}), ...host, env: process.env});
    hostFacts = read.facts;
    engineErrors.push(...read.errors);
  }
  const report = audit.finish({containers: facts, ...(hostFacts ? {host: hostFacts} : {})}).report;
  report.errors = [...project.errors, ...engineErrors, ...report.errors];
  return report;
}

/** 1 for findings at or above the threshold, else 2 when some input could not be audited, else 0. */
export function exitCode(report: AuditReport, failOn: Severity | 'none'): number {
  if (failOn !== 'none' && report.findings.some(f => atLeast(f.severity, failOn))) return 1;
  return report.errors.length > 0 ? 2 : 0;
}

/** The report with only the findings of the rules asked for: `--only`, then less `--skip`. The counts and exit code follow. */
export function selectRules(report: AuditReport, only?: ReadonlySet<string>, skip?: ReadonlySet<string>): AuditReport {
  if (only === undefined && skip === undefined) return report;
  return {...report, findings: report.findings.filter(f => (only === undefined || only.has(f.rule)) && !skip?.has(f.rule))};
}

/** `Only findings of read-only-rootfs are reported (--only).`, `Findings of cap-drop are left out (--skip).`; undefined when nothing is. */
export function selectionNote(only?: ReadonlySet<string>, skip?: ReadonlySet<string>): string | undefined {
  const list = (ids: Iterable<string>) => [...ids].sort().join(', ');
  if (only !== undefined) {
    const reported = [...only].filter(id => !skip?.has(id));
    const flags = skip === undefined ? '--only' : '--only, --skip';
    return reported.length === 0 ? `No findings are reported: --skip leaves out every rule --only names.` : `Only findings of ${list(reported)} are reported (${flags}).`;
  }
  return skip === undefined ? undefined : `Findings of ${list(skip)} are left out (--skip).`;
}

export async function run(args: string[]): Promise<number> {
  const flags = parseAuditArgs(args);
  const audited = await auditPaths(nodeFileSystem, flags.paths, process.cwd(), flags.maxBytes, HARDEN_VERSION, flags.containers ? {all: flags.all} : undefined, flags.host);
  const report = selectRules(audited, flags.only, flags.skip);
  const selection = selectionNote(flags.only, flags.skip);
  const chunks = formatChunks(report, flags.format, {color: flags.color, rules: allRules, verbose: flags.verbose, ...(flags.width ? {width: flags.width} : {}), ...(selection ? {selection} : {})});
  if (flags.output === undefined) await writeStdout(chunks);
  else {
    try {
      await writeOutputFile(process.cwd(), flags.output, chunks);
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`cannot write ${flags.output}: ${(error as Error).message}`, 'choose a writable path for --output');
    }
  }
  return exitCode(report, flags.failOn);
}

/**
 * Writes the pieces in order, waiting for the stream to drain when it asks to. A reader that
 * closes the pipe meanwhile ends the wait too ('close' instead of 'drain'); cli.ts drops the rest.
 */
async function writeStdout(chunks: Iterable<string>): Promise<void> {
  const out = process.stdout;
  for (const chunk of chunks) {
    if (out.destroyed || out.write(chunk)) continue;
    await new Promise<void>(resolve => {
      const done = () => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      out.once('drain', done);
      out.once('close', done);
    });
  }
}
