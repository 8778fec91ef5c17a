import {isAlias, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq} from 'yaml';
import type {TextEdit} from '../text-edit.js';
import {columnOf, dashColumnOf, insertLinesAfter, renderFlow, renderFlowPairs, renderItems, renderPairs, type Style, type YamlValue} from './render.js';

/*
 * Surgical edits of one mapping: set a scalar at a key path, or add an item to a
 * sequence at a key path, creating the maps and sequences on the way. Each returns
 * text edits at node ranges; nothing else of the file is touched.
 */

/** What an edit came to: text edits, nothing to do, or a reason it cannot be done safely. */
export type Outcome = {kind: 'edit'; edits: TextEdit[]} | {kind: 'same'} | {kind: 'conflict'; reason: string};

/** The text being edited and its measured style. */
export interface EditContext {
  text: string;
  style: Style;
}

type Found =
  | {kind: 'missing'; map: YAMLMap; rest: string[]}
  | {kind: 'empty'; map: YAMLMap; pair: Pair; rest: string[]}
  | {kind: 'found'; map: YAMLMap; pair: Pair; node: Node | null}
  | {kind: 'conflict'; reason: string};

/** The pair of a key written in this map itself (not inherited through `<<`). */
export function ownPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find(pair => isScalar(pair.key) && String(pair.key.value) === key) as Pair | undefined;
}

function hasMergeKey(map: YAMLMap): boolean {
  return map.items.some(pair => isScalar(pair.key) && (pair.key.value === '<<' || typeof pair.key.value === 'symbol'));
}

export function isNull(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

const shared = 'editing it would change every place that uses it; change it by hand';

function descend(map: YAMLMap, path: readonly string[]): Found {
  let current = map;
  for (let i = 0; i < path.length; i++) {
    const where = path.slice(0, i + 1).join('.');
    if (current.anchor) return {kind: 'conflict', reason: `the mapping holding ${where} has the YAML anchor &${current.anchor}; ${shared}`};
    const pair = ownPair(current, path[i]!);
    if (!pair) {
      if (hasMergeKey(current)) return {kind: 'conflict', reason: `${where} may be inherited through a YAML merge key (<<); a new key would hide what it inherits`};
      return {kind: 'missing', map: current, rest: path.slice(i)};
    }
    const value = pair.value as Node | null;
    if (isAlias(value)) return {kind: 'conflict', reason: `${where} is the YAML alias *${value.source}; ${shared}`};
    if (i === path.length - 1) return {kind: 'found', map: current, pair, node: value};
    if (isNull(value) || (isMap(value) && value.flow && value.items.length === 0 && !value.anchor)) return {kind: 'empty', map: current, pair, rest: path.slice(i + 1)};
    if (!isMap(value)) return {kind: 'conflict', reason: `${where} is not a mapping`};
    current = value;
  }
  throw new Error('empty key path');
}

function nest(rest: readonly string[], leaf: YamlValue): YamlValue {
  return rest.reduceRight<YamlValue>((value, key) => ({[key]: value}), leaf);
}

/** Sets `path` to the rendered scalar `raw` unless `same` says the value is already right. */
export function setScalar(ctx: EditContext, map: YAMLMap, path: readonly string[], raw: string, same: (node: Node | null) => boolean): Outcome {
  const found = descend(map, path);
  switch (found.kind) {
    case 'conflict':
      return found;
    case 'missing':
      return addPairs(ctx, found.map, nest(found.rest, raw) as {[key: string]: YamlValue});
    case 'empty':
      return fill(ctx, found.map, found.pair, nest(found.rest, raw));
    case 'found': {
      const node = found.node;
      if (same(node)) return {kind: 'same'};
      if (isNull(node)) return fill(ctx, found.map, found.pair, raw);
      const block = isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
      if (!isScalar(node) || block || node.anchor || !node.range) return {kind: 'conflict', reason: `${path.join('.')} is not a plain value`};
      return {kind: 'edit', edits: [{start: node.range[0], end: node.range[1], text: raw}]};
    }
  }
}

/** Appends `item` to the sequence at `path` unless `present` finds it there already. */
export function addItem(ctx: EditContext, map: YAMLMap, path: readonly string[], item: YamlValue, present: (seq: YAMLSeq) => boolean): Outcome {
  const found = descend(map, path);
  switch (found.kind) {
    case 'conflict':
      return found;
    case 'missing':
      return addPairs(ctx, found.map, nest(found.rest, [item]) as {[key: string]: YamlValue});
    case 'empty':
      return fill(ctx, found.map, found.pair, nest(found.rest, [item]));
    case 'found': {
      const node = found.node;
      const emptyFlow = isSeq(node) && node.flow && node.items.length === 0 && !found.map.flow && !node.anchor;
      if (isNull(node) || emptyFlow) return fill(ctx, found.map, found.pair, [item]);
      if (!isSeq(node) || node.anchor) return {kind: 'conflict', reason: `${path.join('.')} is not a list`};
      return present(node) ? {kind: 'same'} : appendItem(ctx, node, item);
    }
  }
}

/** New pairs at the end of a map: `, key: value` before a flow map's `}`, or lines at a block map's indentation. */
function addPairs(ctx: EditContext, map: YAMLMap, value: {readonly [key: string]: YamlValue}): Outcome {
  const {text, style} = ctx;
  if (!map.range) return {kind: 'conflict', reason: 'a mapping without a source position; change it by hand'};
  if (map.flow) {
    const last = map.items.at(-1);
    if (!last) return {kind: 'edit', edits: [{start: map.range[0] + 1, end: map.range[0] + 1, text: renderFlowPairs(value)}]};
    const end = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1];
    return {kind: 'edit', edits: [{start: end, end, text: `, ${renderFlowPairs(value)}`}]};
  }
  const firstKey = map.items[0]?.key as Node | undefined;
  const column = columnOf(text, firstKey?.range?.[0] ?? map.range[0]);
  return {kind: 'edit', edits: [insertLinesAfter(text, map.range[1], renderPairs(value, column, style), style.eol)]};
}

/** Gives a key with an empty value (nothing, `~`, `null`, `{}`, `[]`) the new value, block style under a block map. */
function fill(ctx: EditContext, map: YAMLMap, pair: Pair, value: YamlValue): Outcome {
  const {text, style} = ctx;
  const key = pair.key as Node;
  const node = pair.value as Node | null;
  if (!key.range) return {kind: 'conflict', reason: 'a key without a source position'};
  const colon = text.indexOf(':', key.range[1]);
  const source = node?.range && node.range[1] > node.range[0] ? node.range : undefined;
  const scalarOrEmpty = typeof value === 'string' || (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);
  if (map.flow || scalarOrEmpty) {
    const flow = renderFlow(value);
    if (source) return {kind: 'edit', edits: [{start: source[0], end: source[1], text: flow}]};
    return {kind: 'edit', edits: [{start: colon + 1, end: colon + 1, text: ` ${flow}`}]};
  }
  const edits: TextEdit[] = [];
  let after = colon + 1;
  if (source) {
    edits.push({start: colon + 1, end: source[1], text: ''});
    after = source[1];
  }
  const column = columnOf(text, key.range[0]);
  const lines = Array.isArray(value)
    ? renderItems(value as readonly YamlValue[], column + style.seqIndent, style, style.itemIndent)
    : renderPairs(value as {readonly [key: string]: YamlValue}, column + style.step, style);
  edits.push(insertLinesAfter(text, after, lines, style.eol));
  return {kind: 'edit', edits};
}

/** One more item: `, item` before a flow sequence's `]`, or a `- item` line like the existing ones. */
function appendItem(ctx: EditContext, seq: YAMLSeq, item: YamlValue): Outcome {
  const {text, style} = ctx;
  if (!seq.range) return {kind: 'conflict', reason: 'a list without a source position'};
  const items = seq.items as Array<Node | Pair>;
  if (seq.flow) {
    const last = items.at(-1) as Node | undefined;
    if (!last) return {kind: 'edit', edits: [{start: seq.range[0] + 1, end: seq.range[0] + 1, text: renderFlow(item)}]};
    if (!last.range) return {kind: 'conflict', reason: 'a list item without a source position'};
    return {kind: 'edit', edits: [{start: last.range[1], end: last.range[1], text: `, ${renderFlow(item)}`}]};
  }
  const first = items[0] as Node | undefined;
  const firstDash = first?.range ? dashColumnOf(text, first.range[0]) : undefined;
  const dash = firstDash ?? columnOf(text, seq.range[0]);
  const itemIndent = isMap(first) && !first.flow && firstDash !== undefined ? columnOf(text, first.range![0]) - firstDash : style.itemIndent;
  return {kind: 'edit', edits: [insertLinesAfter(text, seq.range[1], renderItems([item], dash, style, itemIndent), style.eol)]};
}
