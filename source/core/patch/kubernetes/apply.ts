import type {YAMLMap} from 'yaml';
import {applyEdits} from '../text-edit.js';
import {findContainer, findWorkload, readManifest, type Manifest, type Workload} from './locate.js';
import {detectStyle, type Style} from './render.js';
import {anchorMap, type Step} from './steps.js';
import type {ContainerRef} from './verify.js';

/*
 * Runs the steps of a change, each on a fresh parse of the text so far, so edits never
 * overlap and every position and indentation is read from the current source. The text
 * is one piece of the manifest (see documents.ts): its first document is `piece.first`.
 */

/** A piece of a manifest: its text, the index of its first document in the file, and the file's line end. */
export interface Piece {
  text: string;
  first: number;
  eol: Style['eol'];
}

let last: {text: string; first: number; manifest: Manifest} | undefined;

/** readManifest, remembering the last text: a change reads the same text several times. The nodes are only read, never changed, so sharing them is safe. */
function parse(text: string, first: number): Manifest {
  if (last?.text !== text || last.first !== first) last = {text, first, manifest: readManifest(text, first)};
  return last.manifest;
}

export type Located = {workload: Workload; container: YAMLMap} | {blocked: string} | undefined;

/** The container a change set names, in the piece as it is now. */
export function locate(piece: Piece, ref: ContainerRef): Located {
  const manifest = parse(piece.text, piece.first);
  const workload = findWorkload(manifest, ref.document, ref.workload.kind, ref.workload.name);
  const found = workload ? findContainer(workload, ref.container, ref.init) : undefined;
  if (!workload || !found) return undefined;
  return 'blocked' in found ? found : {workload, container: found.map};
}
/** One step on a parse of the piece: a fresh one unless `located` is given. */
function runStep(piece: Piece, ref: ContainerRef, step: Step, located = locate(piece, ref)): {text: string} | {conflict: string} {
  if (!located || 'blocked' in located) return {conflict: located?.blocked ?? 'the container is gone'};
  const map = anchorMap(located.workload, located.container, step.at);
  if (!map) return {conflict: `no ${step.at === 'pod' ? 'pod spec' : 'spec'} to add ${step.path.join('.')} to`};
  const {text} = piece;
  const outcome = step.run(map, {text, style: detectStyle(text, located.workload.doc, piece.eol)});
  if (outcome.kind === 'conflict') return {conflict: outcome.reason};
  return {text: outcome.kind === 'edit' ? applyEdits(text, outcome.edits) : text};
}

/**
 * Runs the steps of one change: first each on the current text, keeping nothing (any
 * conflict skips the whole change), then one after another, each on a fresh parse.
 */
export function runSteps(piece: Piece, ref: ContainerRef, steps: readonly Step[]): {text: string} | {conflict: string} {
  const located = locate(piece, ref);
  for (const step of steps) {
    const tried = runStep(piece, ref, step, located);
    if ('conflict' in tried) return tried;
  }
  let current = piece;
  for (const step of steps) {
    const done = runStep(current, ref, step);
    if ('conflict' in done) return done;
    current = {...current, text: done.text};
  }
  return {text: current.text};
}

