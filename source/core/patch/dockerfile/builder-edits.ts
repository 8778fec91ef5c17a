import type {From} from 'dockerfile-ast';
import type {TextEdit} from '../text-edit.js';
import {sourceOf, type Layout, type Placed} from './layout.js';

/*
 * The builder keeps its bytes: the only edits are its stage name and the removal of the
 * instructions that move to the runtime stage (with their comment blocks).
 */

/** Names the builder stage (unless it has a name) and removes the moved instructions. */
export function builderEdits(layout: Layout, from: Placed, moved: readonly Placed[]): {edits: TextEdit[]; builderName: string; fromText: string} {
  const node = from.node as From;
  const name = node.getBuildStage();
  const edits = moved.map(p => removal(layout, p));
  if (name !== null) return {edits, builderName: name, fromText: sourceOf(layout, from)};
  const at = layout.offset(node.getImageRange()!.end);
  const as = node.getInstruction() === node.getInstruction().toLowerCase() ? ' as builder' : ' AS builder';
  edits.push({start: at, end: at, text: as});
  return {edits, builderName: 'builder', fromText: layout.text.slice(from.start, at) + as + layout.text.slice(at, from.end)};
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
export function withBlankLine(text: string, eol: string): string {
  if (text === '') return text;
  const ended = /(\r\n|\n|\r)$/.test(text) ? text : text + eol;
  return lastLineBlank(ended) ? ended : ended + eol;
}
