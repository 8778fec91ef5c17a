import {readFile, writeFile} from 'node:fs/promises';
import {isAbsolute, join} from 'node:path';
import {analyzeFiles} from '../core/audit.js';
import {UserError} from '../core/model/errors.js';
import type {Plan} from '../core/model/plan.js';
import {buildPlan} from '../core/plan/build.js';
import {formatPlan} from '../core/report/plan-text.js';
import {printable} from '../core/report/text.js';
import {applyPlan, type ApplyResult} from '../runtime/fs/apply-plan.js';
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
    const plan = await readPlan(flags.planIn);
    for (const patch of plan.files) {
      const current = await readText(join(plan.cwd, patch.file));
      if (current !== undefined) before.set(patch.file, current);
    }
    return {plan, before};
  }
  const cwd = process.cwd();
  const project = await loadProject(nodeFileSystem, flags.paths, cwd, flags.maxBytes);
  const analysis = analyzeFiles(project.files, {version: HARDEN_VERSION});
  analysis.report.errors.unshift(...project.errors);
  for (const file of project.files) if (file.text !== undefined) before.set(file.file, file.text);
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
    const configs = await containerRunConfigs(await connectEngine(), cwd);
    plan.files.push(...configs.files);
    for (const note of configs.notes) process.stderr.write(`harden: ${note}\n`);
  }
  // Files the audit did not read (daemon.json, a generated file already there) are diffed against what is on disk too.
  for (const patch of plan.files) {
    if (patch.created || before.has(patch.file)) continue;
    const current = await readText(join(cwd, patch.file));
    if (current !== undefined) before.set(patch.file, current);
  }
  return {plan, before};
}

/** A saved plan, checked enough that replaying it cannot write outside its directory or half a file. */
export async function readPlan(path: string): Promise<Plan> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UserError(`cannot read plan ${path}: ${(error as Error).message.split('\n')[0]}`, 'save one with harden fix --plan-out FILE');
  }
  const plan = data as Plan;
  const valid =
    typeof plan === 'object' && plan !== null && plan.tool?.name === 'harden-wizard' && typeof plan.cwd === 'string' && isAbsolute(plan.cwd) &&
    Array.isArray(plan.files) && Array.isArray(plan.targets) && Array.isArray(plan.errors) &&
    plan.files.every(f => typeof f.file === 'string' && typeof f.text === 'string' && typeof f.bom === 'boolean' && typeof f.created === 'boolean' &&
      !isAbsolute(f.file) && !f.file.split('/').includes('..'));
  if (!valid) throw new UserError(`${path} is not a harden-wizard plan`, 'save one with harden fix --plan-out FILE');
  return plan;
}

export async function run(args: string[]): Promise<number> {
  const flags = parseFixArgs(args);
  const {plan, before} = await obtainPlan(flags);
  if (flags.planOut !== undefined) {
    await writeFile(flags.planOut, JSON.stringify(plan, null, 2) + '\n').catch((error: Error) => {
      throw new UserError(`cannot write ${flags.planOut}: ${error.message}`);
    });
  }
  const color = !flags.json && !flags.noColor && useColor(process.stdout, process.env);
  let result: ApplyResult | null = null;
  if (flags.yes && plan.files.length > 0) result = await applyPlan(plan, {version: HARDEN_VERSION});

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
  return plan.errors.length > 0 ? 2 : 0;
}
