import type {From} from 'dockerfile-ast';
import type {Stage} from '../../model/facts.js';
import {effectiveArgv, healthcheckArgv, parseArgv, segments, splitWords, type Argv} from './command.js';
import {resolveIn, type BuildContext, type CopyIn} from './artifacts.js';
import {joinContinuations, sourceOf, type Layout, type Placed} from './layout.js';

/*
 * Reading the single stage: which instructions move to the runtime stage, what the
 * container runs, whether Go builds without cgo, and how the base image is written.
 */

/** Runtime metadata: meaningless in a builder, so it moves to the runtime stage. */
export const movedKeywords: ReadonlySet<string> = new Set(['EXPOSE', 'HEALTHCHECK', 'ENTRYPOINT', 'CMD', 'LABEL', 'STOPSIGNAL', 'VOLUME']);

/** The builder's instructions split into the FROM, those that stay and those that move. */
export interface Split {
  from: Placed;
  kept: Placed[];
  moved: Placed[];
}

export function splitStage(layout: Layout, stage: number): Split {
  const all = layout.instructions.filter(i => i.stage === stage);
  const [from, ...rest] = all;
  return {from: from!, kept: rest.filter(i => !movedKeywords.has(i.keyword)), moved: rest.filter(i => movedKeywords.has(i.keyword))};
}

/** The RUNs of a list of instructions with their simple commands. */
export function runsOf(placed: readonly Placed[]): BuildContext['runs'] {
  return placed.filter(p => p.keyword === 'RUN').map(p => ({placed: p, segments: segments(p.args)}));
}

/** The COPY and ADD instructions that bring in files from the build context (heredocs and --from left out). */
export function copiesOf(layout: Layout, placed: readonly Placed[]): CopyIn[] {
  const result: CopyIn[] = [];
  for (const p of placed) {
    if (p.keyword !== 'COPY' && p.keyword !== 'ADD') continue;
    // `args` lacks the flags (dockerfile-ast leaves them out): read them from the source.
    const text = joinContinuations(sourceOf(layout, p), layout.escape).replace(/^\S+\s*/, '').trim();
    if (text.includes('<<')) continue;
    const flags = text.match(/^(?:--\S+\s+)*/)![0];
    if (/--from=/.test(flags)) continue;
    const rest = text.slice(flags.length);
    const words = rest.startsWith('[') ? parseArgv(rest).words : splitWords(rest);
    if (words.length < 2 || words.some(w => w.includes('$'))) continue;
    const to = words.at(-1)!;
    const chown = /--chown=(\S+)/.exec(flags)?.[1];
    const copy: CopyIn = {placed: p, sources: words.slice(0, -1), to: resolveIn(p.workdir, to).replace(/(.)\/$/, '$1') + (to.endsWith('/') && to !== '/' ? '/' : '')};
    if (chown !== undefined) copy.chown = chown;
    result.push(copy);
  }
  return result;
}

/** What the container runs (ENTRYPOINT + CMD), and the instruction to blame for it. */
export function entryOf(placed: readonly Placed[]): {argv: Argv; placed: Placed} | undefined {
  const cmd = placed.filter(p => p.keyword === 'CMD').at(-1);
  const entrypoint = placed.filter(p => p.keyword === 'ENTRYPOINT').at(-1);
  const argv = effectiveArgv(entrypoint && parseArgv(entrypoint.args), cmd && parseArgv(cmd.args));
  const blame = [cmd, entrypoint].filter((p): p is Placed => p !== undefined).sort((a, b) => b.line - a.line)[0];
  return argv && blame ? {argv, placed: blame} : undefined;
}

/** Every command a moved instruction runs, for checking the runtime has the programs. */
export function runtimeCommands(moved: readonly Placed[]): Array<{placed: Placed; argv: Argv}> {
  const commands: Array<{placed: Placed; argv: Argv}> = [];
  const entry = entryOf(moved);
  if (entry) commands.push(entry);
  for (const health of moved.filter(p => p.keyword === 'HEALTHCHECK')) {
    const argv = healthcheckArgv(health.args);
    if (argv) commands.push({placed: health, argv});
  }
  return commands;
}

/** True when go build runs with CGO_ENABLED=0: ENV, an ARG default, or a prefix or export in the RUN. */
export function cgoDisabled(stage: Stage, kept: readonly Placed[]): boolean {
  if (stage.env.some(e => e.key === 'CGO_ENABLED' && e.value === '0')) return true;
  if (kept.some(p => p.keyword === 'ARG' && /(^|\s)CGO_ENABLED=["']?0["']?(\s|$)/.test(p.args))) return true;
  return runsOf(kept).some(run => run.segments.some(s => s.env['CGO_ENABLED'] === '0' || (s.words[0] === 'export' && s.words.includes('CGO_ENABLED=0'))));
}

/** The image name and tag as written in FROM (`${REGISTRY}/node`, `${NODE_VERSION}`). */
export function writtenImage(from: Placed): {rawName: string; rawTag?: string; platform: string} {
  const node = from.node as From;
  const image = (node.getImage() ?? '').replace(/@.*$/, '');
  const colon = image.lastIndexOf(':');
  const hasTag = colon > image.lastIndexOf('/');
  const platform = node.getPlatformFlag()?.getValue() ?? '';
  // A build-platform FROM is for cross-compiling; the runtime runs on the target platform.
  const fixed = platform !== '' && !platform.includes('BUILDPLATFORM') ? `--platform=${platform} ` : '';
  const written: {rawName: string; rawTag?: string; platform: string} = {rawName: hasTag ? image.slice(0, colon) : image, platform: fixed};
  if (hasTag) written.rawTag = image.slice(colon + 1);
  return written;
}

/**
 * ARG lines the runtime stage needs for the ENVs it copies, as the builder declared
 * them (`ARG APP_HOME` keeps inheriting the global default). A global ARG the builder
 * never declared was not in scope there either, so it is not declared here.
 */
export function argsFor(layout: Layout, env: readonly Placed[], kept: readonly Placed[]): string[] {
  const names = new Set<string>();
  for (const e of env) for (const m of e.args.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]!);
  const lastEnv = Math.max(...env.map(e => e.line));
  const lines = kept
    .filter(p => p.keyword === 'ARG' && p.line < lastEnv && names.has(p.args.trim().split(/[=\s]/)[0]!))
    .map(p => layout.text.slice(p.start, p.end));
  return [...new Set(lines)];
}
