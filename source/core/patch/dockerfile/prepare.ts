import type {From} from 'dockerfile-ast';
import {runtimeBases, type Language, type RuntimeBases} from '../../knowledge/runtime-bases.js';
import {chooseRuntime, describeRuntime, rewriteSupport, type RuntimeChoice, type RuntimeInfo} from '../../knowledge/runtime-choice.js';
import type {Stage} from '../../model/facts.js';
import {parseDockerfile} from '../../parse/dockerfile.js';
import {expandArgs, metaArgsOf, type MetaArgs} from '../../parse/dockerfile-args.js';
import type {ArtifactOutcome, BuildContext} from './artifacts.js';
import {dotnetArtifacts, goArtifacts, rustArtifacts} from './artifacts-compiled.js';
import {javaArtifacts} from './artifacts-java.js';
import {nodeArtifacts} from './artifacts-node.js';
import {pythonArtifacts} from './artifacts-python.js';
import {staticArtifacts} from './artifacts-static.js';
import type {Argv} from './command.js';
import {cgoDisabled, copiesOf, entryOf, runsOf, runtimeCommands, splitStage, writtenImage} from './context.js';
import {probeFor, type Probe} from './health.js';
import {continuationAtEnd, endsInContinuation, layOut, type Layout, type Placed} from './layout.js';
import {sameImage} from './verify.js';

/*
 * Everything about a rewrite that does not depend on how much it copies: the single stage
 * split into what stays and what moves, the runtime base and how to write it, what the
 * container runs, and HEALTHCHECK probes written anew for the runtime. rewrite.ts makes one
 * candidate per level from it.
 */

/** What the rewrite may be asked to do differently. */
export interface RewriteOptions {
  /** Runtime base to use instead of the table's. */
  runtimeBase?: string;
  /** Runtime user (name or uid[:gid]) instead of the image's own or a new `app`. */
  user?: string;
  /** Table to use; the shipped templates/runtime-bases.json by default. */
  bases?: RuntimeBases;
}

/** Why the file is left alone, with the line to look at. */
export interface Refused {
  ok: false;
  reason: string;
  line?: number;
}

/** The single stage read and the runtime chosen. */
export interface Prepared {
  text: string;
  file: string;
  bases: RuntimeBases;
  stage: Stage;
  layout: Layout;
  from: Placed;
  kept: Placed[];
  moved: Placed[];
  /** The language's artifact rules. */
  rules: (ctx: BuildContext) => ArtifactOutcome;
  cgo: boolean;
  /** The runtime FROM as written, and as the parser reads it. */
  image: string;
  resolved: string;
  runtime: RuntimeInfo;
  /** `--platform=...` of the builder when it is fixed, else ''. */
  platform: string;
  /** Everything of the context but `level`. */
  ctx: Omit<BuildContext, 'level'>;
  /** HEALTHCHECKs asked anew for the runtime, by instruction. */
  probes: ReadonlyMap<Placed, Probe>;
  /** What CMD, ENTRYPOINT and HEALTHCHECK run in the runtime stage, probes rewritten. */
  commands: Array<{placed: Placed; argv: Argv}>;
  notes: string[];
}

const artifactRules: Partial<Record<Language, (ctx: BuildContext) => ArtifactOutcome>> = {
  node: nodeArtifacts, python: pythonArtifacts, go: goArtifacts, java: javaArtifacts, rust: rustArtifacts, dotnet: dotnetArtifacts, static: staticArtifacts,
};

/** The languages with artifact rules, for the test that holds them to `rewriteLanguages`. */
export const artifactLanguages: readonly Language[] = Object.keys(artifactRules) as Language[];

export function prepare(file: string, text: string, options: RewriteOptions): Prepared | Refused {
  const bases = options.bases ?? runtimeBases;
  const parsed = parseDockerfile(file, text);
  const error = parsed.errors[0];
  if (!parsed.facts || error) return refuse(`the file has errors Docker would reject; fix them first: ${error?.message}`, error?.line);
  if (parsed.facts.stages.length > 1) return refuse('already multi-stage');
  const stage = parsed.facts.stages[0]!;
  const layout = layOut(text);
  const {from, kept, moved} = splitStage(layout, 0);
  if (endsInContinuation(layout)) return refuse(continuationAtEnd, layout.instructions.at(-1)!.line);
  if (!stage.from) return refuse('the only stage is FROM scratch: there is no build to split off', from.line);
  if (stage.from.unresolved) return refuse(`the base image ${stage.from.raw} depends on an ARG with no default (or one not declared before the first FROM), so its runtime sibling is unknown`, from.line);
  // The same answer the single-stage-build rule gives for its finding's `fixable`.
  const support = rewriteSupport(bases, stage.from, false);
  const builderEntry = support.builder;
  const rules = builderEntry && artifactRules[builderEntry.language];
  if (!builderEntry || !rules) return refuse(support.ok ? `no artifact rules for ${stage.from.raw} (a bug in harden)` : support.reason, from.line);

  const written = writtenImage(from);
  const cgo = cgoDisabled(stage, kept);
  const choice = chooseRuntime(bases, stage.from, {...written, cgoDisabled: cgo});
  if (!choice.ok && !options.runtimeBase) return refuse(choice.reason, from.line);
  const args = metaArgsOf(text);
  const base = options.runtimeBase !== undefined ? givenBase(options.runtimeBase, args) : choice.ok ? followArgs(choice, written, args) : {reason: choice.reason};
  if ('reason' in base) return refuse(base.reason, from.line);
  const {image, resolved} = base;
  const notes = choice.ok && !options.runtimeBase ? [...choice.notes, ...base.notes] : [];
  const runtime = describeRuntime(bases, resolved);
  if (!runtime.known) notes.push(`${resolved} is not in templates/runtime-bases.json: taken for a Debian-like image with a shell`);

  const entry = entryOf(moved);
  if (!entry) return refuse('no CMD or ENTRYPOINT, so what the runtime stage must run is unknown', from.line);
  const workdir = layout.instructions.filter(i => i.stage === 0).at(-1)?.workdir;
  const probes = new Map<Placed, Probe>();
  const commands = runtimeCommands(moved).map(command => {
    if (command.placed.keyword !== 'HEALTHCHECK') return command;
    const probe = probeFor(command.argv, runtime, resolved, builderEntry.language);
    if (!probe) return command;
    probes.set(command.placed, probe);
    notes.push(`HEALTHCHECK (line ${command.placed.line}): ${probe.comment.replace(/^# harden: /, '')}, which ${resolved} has`);
    return {placed: command.placed, argv: probe.argv};
  });
  const ctx: Omit<BuildContext, 'level'> = {
    runs: runsOf(kept), copies: copiesOf(layout, kept), env: Object.fromEntries(stage.env.map(e => [e.key, e.value])), entry: entry.argv, builderEntry,
    groups: choice.ok ? choice.groups : {tag: stage.from.tag ?? ''}, runtime, runtimeImage: resolved, ...(workdir === undefined ? {} : {workdir}),
  };
  return {text, file, bases, stage, layout, from, kept, moved, rules, cgo, image, resolved, runtime, platform: written.platform, ctx, probes, commands, notes};
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

export function refuse(reason: string, line?: number): Refused {
  return line === undefined ? {ok: false, reason} : {ok: false, reason, line};
}

/** The builder's FROM node, for naming the stage. */
export function fromNode(from: Placed): From {
  return from.node as From;
}
