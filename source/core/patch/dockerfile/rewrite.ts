import type {From} from 'dockerfile-ast';
import {isRootUser} from '../../knowledge/well-known-images.js';
import {parseDockerfile} from '../../parse/dockerfile.js';
import {expandArgs, metaArgsOf, type MetaArgs} from '../../parse/dockerfile-args.js';
import {applyEdits, type TextEdit} from '../text-edit.js';
import {type ArtifactOutcome, type BuildContext, isRefusal, refusal, type Refusal} from './artifacts.js';
import {dotnetArtifacts, goArtifacts, javaArtifacts, rustArtifacts} from './artifacts-compiled.js';
import {nodeArtifacts} from './artifacts-node.js';
import {pythonArtifacts} from './artifacts-python.js';
import {checkPackages, checkPrograms} from './checks.js';
import {argsFor, cgoDisabled, entryOf, runsOf, runtimeCommands, splitStage, writtenImage} from './context.js';
import {continuationAtEnd, endsInContinuation, layOut, sourceOf, type Layout, type Placed} from './layout.js';
import {headerComment, renderRuntimeStage} from './render.js';
import {type Language, runtimeBases, type RuntimeBases} from '../../knowledge/runtime-bases.js';
import {chooseRuntime, describeRuntime, rewriteSupport, type RuntimeChoice} from '../../knowledge/runtime-choice.js';
import {planUser} from './user.js';
import {sameImage, verify} from './verify.js';
import {writableDirs, writableLines} from './writable.js';

/** The rewritten text and what was chosen, or why the file is left alone. */
export type RewriteResult =
  | {ok: true; text: string; runtimeBase: string; user: string; notes: string[]}
  | {ok: false; reason: string; line?: number};

export interface RewriteOptions {
  /** Runtime base to use instead of the table's. */
  runtimeBase?: string;
  /** Runtime user (name or uid[:gid]) instead of the image's own or a new `app`. */
  user?: string;
  /** Table to use; the shipped templates/runtime-bases.json by default. */
  bases?: RuntimeBases;
}

const artifactRules: Partial<Record<Language, (ctx: BuildContext) => ArtifactOutcome>> = {
  node: nodeArtifacts, python: pythonArtifacts, go: goArtifacts, java: javaArtifacts, rust: rustArtifacts, dotnet: dotnetArtifacts,
};

/**
 * Splits a single-stage Dockerfile into a builder and a runtime stage: the stage becomes
 * `AS builder`, runtime metadata (CMD, EXPOSE, HEALTHCHECK...) moves to a new stage on
 * the table's slim sibling that copies only the build output and runs as non-root. The
 * builder keeps its bytes except the stage name and the moved lines. The input has no BOM.
 */
export function rewriteMultiStage(file: string, text: string, options: RewriteOptions = {}): RewriteResult {
  const bases = options.bases ?? runtimeBases;
  const read = readSingleStage(file, text, bases);
  if ('reason' in read) return read;
  const {stage, layout, from, kept, moved, builderEntry, rules} = read;

  const written = writtenImage(from);
  const cgo = cgoDisabled(stage, kept);
  const choice = chooseRuntime(bases, stage.from!, {...written, cgoDisabled: cgo});
  if (!choice.ok && !options.runtimeBase) return {ok: false, reason: choice.reason, line: from.line};
  const args = metaArgsOf(text);
  const base = options.runtimeBase !== undefined ? givenBase(options.runtimeBase, args) : choice.ok ? followArgs(choice, written, args) : {reason: choice.reason};
  if ('reason' in base) return {ok: false, reason: base.reason, line: from.line};
  const {image, resolved} = base;
  const notes = choice.ok && !options.runtimeBase ? [...choice.notes, ...base.notes] : [];
  const runtime = describeRuntime(bases, resolved);
  if (!runtime.known) notes.push(`${resolved} is not in templates/runtime-bases.json: taken for a Debian-like image with a shell`);

  const entry = entryOf(moved);
  if (!entry) return {ok: false, reason: 'no CMD or ENTRYPOINT, so what the runtime stage must run is unknown', line: from.line};
  const workdir = layout.instructions.filter(i => i.stage === 0).at(-1)?.workdir;
  const ctx: BuildContext = {
    runs: runsOf(kept), env: Object.fromEntries(stage.env.map(e => [e.key, e.value])), entry: entry.argv, builderEntry,
    groups: choice.ok ? choice.groups : {tag: stage.from!.tag ?? ''}, runtime, runtimeImage: resolved, ...(workdir === undefined ? {} : {workdir}),
  };
  const plan = rules(ctx);
  if (isRefusal(plan)) return refused(plan);
  const problem = checkPackages(ctx, builderEntry.language === 'go' && cgo) ?? checkPrograms(ctx, plan, runtimeCommands(moved)) ?? checkShell(kept, moved);
  if (problem) return refused(problem);

  const builderUser = stage.user && !isRootUser(stage.user.value) && !stage.user.value.includes('$') ? stage.user.value : undefined;
  const user = planUser(bases, runtime, resolved, options.user ?? builderUser);
  if (!user.ok) return {ok: false, reason: user.reason};
  const dirs = writableDirs(stage, moved.filter(p => p.keyword === 'VOLUME'), runtime.user?.home);
  if (dirs.length > 0 && !runtime.shell) notes.push(`${resolved} has no shell to create ${dirs.join(', ')} for the user: mount a tmpfs or volume there`);
  const execForm = !runtime.shell && runtimeCommands(moved).some(c => c.argv.shell);
  if (execForm) notes.push(`${resolved} has no shell: shell-form commands are written in exec form`);

  const {edits, builderName, fromText} = builderEdits(layout, from, moved);
  const envs = kept.filter(p => p.keyword === 'ENV');
  const runtimeText = renderRuntimeStage(layout, {
    builderName, platform: written.platform, image, header: headerComment(resolved),
    args: argsFor(layout, envs, kept), env: envs, copies: plan.copies, moved, execForm,
    writable: runtime.shell ? writableLines(dirs, user.owner) : [], user,
    ...(workdir === undefined ? {} : {workdir}), ...(user.create ? {createUser: user.create} : {}),
  });
  const tail = plan.tail ? [plan.tail.comment, `RUN ${plan.tail.run}`, ''].join(layout.eol) + layout.eol : '';
  const output = withBlankLine(applyEdits(text, edits), layout.eol) + tail + runtimeText;

  const keptSources = kept.map(p => sourceOf(layout, p)).concat(plan.tail ? [`RUN ${plan.tail.run}`] : []);
  const failure = verify(file, layout, output, {
    stages: 2, kept: [[fromText, ...keptSources]], builderName, finalImage: resolved, user: user.value,
    moved: moved.map(p => p.keyword), preamble: text.slice(0, from.blockStart),
  });
  if (failure) return {ok: false, reason: `the rewrite did not verify, so the file is left alone (a bug in harden): ${failure}`};
  return {ok: true, text: output, runtimeBase: resolved, user: user.value, notes: [...notes, ...plan.notes, ...user.notes]};
}

/** The runtime stage's FROM as written, and as BuildKit reads it with the file's ARG defaults. */
type RuntimeBase = {image: string; resolved: string; notes: string[]} | {reason: string};

/**
 * How to write the table's runtime base so that it follows the builder's ARGs and still reads
 * as that image: the table's form (`node:${NODE_VERSION}-slim`), else the builder's own FROM
 * text when the runtime is the same image (`${BASE}-slim`), else the image itself, with a
 * note. `FROM ${BASE}` with BASE=node:20 once became `${BASE}:20-slim`, node:20:20-slim.
 */
function followArgs(choice: Extract<RuntimeChoice, {ok: true}>, written: {rawName: string; rawTag?: string}, args: MetaArgs): RuntimeBase {
  const builderText = written.rawTag === undefined ? written.rawName : `${written.rawName}:${written.rawTag}`;
  const reads = (text: string) => {
    const expanded = expandArgs(text, args);
    return !expanded.includes('$') && sameImage(expanded, choice.resolved);
  };
  for (const image of [choice.written, builderText]) if (reads(image)) return {image, resolved: choice.resolved, notes: []};
  const notes = builderText.includes('$')
    ? [`the runtime stage is FROM ${choice.resolved}, written out: FROM ${builderText} takes its whole name from ARGs, which its slim sibling cannot follow; a --build-arg that changes the builder's image leaves the runtime's as it is, so keep the two in step`]
    : [];
  return {image: choice.resolved, resolved: choice.resolved, notes};
}

/** --runtime-base as given; it may use the file's ARGs, which must then have defaults. */
function givenBase(image: string, args: MetaArgs): RuntimeBase {
  const resolved = expandArgs(image, args);
  if (resolved.includes('$')) return {reason: `the runtime base ${image} uses an ARG this Dockerfile declares with no default before its first FROM, so the image it names is unknown`};
  return {image, resolved, notes: []};
}

/** The single stage, split, with the table entry and artifact rules for its base; or why not. */
function readSingleStage(file: string, text: string, bases: RuntimeBases) {
  const parsed = parseDockerfile(file, text);
  const error = parsed.errors[0];
  if (!parsed.facts || error) return failed(`the file has errors Docker would reject; fix them first: ${error?.message}`, error?.line);
  if (parsed.facts.stages.length > 1) return failed('already multi-stage');
  const stage = parsed.facts.stages[0]!;
  const layout = layOut(text);
  const {from, kept, moved} = splitStage(layout, 0);
  if (endsInContinuation(layout)) return failed(continuationAtEnd, layout.instructions.at(-1)!.line);
  if (!stage.from) return failed('the only stage is FROM scratch: there is no build to split off', from.line);
  if (stage.from.unresolved) return failed(`the base image ${stage.from.raw} depends on an ARG with no default (or one not declared before the first FROM), so its runtime sibling is unknown`, from.line);
  // The same answer the single-stage-build rule gives for its finding's `fixable`.
  const support = rewriteSupport(bases, stage.from, false);
  const builderEntry = support.builder;
  const rules = builderEntry && artifactRules[builderEntry.language];
  if (!builderEntry || !rules) return failed(support.ok ? `no artifact rules for ${stage.from.raw} (a bug in harden)` : support.reason, from.line);
  return {stage, layout, from, kept, moved, builderEntry, rules};
}

/** A custom SHELL in the builder would not apply to shell-form commands moved to the runtime stage. */
function checkShell(kept: readonly Placed[], moved: readonly Placed[]): Refusal | undefined {
  const shell = kept.find(p => p.keyword === 'SHELL');
  if (!shell || !runtimeCommands(moved).some(c => c.argv.shell)) return undefined;
  return refusal(`SHELL (line ${shell.line}) changes how shell-form commands run, and the runtime stage would use /bin/sh; write CMD and HEALTHCHECK in exec form`, shell.line);
}

/** Names the builder stage (unless it has a name) and removes the moved instructions. */
function builderEdits(layout: Layout, from: Placed, moved: readonly Placed[]): {edits: TextEdit[]; builderName: string; fromText: string} {
  const node = from.node as From;
  const name = node.getBuildStage();
  const edits = moved.map(p => removal(layout, p));
  if (name !== null) return {edits, builderName: name, fromText: sourceOf(layout, from)};
  const at = layout.offset(node.getImageRange()!.end);
  const as = node.getInstruction() === node.getInstruction().toLowerCase() ? ' as builder' : ' AS builder';
  edits.push({start: at, end: at, text: as});
  return {edits, builderName: 'builder', fromText: layout.text.slice(from.start, at) + as + layout.text.slice(at, from.end)};
}

function failed(reason: string, line?: number): {ok: false; reason: string; line?: number} {
  return line === undefined ? {ok: false, reason} : {ok: false, reason, line};
}

function refused(problem: Refusal): RewriteResult {
  return failed(problem.refuse, problem.line);
}

/** The edit removing a moved instruction with its comment block, and a blank line when it would leave two. */
function removal(layout: Layout, placed: Placed): TextEdit {
  const rest = layout.text.slice(placed.next);
  const nextBlank = /^[ \t]*(\r\n|\n|\r)/.exec(rest);
  const end = lastLineBlank(layout.text.slice(0, placed.blockStart)) && nextBlank ? placed.next + nextBlank[0].length : placed.next;
  return {start: placed.blockStart, end, text: ''};
}

/** True when the text is empty or its last complete line is blank. */
function lastLineBlank(text: string): boolean {
  if (text === '') return true;
  const body = text.replace(/(\r\n|\n|\r)$/, '');
  if (body === text) return false;
  const line = body.slice(Math.max(body.lastIndexOf('\n'), body.lastIndexOf('\r')) + 1);
  return /^[ \t]*$/.test(line);
}

/** The text ending in a line break and a blank line, so the next stage stands apart. */
function withBlankLine(text: string, eol: string): string {
  if (text === '') return text;
  const ended = /(\r\n|\n|\r)$/.test(text) ? text : text + eol;
  return lastLineBlank(ended) ? ended : ended + eol;
}
