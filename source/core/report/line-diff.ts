import {diffArrays} from 'diff';

/*
 * A unified diff of two texts, in the same format as jsdiff's createTwoFilesPatch
 * (without its "====" first line), but linear on large files. jsdiff's line diff is
 * Myers' O(ND) over the whole file: the preview of a compose file with 4,000 patched
 * services took 130 s. It is still used whole while that work stays under a fixed budget,
 * which covers the files people write by hand, so their diffs are exactly what they were.
 * Beyond it, the lines that occur once in each text and in the same order (patience
 * diff's anchors) cut the texts into small gaps, and jsdiff diffs each gap. That can
 * differ from Myers where lines moved, and is as correct. A gap with no such line in it
 * (a file of identical blocks) is still diffed whole.
 */

/** Lines times edits jsdiff may spend on a whole file: about 0.1 s. */
export const exactBudget = 10_000_000;

/** A run of lines, each with its line end: kept, removed from the old text or added in the new. */
interface Run {
  kind: ' ' | '-' | '+';
  lines: string[];
}

interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/** Lines as jsdiff's line diff cuts them: each keeps its `\n` (or `\r\n`); the last may have none. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    lines.push(text.slice(start, end + 1));
    start = end + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** The unified diff, `--- old` and `+++ new` first, 3 lines of context, ending with a newline. */
export function unifiedDiff(oldName: string, newName: string, before: string, after: string, budget = exactBudget): string {
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  for (const hunk of hunks(lineRuns(splitLines(before), splitLines(after), budget), 3)) {
    // A hunk of no lines names the line before it (the unified format's quirk), as jsdiff does.
    out.push(`@@ -${hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart},${hunk.oldLines} +${hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) {
      if (line.endsWith('\n')) out.push(line.slice(0, -1));
      else out.push(line, '\\ No newline at end of file');
    }
  }
  return out.join('\n') + '\n';
}

/**
 * The texts' lines as runs: jsdiff's diff of the whole when it takes at most `budget` line
 * steps, else the common start, then per gap between anchors jsdiff's diff of the gap, then the anchor.
 */
function lineRuns(a: string[], b: string[], budget: number): Run[] {
  const runs: Run[] = [];
  const push = (kind: Run['kind'], lines: readonly string[]) => {
    if (lines.length === 0) return;
    let last = runs.at(-1);
    if (last?.kind !== kind) runs.push((last = {kind, lines: []}));
    for (const line of lines) last.lines.push(line);
  };
  const exact = diffArrays(a, b, {maxEditLength: Math.floor(budget / Math.max(1, a.length + b.length))});
  if (exact) {
    for (const change of exact) push(change.added ? '+' : change.removed ? '-' : ' ', change.value);
    return runs;
  }
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  push(' ', a.slice(0, start));
  let [i, j] = [start, start];
  for (const [x, y] of [...anchors(a, b, start), [a.length, b.length]] as const) {
    const [oldGap, newGap] = [a.slice(i, x), b.slice(j, y)];
    if (oldGap.length === 0 || newGap.length === 0) {
      push('-', oldGap);
      push('+', newGap);
    } else {
      for (const change of diffArrays(oldGap, newGap)) push(change.added ? '+' : change.removed ? '-' : ' ', change.value);
    }
    if (x < a.length) push(' ', [a[x]!]);
    [i, j] = [x + 1, y + 1];
  }
  return runs;
}

/** Pairs (i, j) with a[i] = b[j] occurring once in each from `from` on, the longest chain increasing in both. */
function anchors(a: readonly string[], b: readonly string[], from: number): Array<[number, number]> {
  const seen = new Map<string, {inA: number; inB: number; i: number; j: number}>();
  for (let i = from; i < a.length; i++) {
    const entry = seen.get(a[i]!);
    if (entry) entry.inA++;
    else seen.set(a[i]!, {inA: 1, inB: 0, i, j: -1});
  }
  for (let j = from; j < b.length; j++) {
    const entry = seen.get(b[j]!);
    if (entry && entry.inB++ === 0) entry.j = j;
  }
  const pairs: Array<[number, number]> = [];
  for (const {inA, inB, i, j} of seen.values()) if (inA === 1 && inB === 1) pairs.push([i, j]);
  pairs.sort((p, q) => p[0] - q[0]);
  return longestIncreasing(pairs);
}

/** The longest subsequence of pairs (already in order of i) whose j increases too: patience sorting, O(k log k). */
function longestIncreasing(pairs: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const tails: number[] = [];
  const previous: number[] = [];
  for (let k = 0; k < pairs.length; k++) {
    const j = pairs[k]![1];
    let [low, high] = [0, tails.length];
    while (low < high) {
      const mid = (low + high) >> 1;
      if (pairs[tails[mid]!]![1] < j) low = mid + 1;
      else high = mid;
    }
    previous[k] = low > 0 ? tails[low - 1]! : -1;
    tails[low] = k;
  }
  const chain: Array<[number, number]> = [];
  for (let k = tails.at(-1) ?? -1; k !== -1; k = previous[k]!) chain.push(pairs[k]!);
  return chain.reverse();
}

/** jsdiff's hunks (structuredPatch): changes with `context` lines around, joined when at most twice that apart. */
function hunks(runs: Run[], context: number): Hunk[] {
  const all = [...runs, {kind: ' ' as const, lines: []}];
  const found: Hunk[] = [];
  let [oldStart, newStart, oldLine, newLine] = [0, 0, 1, 1];
  let current: string[] = [];
  for (let index = 0; index < all.length; index++) {
    const {kind, lines} = all[index]!;
    if (kind !== ' ') {
      if (!oldStart) {
        const previous = all[index - 1];
        [oldStart, newStart] = [oldLine, newLine];
        if (previous) {
          current = context > 0 ? previous.lines.slice(-context).map(line => ' ' + line) : [];
          oldStart -= current.length;
          newStart -= current.length;
        }
      }
      for (const line of lines) current.push(kind + line);
      if (kind === '+') newLine += lines.length;
      else oldLine += lines.length;
      continue;
    }
    if (oldStart) {
      if (lines.length <= context * 2 && index < all.length - 2) {
        for (const line of lines) current.push(' ' + line);
      } else {
        const size = Math.min(lines.length, context);
        for (const line of lines.slice(0, size)) current.push(' ' + line);
        found.push({oldStart, oldLines: oldLine - oldStart + size, newStart, newLines: newLine - newStart + size, lines: current});
        [oldStart, newStart, current] = [0, 0, []];
      }
    }
    oldLine += lines.length;
    newLine += lines.length;
  }
  return found;
}
