import {isRootUser} from '../../knowledge/well-known-images.js';
import {applyEdits} from '../text-edit.js';
import {type ArtifactPlan, type BuildContext, type CopyLine, isRefusal, refusal, type Refusal, type RewriteLevel, rewriteLevels} from './artifacts.js';
import {builderEdits, withBlankLine} from './builder-edits.js';
import {checkPackages, checkPrograms} from './checks.js';
import {argsFor} from './context.js';
import {sourceOf} from './layout.js';
import {copiedIn, namedPaths, type NamedPaths} from './named.js';
import {ownershipOf, within} from './ownership.js';
import {prepare, refuse, type Prepared, type Refused, type RewriteOptions} from './prepare.js';
import {headerComment, renderRuntimeStage} from './render.js';
import {planUser} from './user.js';
import {verify} from './verify.js';
import {madeForCommand, writableDirs, writableLines} from './writable.js';

export type {RewriteOptions} from './prepare.js';

/** One rewrite of the file: builder + runtime stage, verified by parsing it back. */
export interface RewriteCandidate {
  /** How much of the build the runtime stage takes (artifacts.ts). */
  level: RewriteLevel;
  text: string;
  /** The runtime stage's base, as the parser reads it. */
  runtimeBase: string;
  /** The runtime stage's USER. */
  user: string;
  /** What was chosen and why, and what a person should check. */
  notes: string[];
}

/** The rewritten text and what was chosen, or why the file is left alone. */
export type RewriteResult = ({ok: true} & RewriteCandidate) | Refused;

/** Every candidate, most minimal first; or why there is none. */
export type CandidatesResult =
  | {
      ok: true;
      candidates: RewriteCandidate[];
      /** Levels that gave no candidate of their own, and why (the same text as a more minimal one is not listed). */
      skipped: Array<{level: RewriteLevel; reason: string}>;
    }
  | Refused;

/**
 * Every way to split a single-stage Dockerfile into a builder and a runtime stage, most
 * minimal first (`minimal`, `app-tree`, `conservative`; see {@link RewriteLevel}), each a
 * complete text verified by parsing it back. A level whose text equals a more minimal one's
 * is left out, and one that cannot be made is in `skipped` with its reason. The caller that
 * proves rewrites on an engine tries them in order and keeps the first whose image works;
 * `fix` without an engine writes the first. The builder keeps its bytes but for the stage
 * name, the moved runtime metadata (CMD, EXPOSE, HEALTHCHECK...) and an appended prune.
 * The input has no BOM. Pure: the same text and options give the same candidates.
 */
export function rewriteCandidates(file: string, text: string, options: RewriteOptions = {}): CandidatesResult {
  const prepared = prepare(file, text, options);
  if (!('ctx' in prepared)) return prepared;
  const candidates: RewriteCandidate[] = [];
  const skipped: Array<{level: RewriteLevel; reason: string}> = [];
  let first: Refused | undefined;
  for (const level of rewriteLevels) {
    const made = candidate(prepared, level, options);
    if ('reason' in made) {
      first ??= made;
      skipped.push({level, reason: made.reason});
    } else if (!candidates.some(c => c.text === made.text)) {
      candidates.push(made);
    }
  }
  if (candidates.length === 0) return first!;
  const minimal = skipped.find(s => s.level === 'minimal');
  if (minimal) candidates[0]!.notes.unshift(`no minimal rewrite: ${minimal.reason}`);
  return {ok: true, candidates, skipped};
}

/** The first candidate of {@link rewriteCandidates}: what `fix` writes. */
export function rewriteMultiStage(file: string, text: string, options: RewriteOptions = {}): RewriteResult {
  const result = rewriteCandidates(file, text, options);
  return result.ok ? {ok: true, ...result.candidates[0]!} : result;
}

function candidate(p: Prepared, level: RewriteLevel, options: RewriteOptions): RewriteCandidate | Refused {
  const ctx: BuildContext = {...p.ctx, level};
  const outcome = p.rules(ctx);
  if (isRefusal(outcome)) return refuse(outcome.refuse, outcome.line);
  const named = namedPaths(ctx.entry, ctx.workdir);
  const writes = [...named.writes, ...madeForCommand(ctx.runs, [...named.reads, ...named.writes])];
  const plan = withNamedFiles(outcome, named, writes, ctx);
  const problem = checkPackages(ctx, ctx.builderEntry.language === 'go' && p.cgo) ?? checkPrograms(ctx, plan, p.commands) ?? checkShell(p);
  if (problem) return refuse(problem.refuse, problem.line);

  const {stage, layout, runtime, resolved} = p;
  const builderUser = stage.user && !isRootUser(stage.user.value) && !stage.user.value.includes('$') ? stage.user.value : undefined;
  const user = planUser(p.bases, runtime, resolved, options.user ?? builderUser);
  if (!user.ok) return refuse(user.reason);
  const notes = [...p.notes];
  const ownership = ownershipOf(ctx, p.kept);
  const reset = level !== 'conservative' && ownership.handedOut;
  // Conservative: what the build handed over whole is the runtime user's again, as the build meant.
  const handed = level === 'conservative' ? ownership.trees.filter(tree => plan.copies.some(c => c.sources.some(s => within(tree, s)))) : [];
  const dirs = writableDirs(stage, p.moved.filter(m => m.keyword === 'VOLUME'), runtime.user?.home, [...writes, ...handed]);
  if (dirs.length > 0 && !runtime.shell) notes.push(`${resolved} has no shell to create ${dirs.join(', ')} for the user: mount a tmpfs or volume there`);
  const copies = plan.copies.map((copy): CopyLine => {
    if (reset) return {...copy, chown: '0:0'};
    return handed.some(tree => copy.sources.every(s => within(s, tree))) ? {...copy, chown: user.owner} : copy;
  });
  if (reset) notes.push(`the files the build gave to a user (chown, COPY --chown, RUN after USER) are root's in the runtime stage (COPY --chown=0:0), so the app cannot rewrite its code; the user owns only ${dirs.length > 0 ? dirs.join(', ') : 'its home'}`);
  if (level === 'conservative' && ownership.handedOut) notes.push('the files keep the owners the build gave them');
  const execForm = !runtime.shell && p.commands.some(c => c.argv.shell);
  if (execForm) notes.push(`${resolved} has no shell: shell-form commands are written in exec form`);

  const {edits, builderName, fromText} = builderEdits(layout, p.from, p.moved);
  const envs = p.kept.filter(k => k.keyword === 'ENV');
  const runtimeText = renderRuntimeStage(layout, {
    builderName, platform: p.platform, image: p.image, header: headerComment(resolved),
    args: argsFor(layout, envs, p.kept), env: envs, copies, moved: p.moved, execForm, probes: p.probes,
    ...(reset ? {copyComment: '# harden: the app\'s files are root\'s here, though the build gave them to a user: the app reads its code, it does not rewrite it'} : {}),
    writable: runtime.shell ? writableLines(dirs, user.owner) : [], user,
    ...(ctx.workdir === undefined ? {} : {workdir: ctx.workdir}), ...(user.create ? {createUser: user.create} : {}),
  });
  // Prune only deletes: as root it works whatever USER the build ended with and whoever owns node_modules.
  const asRoot = stage.user !== undefined && !isRootUser(stage.user.value) ? ['USER root'] : [];
  const tailLines = plan.tail ? [...asRoot, `RUN ${plan.tail.run}`] : [];
  const tail = plan.tail ? [plan.tail.comment, ...tailLines, ''].join(layout.eol) + layout.eol : '';
  const output = withBlankLine(applyEdits(p.text, edits), layout.eol) + tail + runtimeText;

  const keptSources = [...p.kept.map(k => sourceOf(layout, k)), ...tailLines];
  const failure = verify(p.file, layout, output, {
    stages: 2, kept: [[fromText, ...keptSources]], builderName, finalImage: resolved, user: user.value,
    moved: p.moved.map(m => m.keyword), preamble: p.text.slice(0, p.from.blockStart),
  });
  if (failure) return refuse(`the rewrite did not verify, so the file is left alone (a bug in harden): ${failure}`);
  return {level, text: output, runtimeBase: resolved, user: user.value, notes: [...notes, ...plan.notes, ...user.notes]};
}

/**
 * Adds what the command line reads and the build brought in (a COPY's destination holds it)
 * when the artifacts do not cover it already; what nothing is known to make is only named in
 * a note, since a COPY of a missing file fails the build.
 */
function withNamedFiles(plan: ArtifactPlan, named: NamedPaths, writes: readonly string[], ctx: BuildContext): ArtifactPlan {
  const provided = [...plan.provided];
  const copies = [...plan.copies];
  const notes = [...plan.notes];
  const covered = (path: string) => [...provided, ...writes].some(p => within(path, p));
  for (const path of named.reads) {
    if (covered(path)) continue;
    if (copiedIn(path, ctx.copies)) {
      copies.push({sources: [path], to: path});
      provided.push(path);
      notes.push(`${path} is copied too: the command line names it`);
    } else {
      notes.push(`the command line names ${path}, which nothing in the build is known to make, so it is not copied; COPY it if the app reads it`);
    }
  }
  return {...plan, copies, provided, notes};
}

/** A custom SHELL in the builder would not apply to shell-form commands moved to the runtime stage. */
function checkShell(p: Prepared): Refusal | undefined {
  const shell = p.kept.find(k => k.keyword === 'SHELL');
  if (!shell || !p.commands.some(c => c.argv.shell)) return undefined;
  return refusal(`SHELL (line ${shell.line}) changes how shell-form commands run, and the runtime stage would use /bin/sh; write CMD and HEALTHCHECK in exec form`, shell.line);
}
