import {parseDockerfile} from '../../parse/dockerfile.js';
import {parseImageRef} from '../../parse/image-ref.js';
import {unwritable} from '../text-edit.js';
import {layOut, sourceOf, type Layout} from './layout.js';
import {imageName} from '../../knowledge/runtime-choice.js';

/*
 * Every rewrite is parsed again and checked against what it promised, as
 * snyk-docker-plugin's base-image updater does (STYLE.md). A mismatch is a bug in the
 * rewrite; it is reported as a reason and the file is left alone.
 */

/** What the output must look like. */
export interface Expectation {
  /** Number of stages after the edit. */
  stages: number;
  /** Instructions (source text) of each stage that must be there in order: all of them for stages before the final one; index = stage. */
  kept: ReadonlyArray<readonly string[]>;
  /** Name of the first stage, lower-cased as BuildKit does; undefined: not checked. */
  builderName?: string;
  /** The final stage's base as the parser reads it (`scratch` for none). */
  finalImage: string;
  /** The final stage's USER. */
  user: string;
  /** Keywords of instructions moved into the final stage, in order. */
  moved: readonly string[];
  /** Text before the first stage (directives, ARGs, comments) that must be unchanged. */
  preamble: string;
  /**
   * The stage `finalImage`, `user` and `moved` are about, by index: a compose `build.target`
   * builds an earlier stage than the last. Every other stage must keep its instructions exactly.
   */
  judged?: number;
}

/** The first thing that does not hold, or undefined when the output is as promised. */
export function verify(file: string, original: Layout, output: string, expected: Expectation): string | undefined {
  const bytes = unwritable(output);
  if (bytes) return `line ${bytes.line}: ${bytes.message}`;
  const parsed = parseDockerfile(file, output);
  if (!parsed.facts || parsed.errors.length > 0) return `the output does not parse: ${parsed.errors[0]?.message ?? 'no stages'}`;
  const stages = parsed.facts.stages;
  if (stages.length !== expected.stages) return `the output has ${stages.length} stages, not ${expected.stages}`;
  if (expected.builderName !== undefined && stages[0]!.name !== expected.builderName.toLowerCase()) return `the first stage is not named ${expected.builderName}`;
  const judged = expected.judged ?? expected.stages - 1;
  const final = stages[judged]!;
  const base = final.from?.raw ?? (final.fromStage === undefined ? 'scratch' : `stage ${final.fromStage}`);
  if (!sameImage(base, expected.finalImage)) return `the final stage is FROM ${base}, not ${expected.finalImage}`;
  if (final.user?.value !== expected.user) return `the ${judged === stages.length - 1 ? 'final' : `targeted (${judged + 1})`} stage's USER is ${final.user?.value ?? 'not set'}, not ${expected.user}`;
  if (!output.startsWith(expected.preamble)) return 'the text before the first FROM changed';

  const after = layOut(output);
  for (const [index, kept] of expected.kept.entries()) {
    const sources = after.instructions.filter(i => i.stage === index).map(i => sourceOf(after, i));
    // Stages other than the judged one get nothing new but an appended RUN, which `kept` lists.
    const exact = index !== judged;
    if (exact ? kept.length !== sources.length || !isSubsequence(kept, sources) : !isSubsequence(kept, sources)) return `an instruction of stage ${index + 1} is missing or out of order`;
  }
  const finalKeywords = after.instructions.filter(i => i.stage === judged).map(i => i.keyword);
  if (!isSubsequence(expected.moved, finalKeywords)) return 'an instruction moved to the runtime stage is missing';
  const comments = new Map<string, number>();
  for (const c of after.comments) comments.set(c, (comments.get(c) ?? 0) + 1);
  for (const c of original.comments) {
    const left = comments.get(c) ?? 0;
    if (left === 0) return `the comment "${c}" was lost`;
    comments.set(c, left - 1);
  }
  return undefined;
}

/** `docker.io/library/node:20` and `node:20` are the same image. */
export function sameImage(a: string, b: string): boolean {
  if (a === b) return true;
  const [x, y] = [parseImageRef(a, 0), parseImageRef(b, 0)];
  return imageName(x) === imageName(y) && x.tag === y.tag && x.digest === y.digest;
}

function isSubsequence(needles: readonly string[], haystack: readonly string[]): boolean {
  let at = 0;
  for (const item of haystack) if (at < needles.length && item === needles[at]) at++;
  return at === needles.length;
}
