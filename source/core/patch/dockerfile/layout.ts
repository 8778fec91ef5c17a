import {posix} from 'node:path';
import {DockerfileParser, type Instruction} from 'dockerfile-ast';
import {eolOf} from '../text-edit.js';

/*
 * Where every instruction sits in the text, as offsets, so edits are splices of the
 * original bytes. dockerfile-ast ranges are line/character pairs; an instruction's range
 * covers its continuation lines and heredoc bodies.
 */

/** One instruction with its place in the text. */
export interface Placed {
  /** Upper-case keyword (`FROM`, `RUN`). */
  keyword: string;
  node: Instruction;
  /** Offset of the keyword. */
  start: number;
  /** Offset just after the instruction's last character (heredoc bodies included). */
  end: number;
  /** Offset of the start of its first line. */
  lineStart: number;
  /** Offset just after its last line's line break (or the end of the text). */
  next: number;
  /** Start of the comment lines directly above it (no blank line between); `lineStart` when none. */
  blockStart: number;
  /** Arguments with line continuations joined. */
  args: string;
  /** 1-based line of the keyword. */
  line: number;
  /** Index of the stage it belongs to; -1 before the first FROM. */
  stage: number;
  /** WORKDIR in force when it runs, resolved; undefined when none was set. */
  workdir?: string;
}

/** A Dockerfile as placed instructions. */
export interface Layout {
  text: string;
  eol: '\r\n' | '\n';
  escape: string;
  instructions: Placed[];
  /** Every comment line as written, without its line break; those inside continuations too. */
  comments: string[];
  /** Number of FROM instructions. */
  stageCount: number;
  /** Offset of a dockerfile-ast position. */
  offset(position: {line: number; character: number}): number;
}

export function layOut(text: string): Layout {
  const dockerfile = DockerfileParser.parse(text);
  const escape = dockerfile.getEscapeCharacter();
  const starts = lineStarts(text);
  const offset = (p: {line: number; character: number}) => Math.min((starts[p.line] ?? text.length) + p.character, text.length);
  const nextLine = (line: number) => starts[line + 1] ?? text.length;
  const commentLines = new Set(dockerfile.getComments().map(c => c.getRange().start.line));
  const nodes = dockerfile.getInstructions();
  const inside = new Set<number>();
  for (const node of nodes) {
    const r = node.getRange();
    for (let l = r.start.line + 1; l <= r.end.line; l++) inside.add(l);
  }

  const instructions: Placed[] = [];
  let stage = -1;
  let workdir: string | undefined;
  for (const node of nodes) {
    const range = node.getRange();
    const keyword = node.getKeyword();
    if (keyword === 'FROM') {
      stage++;
      workdir = undefined;
    }
    let first = range.start.line;
    while (first > 0 && commentLines.has(first - 1) && !inside.has(first - 1)) first--;
    const placed: Placed = {
      keyword,
      node,
      start: offset(range.start),
      end: offset(range.end),
      lineStart: starts[range.start.line] ?? text.length,
      next: nextLine(range.end.line),
      blockStart: starts[first] ?? text.length,
      args: joinContinuations(node.getArgumentsContent() ?? '', escape),
      line: range.start.line + 1,
      stage,
    };
    if (keyword === 'WORKDIR') {
      const dir = placed.args.trim();
      workdir = dir.startsWith('/') || dir.includes('$') ? posix.normalize(dir) : posix.join(workdir ?? '/', dir);
    }
    if (workdir !== undefined) placed.workdir = workdir;
    instructions.push(placed);
  }
  const comments = [...commentLines].sort((a, b) => a - b).map(l => lineText(text, starts, l));
  return {text, eol: eolOf(text), escape, instructions, comments, stageCount: stage + 1, offset};
}

/** Offsets where each line starts; a line ends at `\n`, `\r\n` or a lone `\r`, as dockerfile-ast counts them. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) starts.push(i + 1);
  }
  return starts;
}

function lineText(text: string, starts: number[], line: number): string {
  const from = starts[line] ?? text.length;
  const to = starts[line + 1] ?? text.length;
  return text.slice(from, to).replace(/\r?\n$|\r$/, '');
}

/** Joins `\`-newline (or the `# escape=` character) continuations into one line. */
export function joinContinuations(text: string, escape: string): string {
  const marker = escape === '`' ? '`' : '\\\\';
  return text.replace(new RegExp(`${marker}[ \\t]*\\r?\\n`, 'g'), ' ');
}

/** The source text of an instruction as written, continuations and heredocs included. */
export function sourceOf(layout: Layout, placed: Placed): string {
  return layout.text.slice(placed.start, placed.end);
}

/** True when the last instruction ends in a line continuation: a line added after it would join it. */
export function endsInContinuation(layout: Layout): boolean {
  const last = layout.instructions.at(-1);
  return last !== undefined && sourceOf(layout, last).trimEnd().endsWith(layout.escape);
}

/** The reason given for {@link endsInContinuation}. */
export const continuationAtEnd = 'the last instruction ends with a line continuation, so a line added after it would become part of it; end that line without it';
