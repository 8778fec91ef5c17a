import {readFile} from 'node:fs/promises';
import {resolve} from 'node:path';
import {analyzeFiles} from '../core/audit.js';
import {UserError} from '../core/model/errors.js';
import type {AuditError} from '../core/model/finding.js';
import type {FilePatch, Plan, TargetPlan} from '../core/model/plan.js';
import {printableName, projectFileProblem} from '../core/project-file.js';
import {buildPlan} from '../core/plan/build.js';
import type {FixOptions} from '../core/plan/options.js';
import {writableNames} from '../core/plan/writable.js';
import type {Subject} from '../core/model/facts.js';
import {formatPlan, withdrawnCount} from '../core/report/plan-text.js';
import {printable} from '../core/report/text.js';
import {applyPlan, dropUnwritable, type ApplyResult} from '../runtime/fs/apply-plan.js';
import {confinedPath, projectRoot} from '../runtime/fs/confine.js';
import {writeOutputFile} from '../runtime/fs/output-file.js';
import {nodeFileSystem} from '../runtime/fs/node-fs.js';
import {readText} from '../runtime/fs/read-text.js';
import {loadProject} from '../runtime/project/load.js';
import {useColor} from './color.js';
import {daemonJson, pinDigests, writeFalco, writeSigning} from './fix-extras.js';
import {parseFixArgs} from './fix-args.js';
import {progressPrinter} from './runtime-args.js';

declare const HARDEN_VERSION: string;

/** Builds the plan for the given paths, or reads a saved one. */
async function obtainPlan(flags: ReturnType<typeof parseFixArgs>): Promise<{plan: Plan; before: Map<string, string>}> {
  const before = new Map<string, string>();
  if (flags.planIn !== undefined) {
    const plan = await readPlan(flags.planIn, await projectRoot(process.cwd()));
    for (const patch of plan.files) {
      const current = await readText(await confinedPath(plan.cwd, patch.file));
      if (current !== undefined) before.set(patch.file, current);
    }
    return {plan, before};
  }
  const cwd = process.cwd();
  const project = await loadProject(nodeFileSystem, flags.paths, cwd, flags.maxBytes);
  const analysis = analyzeFiles(project.files, {version: HARDEN_VERSION});
  analysis.report.errors.unshift(...project.errors);
  for (const file of project.files) if (file.text !== undefined) before.set(file.file, file.text);
  checkWritableNames(flags.options.writable, analysis.subjects);
  let options = flags.options;
  if (flags.discover) {
    const {connectEngine} = await import('../runtime/docker/engine.js');
    const {discoverAll} = await import('../runtime/discover-all.js');
    const engine = await connectEngine();
    await engine.sweep();
    const progress = progressPrinter(flags.json);
    const discovered = await discoverAll(engine, analysis, cwd, progress, line => process.stderr.write(`harden: ${line}\n`));
    options = {...options, discovered};
  }
  options = {...options, ...(await rewriteProofs(flags, analysis, project.files, cwd, options))};
  options = {...options, ...(await imageUsers(flags, analysis))};
  const plan = buildPlan({analysis, files: project.files, cwd, version: HARDEN_VERSION}, options);
  const notes: string[] = [];
  if (flags.pinDigests) await pinDigests(plan, analysis, project.files, flags.digests, notes);
  if (flags.falco) await writeFalco(plan, analysis, cwd);
  if (flags.signing) await writeSigning(plan, analysis, cwd, flags.signing);
  if (flags.daemonJson !== undefined) await daemonJson(plan, cwd, flags.daemonJson, notes);
  // Notes may quote a file (an image reference): shown printable, as the report is.
  for (const note of notes) process.stderr.write(`harden: ${printable(note)}\n`);
  if (flags.containers) {
    const {connectEngine} = await import('../runtime/docker/engine.js');
    const {containerRunConfigs} = await import('../runtime/runconfigs.js');
    const configs = await containerRunConfigs(await connectEngine(), cwd, 'hardened', new Set(plan.files.map(f => f.file)));
    plan.files.push(...configs.files);
    for (const note of configs.notes) process.stderr.write(`harden: ${note}\n`);
  }
  await dropUnwritable(plan, hostFilesOf(flags));
  // Files the audit did not read (daemon.json, a generated file already there) are diffed against what is on disk too.
  for (const patch of plan.files) {
    if (patch.created || before.has(patch.file)) continue;
    const current = await readText(resolve(cwd, patch.file));
    if (current !== undefined) before.set(patch.file, current);
  }
  return {plan, before};
}

/** Proof by running of the multi-stage rewrites (issue 14), unless --no-run; no engine is said in the plan, not an error. */
async function rewriteProofs(flags: ReturnType<typeof parseFixArgs>, analysis: ReturnType<typeof analyzeFiles>, files: Parameters<typeof buildPlan>[0]['files'], cwd: string, options: FixOptions): Promise<Pick<FixOptions, 'proofs' | 'notRun'>> {
  if (flags.noRun) return {notRun: 'asked not to with --no-run'};
  const {proveRewrites} = await import('../runtime/prove-plan.js');
  const connect = async () => (await import('../runtime/docker/engine.js')).connectEngine();
  const progress = progressPrinter(flags.json);
  const outcome = await proveRewrites(analysis, files, cwd, options, connect, progress);
  return 'notRun' in outcome ? {notRun: outcome.notRun} : {proofs: outcome.proofs};
}

/** The user of each local image a root-user finding is about (the engine's image config); not with --no-run, which keeps fix off the engine. */
async function imageUsers(flags: ReturnType<typeof parseFixArgs>, analysis: ReturnType<typeof analyzeFiles>): Promise<Pick<FixOptions, 'imageUsers'>> {
  if (flags.noRun || flags.options.user !== undefined) return {};
  const {engineImageUsers} = await import('../runtime/image-users.js');
  const users = await engineImageUsers(analysis, async () => (await import('../runtime/docker/engine.js')).connectEngine());
  return users.size > 0 ? {imageUsers: users} : {};
}

/** The one file outside the project harden may write: the daemon.json the person named on the command line. */
function hostFilesOf(flags: ReturnType<typeof parseFixArgs>): string[] {
  return flags.daemonJson !== undefined && flags.planIn === undefined ? [resolve(flags.daemonJson)] : [];
}

/**
 * A saved plan, read as untrusted input. It applies to the current directory only, whatever
 * `cwd` it names; every file must be a path inside it, and every file it changes must carry
 * the checksum of the bytes it was made from, so that it never writes over anything else.
 */
export async function readPlan(path: string, cwd: string): Promise<Plan> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UserError(`cannot read plan ${path}: ${(error as Error).message.split('\n')[0]}`, 'save one with harden fix --plan-out FILE');
  }
  const problem = planProblem(data);
  if (problem !== undefined) throw new UserError(`${path} is not a harden-wizard plan harden can replay: ${problem}`, 'save one with harden fix --plan-out FILE in this directory');
  const plan = data as Plan;
  if (plan.cwd !== cwd && plan.cwd !== process.cwd()) process.stderr.write(`harden: ${path} was made in ${printableName(plan.cwd.slice(0, 300))}; it is applied here, to ${cwd}, where every file must still match its checksum\n`);
  return {...plan, cwd};
}

const hex64 = /^[0-9a-f]{64}$/;
const isString = (value: unknown): value is string => typeof value === 'string';

/** Why `data` is not a plan `--plan` can replay, or undefined. */
function planProblem(data: unknown): string | undefined {
  const plan = data as Partial<Plan> | null;
  if (typeof plan !== 'object' || plan === null || plan.tool?.name !== 'harden-wizard' || !isString(plan.cwd)) return 'it has no harden-wizard header';
  if (!Array.isArray(plan.files) || !Array.isArray(plan.targets) || !Array.isArray(plan.errors)) return 'it lacks files, targets or errors';
  for (const file of plan.files as unknown[]) {
    const f = file as Partial<FilePatch> | null;
    if (typeof f !== 'object' || f === null || !isString(f.text) || typeof f.bom !== 'boolean' || typeof f.created !== 'boolean') return 'a file entry is incomplete';
    const where = projectFileProblem(f.file);
    if (where !== undefined) return `file ${printableName(String(f.file).slice(0, 200))} ${where}`;
    if (!f.created && !(isString(f.sha256) && hex64.test(f.sha256))) return `${printableName(f.file!)} has no checksum of the file it changes`;
  }
  for (const target of plan.targets as unknown[]) {
    const t = target as Partial<TargetPlan> | null;
    const fine = typeof t === 'object' && t !== null && isString(t.target?.file) && isString(t.target.name) && isString(t.target.kind) &&
      Array.isArray(t.changes) && t.changes.every(c => typeof c === 'object' && c !== null && isString(c.rule) && isString(c.reason)) &&
      Array.isArray(t.skipped) && t.skipped.every(k => typeof k === 'object' && k !== null && isString(k.rule) && isString(k.what) && isString(k.reason));
    if (!fine) return 'a target entry is incomplete';
  }
  const errorsFine = (plan.errors as unknown[]).every(e => typeof e === 'object' && e !== null && isString((e as AuditError).file) && typeof (e as AuditError).line === 'number' && isString((e as AuditError).message));
  return errorsFine ? undefined : 'an error entry is incomplete';
}

export async function run(args: string[]): Promise<number> {
  const flags = parseFixArgs(args);
  const {plan, before} = await obtainPlan(flags);
  if (flags.planOut !== undefined) {
    await writeOutputFile(process.cwd(), flags.planOut, JSON.stringify(plan, null, 2) + '\n').catch((error: Error) => {
      throw error instanceof UserError ? error : new UserError(`cannot write ${flags.planOut}: ${error.message}`);
    });
  }
  const color = !flags.json && !flags.noColor && useColor(process.stdout, process.env);
  let result: ApplyResult | null = null;
  if (flags.yes && plan.files.length > 0) result = await applyPlan(plan, {version: HARDEN_VERSION, hostFiles: hostFilesOf(flags)});

  if (flags.json) {
    process.stdout.write(JSON.stringify({plan, result}, null, 2) + '\n');
  } else {
    process.stdout.write(formatPlan(plan, {color, before: file => before.get(file)}));
    if (result?.backupId !== undefined) {
      for (const file of result.written) process.stdout.write(`wrote ${file}\n`);
      process.stdout.write(`Backup ${result.backupId} kept in .harden/backups; "harden undo" restores it.\n`);
    } else if (result) {
      process.stdout.write('Every file already holds this text; nothing was written.\n');
    } else if (plan.files.length > 0) {
      process.stdout.write('Nothing was written. Run again with --yes to apply these changes.\n');
    }
  }
  // 1: a change the findings need was taken back (listed as not done), so they stay; never 0 as if fixed.
  return plan.errors.length > 0 ? 2 : withdrawnCount(plan) > 0 ? 1 : 0;
}

/** `--writable NAME:PATH` must name a compose service or Kubernetes container of the project: a typo would otherwise change nothing, silently. */
function checkWritableNames(requests: FixOptions['writable'], subjects: readonly Subject[]): void {
  const names = new Set(subjects.flatMap(writableNames));
  for (const request of requests) {
    if (request.target === undefined || names.has(request.target)) continue;
    const known = [...names].filter(n => !n.includes('/')).slice(0, 8).join(', ');
    throw new UserError(`--writable ${request.target}:${request.path}: no compose service or Kubernetes container is named ${request.target}`, known ? `the names here: ${known}` : 'this project has no compose service or Kubernetes container');
  }
}
