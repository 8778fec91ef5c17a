import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {isAbsolute, join, relative, resolve} from 'node:path';
import type {Analysis, LoadedFile} from '../core/audit.js';
import type {FilePatch, Plan} from '../core/model/plan.js';
import {canonicalPath} from '../core/paths.js';
import {mergeDaemonJson} from '../core/host/daemon-merge.js';
import {decodeText} from '../core/parse/text.js';
import {pinReferences} from '../core/patch/pin/index.js';
import {falcoRules} from '../core/templates/falco.js';
import {fillSigningTemplates, type Forge} from '../core/templates/signing.js';
import {mountsOf} from '../core/rules/effective.js';
import {parseDigestFlag, resolveLocalDigests} from '../runtime/digests.js';

/*
 * The optional steps of `harden fix` beyond read-only (issue 6): digests pinned in the
 * files the plan already changes, a Falco rules file for drift, signing templates.
 * Each adds or replaces FilePatches in the same plan, so one diff, one write, one undo.
 */

/** Replaces or adds the patch for `file`, keeping the original's hash and BOM. */
function setText(plan: Plan, loaded: LoadedFile | undefined, file: string, text: string): void {
  const existing = plan.files.find(f => f.file === file);
  if (existing) {
    existing.text = text;
    return;
  }
  if (loaded?.text === text) return;
  const patch: FilePatch = loaded
    ? {file, ...(loaded.sha256 ? {sha256: loaded.sha256} : {}), bom: loaded.bom === true, text, created: false}
    : {file, bom: false, text, created: true};
  plan.files.push(patch);
}

/** A file the tool generates: created, or replaced when it is already there with other text. */
async function generated(plan: Plan, cwd: string, file: string, text: string): Promise<void> {
  const current = await readFile(join(cwd, file)).catch(() => undefined);
  if (current === undefined) plan.files.push({file, bom: false, text, created: true});
  else if (current.toString('utf8') !== text) plan.files.push({file, sha256: createHash('sha256').update(current).digest('hex'), bom: false, text, created: false});
}

/** `--pin-digests` and `--digest REF=DIGEST`: never a digest the engine or the person did not give. */
export async function pinDigests(plan: Plan, analysis: Analysis, files: readonly LoadedFile[], flags: readonly string[], notes: string[]): Promise<void> {
  const refs = new Set<string>();
  for (const subject of analysis.subjects) {
    if (subject.kind === 'dockerfile') for (const stage of subject.dockerfile.stages) if (stage.from) refs.add(stage.from.raw);
    if (subject.kind === 'compose-service' && subject.service.image && !subject.service.build) refs.add(subject.service.image.raw);
    if (subject.kind === 'k8s-container' && subject.container.image) refs.add(subject.container.image.raw);
  }
  let digests = new Map<string, string>();
  let missing = new Map<string, string>();
  try {
    // Loaded here: a fix without --pin-digests never loads dockerode.
    const {connectEngine} = await import('../runtime/docker/engine.js');
    ({digests, missing} = await resolveLocalDigests(await connectEngine(), [...refs]));
  } catch (error) {
    notes.push(`no engine to read digests from (${(error as Error).message.split('\n')[0]}); only --digest values are used`);
  }
  for (const spec of flags) {
    const given = parseDigestFlag(spec);
    digests.set(given.key, given.digest);
  }
  for (const loaded of files) {
    if (loaded.text === undefined) continue;
    const current = plan.files.find(f => f.file === loaded.file)?.text ?? loaded.text;
    const result = pinReferences(loaded.file, loaded.type, current, digests, missing);
    if (!result.ok) continue; // files that do not parse are already in the plan's errors
    for (const ref of result.unresolved) notes.push(`${loaded.file}:${ref.line}: ${ref.ref} not pinned: ${ref.reason}`);
    if (result.text !== current) setText(plan, loaded, loaded.file, result.text);
  }
}

/** `--falco`: drift rules for every compose service and Kubernetes container with an image, allowing writes only to its writable paths. */
export async function writeFalco(plan: Plan, analysis: Analysis, cwd: string): Promise<void> {
  const workloads = [];
  for (const subject of analysis.subjects) {
    if (subject.kind !== 'compose-service' && subject.kind !== 'k8s-container') continue;
    const image = subject.kind === 'compose-service' ? subject.service.image?.raw : subject.container.image?.raw;
    if (!image) continue;
    const planned = plan.targets.find(t => t.target.id === subject.target.id)?.changes.flatMap(c => (c.kind === 'writable' ? [c.mount.path] : [])) ?? [];
    const writable = [...new Set([...mountsOf(subject).filter(m => !m.readOnly).map(m => canonicalPath(m.target)), ...planned])].sort();
    workloads.push({name: subject.target.name, image, writable});
  }
  if (workloads.length > 0) await generated(plan, cwd, 'falco/harden-drift-rules.yaml', falcoRules(workloads));
}

/** `--signing github|gitlab`: CI jobs that sign the images and cluster policies that admit only signed ones. */
export async function writeSigning(plan: Plan, analysis: Analysis, cwd: string, forge: Forge): Promise<void> {
  const images = new Set<string>();
  for (const subject of analysis.subjects) {
    if (subject.kind === 'compose-service' && subject.service.image && subject.service.build) images.add(subject.service.image.raw);
    if (subject.kind === 'k8s-container' && subject.container.image) images.add(subject.container.image.raw);
  }
  for (const file of fillSigningTemplates([...images], {forge})) await generated(plan, cwd, file.file, file.text);
}

/**
 * `--daemon-json FILE`: adds no-new-privileges and live-restore to the daemon's config,
 * shown as a diff like every change and written only with --yes, with a backup.
 */
export async function daemonJson(plan: Plan, cwd: string, path: string, notes: string[]): Promise<void> {
  const absolute = resolve(cwd, path);
  const inside = relative(cwd, absolute).split('\\').join('/');
  // Outside the project it is named by its absolute path: the writer accepts that only for the file the person named.
  const file = inside.startsWith('../') || inside === '..' || isAbsolute(inside) ? absolute : inside;
  const bytes = await readFile(absolute).catch(() => undefined);
  // Decoded as every file the fix edits: its other bytes go back as they were.
  const decoded = bytes === undefined ? undefined : decodeText(bytes, Number.POSITIVE_INFINITY);
  if (decoded?.ok === false) {
    plan.errors.push({file, line: 0, message: decoded.message});
    return;
  }
  const bom = decoded?.bom ?? false;
  const merged = mergeDaemonJson(decoded?.text);
  if (!merged.ok) {
    plan.errors.push({file, line: merged.line, message: merged.message});
    return;
  }
  for (const key of merged.kept) notes.push(`${file}: "${key}" is already set; kept as it is`);
  notes.push(`${file}: userns-remap and icc are in templates/host/daemon.json with their trade-offs; add them by hand if they fit`);
  if (merged.added.length === 0) return;
  plan.files.push(bytes === undefined
    ? {file, bom: false, text: merged.text, created: true}
    : {file, sha256: createHash('sha256').update(bytes).digest('hex'), bom, text: merged.text, created: false});
}
