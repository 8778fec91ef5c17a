import {isMap, isScalar, LineCounter, type Node, type Pair, type YAMLMap} from 'yaml';
import {readYaml} from '../../parse/yaml-read.js';
import type {PlannedChange} from '../../model/plan.js';
import {loneCrAsLf} from '../../parse/line-breaks.js';
import {lineOf, yamlErrors} from '../../parse/yaml-nodes.js';
import {restoreBreaks} from '../restore-breaks.js';
import {applyEdits, eolOf, type TextEdit} from '../text-edit.js';
import type {ComposeSkip} from './changes.js';
import {newKeysEdit, topVolumeEdits, topVolumes} from './keys.js';
import {detectLayout, ownPair} from './layout.js';
import type {PlannedState} from './effective.js';
import {aliasedAnchors, mapChain, servicePairs, siteOf, type Source} from './locate.js';
import {patchService} from './service.js';
import {verifyPatch} from './verify.js';

export type {ComposeSkip} from './changes.js';

/** The patched text of a compose file and what was not done. */
export interface ComposePatchResult {
  /** The whole new text; byte-identical to the input when nothing had to change. */
  text: string;
  /** Changes not made, each with the reason (never skipped silently). */
  skipped: ComposeSkip[];
}

/** Why a compose file was not patched; the caller then writes nothing. */
export interface ComposePatchError {
  file: string;
  /** 1-based line the problem is on (1 when it has no better place). */
  line: number;
  /** One line. */
  message: string;
}

export type ComposePatch = {ok: true; result: ComposePatchResult} | {ok: false; error: ComposePatchError};

/**
 * Applies planned changes (keyed by service name) to a compose file as surgical text
 * edits: comments, blank lines, quoting and line endings are kept, new lines follow
 * the file's indentation. The result is re-parsed and checked (see verify.ts);
 * anything unexpected returns an error instead of a text. A file with lone CRs for line
 * breaks is patched as its LF copy, then given its own breaks back (restore-breaks.ts).
 */
export function patchCompose(file: string, text: string, changes: ReadonlyMap<string, readonly PlannedChange[]>): ComposePatch {
  const copy = loneCrAsLf(text);
  const patched = patchLf(file, copy, changes);
  if (copy === text || !patched.ok) return patched;
  return {ok: true, result: {...patched.result, text: restoreBreaks(text, copy, patched.result.text)}};
}

function patchLf(file: string, text: string, changes: ReadonlyMap<string, readonly PlannedChange[]>): ComposePatch {
  const lines = new LineCounter();
  const doc = readYaml(text, {merge: true, lineCounter: lines});
  const ctx = {doc, lines};
  const parseError = yamlErrors(file, ctx, text)[0];
  if (parseError) return {ok: false, error: parseError};
  const done = (result: string, skipped: ComposeSkip[]) => ({ok: true as const, result: {text: result, skipped}});
  const requested = [...changes].filter(([, list]) => list.length > 0);
  if (requested.length === 0) return done(text, []);

  const root = doc.contents;
  if (root !== null && !isMap(root)) return {ok: false, error: {file, line: lineOf(ctx, root as Node), message: 'not a compose file: the top level must be a mapping with a "services:" key'}};
  const servicesPair = root ? ownPair(root, 'services') : undefined;
  const src: Source = {
    file,
    ctx,
    layout: detectLayout(text, eolOf(text), servicesPair),
    aliased: aliasedAnchors(doc),
    services: isMap(servicesPair?.value) ? servicesPair.value : undefined,
  };
  const top = root ? topVolumes(src, root) : {has: () => false, problem: 'the file is empty'};
  const pairs = servicePairs(src);
  const edits: TextEdit[] = [];
  const skippedBy = new Map<string, ComposeSkip[]>();
  const applied = new Map<string, PlannedChange[]>();
  const owned = new Map<string, Set<string>>();
  const volumes = new Set<string>();
  const planned = new Map<YAMLMap, PlannedState>();
  for (const [name, list] of basesFirst(src, pairs, requested)) {
    const outcome = patchService(src, name, pairs.get(name), list, top, planned);
    edits.push(...outcome.edits);
    skippedBy.set(name, outcome.skipped);
    if (outcome.applied.length > 0) applied.set(name, outcome.applied);
    owned.set(name, outcome.owned);
    for (const volume of outcome.volumes) volumes.add(volume);
  }
  const skipped = requested.flatMap(([name]) => skippedBy.get(name) ?? []);
  if (volumes.size > 0 && root) {
    // Last: when services is the last top-level key, the service's own insertions share this offset.
    const rendered = topVolumeEdits(src, root, [...volumes]);
    if ('reason' in rendered) return {ok: false, error: {file, line: 1, message: `cannot declare the named volumes: ${rendered.reason}`}};
    edits.push(...rendered.edits);
    const created = rendered.newKey ? newKeysEdit(src, siteOf(src, root), [rendered.newKey]) : undefined;
    if (created) edits.push(created);
  }
  if (edits.length === 0) return done(text, skipped);

  const patched = applyEdits(text, edits);
  const serviceLine = (name: string) => {
    const key = pairs.get(name)?.key;
    return isScalar(key) ? lineOf(ctx, key) : 1;
  };
  const problem = verifyPatch(file, doc, text, patched, {applied, owned, volumes}, serviceLine);
  if (problem) return {ok: false, error: {file, ...problem}};
  return done(patched, skipped);
}

/** Services that others extend come before them, so those see what their base will get. */
function basesFirst(src: Source, pairs: ReadonlyMap<string, Pair>, requested: Array<[string, readonly PlannedChange[]]>): Array<[string, readonly PlannedChange[]]> {
  const depth = (name: string) => {
    const value = pairs.get(name)?.value;
    return isMap(value) ? mapChain(src, value).length : 0;
  };
  return requested.map(entry => ({entry, depth: depth(entry[0])})).sort((a, b) => a.depth - b.depth).map(({entry}) => entry);
}
