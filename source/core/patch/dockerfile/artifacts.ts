import {posix} from 'node:path';
import type {Argv, Segment} from './command.js';
import type {Placed} from './layout.js';
import type {BuilderEntry} from '../../knowledge/runtime-bases.js';
import type {RuntimeInfo} from '../../knowledge/runtime-choice.js';

/*
 * What the runtime stage copies from the builder. Each language module reads the
 * builder's RUNs and CMD and answers with COPY lines, or with the precise reason it
 * cannot tell (the wizard then asks; `fix --yes` leaves the file alone).
 */

/**
 * How much of the build the runtime stage takes, most minimal first: the proof-by-running
 * step tries them in this order and keeps the first whose image works.
 * - `minimal`: what the command needs: the build output CMD names, the files the command line
 *   names, the app tree for interpreted languages; the runtime user owns only what the app writes.
 * - `app-tree`: the whole WORKDIR as built (sources and build leftovers included), otherwise the same.
 * - `conservative`: the WORKDIR as built with the builder's file ownership kept (what the build
 *   handed to its user is the runtime user's), and devDependencies not pruned.
 */
export type RewriteLevel = 'minimal' | 'app-tree' | 'conservative';

/** The levels in the order they are tried. */
export const rewriteLevels: readonly RewriteLevel[] = ['minimal', 'app-tree', 'conservative'];

/** A COPY or ADD of the builder: what it brings in, and where to. */
export interface CopyIn {
  placed: Placed;
  /** Sources as written (`.`, `lib/`, `package*.json`); `--from` copies are left out. */
  sources: string[];
  /** Destination, absolute (resolved against WORKDIR); ends in `/` when written so. */
  to: string;
  /** `--chown` value, if any. */
  chown?: string;
}

/** Everything a language module may look at. */
export interface BuildContext {
  /** The candidate being made. */
  level: RewriteLevel;
  /** Every COPY and ADD from the build context, in order. */
  copies: readonly CopyIn[];
  /** Every RUN of the builder with its simple commands. */
  runs: ReadonlyArray<{placed: Placed; segments: readonly Segment[]}>;
  /** WORKDIR at the end of the builder; the runtime stage uses the same. */
  workdir?: string;
  /** ENV of the builder, later values winning. */
  env: Readonly<Record<string, string>>;
  /** What the container runs: ENTRYPOINT and CMD combined. */
  entry?: Argv;
  builderEntry: BuilderEntry;
  /** Named groups of the table rule that picked the runtime (e.g. `minor`). */
  groups: Readonly<Record<string, string>>;
  runtime: RuntimeInfo;
  runtimeImage: string;
}

/** One `COPY --from=<builder> sources... to` line; all paths absolute. */
export interface CopyLine {
  sources: string[];
  to: string;
  /** `--chown` for this copy (`0:0` takes back what the build handed to its user). */
  chown?: string;
}

/** What the runtime stage gets. */
export interface ArtifactPlan {
  copies: CopyLine[];
  /** A RUN appended to the builder (npm prune), with a comment saying why. */
  tail?: {comment: string; run: string};
  /** Absolute paths the runtime stage will have (files or directories), for checking what CMD runs. */
  provided: string[];
  notes: string[];
}

/** Why the module cannot tell what to copy. */
export interface Refusal {
  refuse: string;
  line?: number;
}

export type ArtifactOutcome = ArtifactPlan | Refusal;

export function refusal(refuse: string, line?: number): Refusal {
  return line === undefined ? {refuse} : {refuse, line};
}

export function isRefusal<T>(outcome: T | Refusal): outcome is Refusal {
  return typeof outcome === 'object' && outcome !== null && 'refuse' in outcome;
}

/** A simple command found in the builder's RUNs, with whether a `cd` came before it in the same RUN. */
export interface Found {
  placed: Placed;
  segment: Segment;
  afterCd: boolean;
}

/** Every simple command of the builder matching `test`, in order. */
export function findAll(ctx: BuildContext, test: (segment: Segment) => boolean): Found[] {
  const found: Found[] = [];
  for (const run of ctx.runs) {
    let afterCd = false;
    for (const segment of run.segments) {
      if (segment.words[0] === 'cd' || segment.words[0] === 'pushd') afterCd = true;
      else if (test(segment)) found.push({placed: run.placed, segment, afterCd});
    }
  }
  return found;
}

/** `path` made absolute against `dir`. */
export function resolveIn(dir: string | undefined, path: string): string {
  return posix.normalize(path.startsWith('/') ? path : posix.join(dir ?? '/', path));
}

/** A reason for a command that runs after `cd`, where the rewrite can no longer tell the directory. */
export function afterCdReason(what: string, found: Found): Refusal {
  return refusal(`${what} runs after a cd in the same RUN (line ${found.placed.line}), so the directory it works in is unclear; use WORKDIR instead of cd`, found.placed.line);
}

/** The app directory for interpreted languages: the final WORKDIR, which must not be `/`. */
export function appDir(ctx: BuildContext): string | Refusal {
  if (ctx.workdir === undefined || ctx.workdir === '/') {
    return refusal('the app\'s files are copied to / (no WORKDIR), so they cannot be told apart from the base image\'s files; add WORKDIR /app before the COPY');
  }
  if (ctx.workdir.includes('$')) return refusal(`WORKDIR ${ctx.workdir} depends on a variable, so the directory to copy is unknown`);
  return ctx.workdir;
}

/** The whole app directory as built: the `app-tree` and `conservative` levels, and interpreted apps. */
export function appTree(dir: string, why: string): ArtifactPlan {
  return {copies: [{sources: [dir], to: dir}], provided: [dir], notes: [`the whole ${dir} is copied: ${why}`]};
}

/** Basename of the program, `/usr/local/bin/node` -> `node`. */
export function programName(word: string): string {
  return posix.basename(word);
}
