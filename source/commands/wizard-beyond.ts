import {readdir, readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import type {ExtrasChoice, ExtrasPlan, HostCheck} from '../app/wizard/state.js';
import {analyzeFiles, auditFiles} from '../core/audit.js';
import {severityOrder} from '../core/model/finding.js';
import type {FilePatch, Plan} from '../core/model/plan.js';
import {defaultMaxBytes} from '../core/parse/text.js';
import {nodeFileSystem} from '../runtime/fs/node-fs.js';
import {readText} from '../runtime/fs/read-text.js';
import type {ContainerEngine} from '../runtime/ports.js';
import {loadProject} from '../runtime/project/load.js';
import {dropUnwritable} from '../runtime/fs/apply-plan.js';
import {daemonJson, pinDigests, writeFalco, writeSigning} from './fix-extras.js';
import {packageRoot} from './package-root.js';

/*
 * The wizard's steps 9 and 10 over the same functions as `harden fix --pin-digests
 * --falco --signing --containers --daemon-json` and `harden audit --host`: the wizard adds
 * no logic of its own, it only asks first.
 */

declare const HARDEN_VERSION: string;

const emptyPlan = (cwd: string): Plan => ({tool: {name: 'harden-wizard', version: HARDEN_VERSION}, cwd, targets: [], files: [], errors: []});

/** The optional outputs for the chosen targets, from the files as they are on disk now (after the fix). */
export async function planExtras(dir: string, selected: readonly string[], choice: ExtrasChoice, engine: ContainerEngine | undefined): Promise<ExtrasPlan> {
  const project = await loadProject(nodeFileSystem, ['.'], dir, defaultMaxBytes);
  const analysis = analyzeFiles(project.files, {version: HARDEN_VERSION});
  const keep = new Set(selected);
  const subjects = analysis.subjects.filter(s => keep.has(s.target.id));
  const scoped = {...analysis, subjects};
  // A compose override may set the image the service runs: its file is pinned too.
  const files = project.files.filter(f => subjects.some(s => s.target.file === f.file || (s.kind === 'compose-service' && s.service.override?.file === f.file)));
  const plan = emptyPlan(dir);
  const notes: string[] = [];
  if (choice.pin) await pinDigests(plan, scoped, files, [], notes);
  if (choice.falco) await writeFalco(plan, scoped, dir);
  if (choice.signing !== 'none') await writeSigning(plan, scoped, dir, choice.signing);
  if (choice.runConfigs) {
    if (engine) {
      const {containerRunConfigs} = await import('../runtime/runconfigs.js');
      const configs = await containerRunConfigs(engine, dir, 'hardened', new Set(plan.files.map(f => f.file)));
      plan.files.push(...configs.files);
      notes.push(...configs.notes);
      if (configs.files.length === 0 && configs.notes.length === 0) notes.push('run configs come from running containers, and none is running');
    } else notes.push('run configs come from running containers, and no container engine answered');
  }
  // A folder that links out of the project (falco/, hardened/, .github/) is named, and the rest still offered.
  await dropUnwritable(plan);
  for (const error of plan.errors) notes.push(error.line > 0 ? `${error.file}:${error.line}: ${error.message}` : `${error.file}: ${error.message}`);
  const before: Record<string, string> = {};
  for (const patch of plan.files) {
    if (patch.created) continue;
    const text = await readText(join(dir, patch.file));
    if (text !== undefined) before[patch.file] = text;
  }
  if (plan.files.length === 0) notes.push('nothing to write: every chosen output is already as it would be made');
  return {plan, before, notes};
}

/** Where the wizard copies templates/host on request: beside the project's files, never over one. */
export const hostTemplatesDir = 'harden-host';

/** templates/host as new files under harden-host/, those not there yet (a file there already is the person's). */
async function hostTemplates(dir: string): Promise<FilePatch[]> {
  const source = join(await packageRoot(), 'templates', 'host');
  const patches: FilePatch[] = [];
  for (const name of (await readdir(source)).sort()) {
    const file = `${hostTemplatesDir}/${name}`;
    if (await stat(join(dir, file)).then(() => true, () => false)) continue;
    patches.push({file, bom: false, text: await readFile(join(source, name), 'utf8'), created: true});
  }
  return patches;
}

/** `harden audit --host`, and the daemon.json change on offer when the engine runs on this machine. */
export async function checkHost(dir: string, engine: ContainerEngine | undefined, daemonConfig: string | undefined): Promise<HostCheck> {
  const {readHost} = await import('../runtime/host.js');
  const read = await readHost({...(engine ? {engine} : {}), ...(daemonConfig ? {daemonConfig} : {}), env: process.env});
  const report = auditFiles([], {version: HARDEN_VERSION, host: read.facts});
  // Most severe first: the screen shows as many as fit.
  const findings = [...report.findings].sort((a, b) => severityOrder.indexOf(b.severity) - severityOrder.indexOf(a.severity));
  const copies = {...emptyPlan(dir), files: await hostTemplates(dir)};
  await dropUnwritable(copies);
  const templates = copies.files;
  const refused = copies.errors.map(e => `${e.file}: ${e.message}`);
  const check: HostCheck = {findings, errors: [...read.errors, ...report.errors], notes: refused};
  if (templates.length > 0) check.templates = templates;
  const config = read.facts.daemonConfig;
  // Offered only for a file harden could read (or that is missing): a malformed one is a located error above.
  if (!config || config.state === 'invalid') return check;
  check.daemonFile = config.file;
  const plan = emptyPlan(dir);
  const notes: string[] = [];
  await daemonJson(plan, dir, config.file, notes);
  check.notes = [...refused, ...notes];
  const patch = plan.files[0];
  if (patch) {
    check.daemonPatch = patch;
    if (!patch.created) {
      const text = await readText(config.file);
      if (text !== undefined) check.daemonBefore = text;
    }
  }
  return check;
}
