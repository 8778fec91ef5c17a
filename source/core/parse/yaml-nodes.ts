import {isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap} from 'yaml';
import type {AuditError} from '../model/finding.js';
import {yamlErrorMessage} from './yaml-errors.js';
import {walkNodes} from './yaml-walk.js';
import type {Located} from '../model/facts.js';

/*
 * Located reads over eemeli/yaml nodes. Values are read from the nodes, not from
 * toJS(), so every fact keeps the line it lives on; `<<: *anchor` merge keys are
 * followed so a value inherited from an anchor points at the anchor's line.
 */

/** How deep merge keys are followed; real files use one or two levels, bombs use more. */
const maxMergeDepth = 8;

export interface YamlContext {
  doc: Document;
  lines: LineCounter;
}

export function lineOf(ctx: YamlContext, node: Node | null | undefined, fallback = 1): number {
  const offset = node?.range?.[0];
  return offset === undefined ? fallback : ctx.lines.linePos(offset).line;
}

/**
 * Every alias's target, found in one walk per document. `Alias.resolve` walks the whole
 * document on each call, so 2,000 services with `<<: *default` took tens of seconds.
 * Same rule as the library: the last node with that anchor before the alias.
 */
const aliasTargets = new WeakMap<Document, Map<unknown, unknown>>();

/** The node an alias stands for (itself when not an alias); undefined for an alias with no anchor before it. */
export function resolve(ctx: YamlContext, node: unknown): unknown {
  if (!isAlias(node)) return node;
  let targets = aliasTargets.get(ctx.doc);
  if (!targets) {
    const found = new Map<unknown, unknown>();
    const anchors = new Map<string, unknown>();
    walkNodes(ctx.doc, n => {
      if (isAlias(n)) found.set(n, anchors.get(n.source));
      else if ('anchor' in n && n.anchor) anchors.set(n.anchor, n);
    });
    targets = found;
    aliasTargets.set(ctx.doc, targets);
  }
  return targets.has(node) ? targets.get(node) : node.resolve(ctx.doc);
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (key.source === '<<' || key.value === '<<' || typeof key.value === 'symbol');
}

/**
 * The value node of `key` in a map, looking through merge keys; own keys win. Each map
 * is searched once per lookup: a merge bomb (every level merging the one below nine
 * times) would otherwise take 9^depth searches.
 */
export function get(ctx: YamlContext, map: unknown, key: string, depth = 0, searched?: Set<unknown>): Node | undefined {
  const node = resolve(ctx, map);
  if (!isMap(node) || depth > maxMergeDepth || searched?.has(node)) return undefined;
  let merges = false;
  if (node.items.length > indexedFrom) {
    const index = indexOf(node);
    const pair = index.keys.get(key);
    if (pair) return (resolve(ctx, pair.value) ?? undefined) as Node | undefined;
    merges = index.merges;
  } else {
    for (const pair of node.items) {
      if (isScalar(pair.key) && String(pair.key.value) === key) return (resolve(ctx, pair.value) ?? undefined) as Node | undefined;
      merges ||= isMergeKey(pair.key);
    }
  }
  // Most maps merge nothing: the set of searched maps is made only when a merge key leads on.
  if (!merges) return undefined;
  searched ??= new Set<unknown>();
  searched.add(node);
  for (const pair of node.items) {
    if (!isMergeKey(pair.key)) continue;
    const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const source of sources) {
      const found = get(ctx, source, key, depth + 1, searched);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Compose's merge tag on a node, `!reset` or `!override`. The yaml library keeps a tag it
 * does not know on the node (with a warning, never an error) and reads the value as if
 * untagged, so the tag has to be asked for.
 */
export function composeTag(ctx: YamlContext, node: unknown): 'reset' | 'override' | undefined {
  const tag = (resolve(ctx, node) as Node | null | undefined)?.tag;
  return tag === '!reset' ? 'reset' : tag === '!override' ? 'override' : undefined;
}

/**
 * Maps longer than this are searched through an index made on the first lookup: looking up
 * each service of a 4,000-service file in `services:` (say, for `extends`) scanned them all.
 * The parsed nodes are never changed, so the index stays right.
 */
const indexedFrom = 16;
const indexes = new WeakMap<YAMLMap, {keys: Map<string, Pair>; merges: boolean}>();

/** The first pair of each key, as the scan would find it, and whether the map has merge keys. */
function indexOf(map: YAMLMap): {keys: Map<string, Pair>; merges: boolean} {
  let index = indexes.get(map);
  if (!index) {
    index = {keys: new Map(), merges: false};
    for (const pair of map.items as Pair[]) {
      if (isScalar(pair.key) && !index.keys.has(String(pair.key.value))) index.keys.set(String(pair.key.value), pair);
      index.merges ||= isMergeKey(pair.key);
    }
    indexes.set(map, index);
  }
  return index;
}

/** The node a key's pair starts at (for the line of the key itself). */
export function keyNode(map: YAMLMap, key: string): Node | undefined {
  const pair = map.items.find(p => isScalar(p.key) && String(p.key.value) === key);
  return pair?.key as Node | undefined;
}

export function asMap(ctx: YamlContext, node: unknown): YAMLMap | undefined {
  const resolved = resolve(ctx, node);
  return isMap(resolved) ? resolved : undefined;
}

export function items(ctx: YamlContext, node: unknown): Node[] {
  const resolved = resolve(ctx, node);
  if (!isSeq(resolved)) return [];
  return resolved.items.map(item => resolve(ctx, item) as Node).filter(Boolean);
}

export function scalar(ctx: YamlContext, node: unknown): string | number | boolean | null | undefined {
  const resolved = resolve(ctx, node);
  if (!isScalar(resolved)) return undefined;
  const value = resolved.value;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null ? value : undefined;
}

export function locatedString(ctx: YamlContext, node: Node | undefined): Located<string> | undefined {
  const value = scalar(ctx, node);
  if (value === undefined || value === null) return undefined;
  return {value: String(value), line: lineOf(ctx, node)};
}

/** Booleans as YAML 1.2 writes them; the strings "true"/"false" too, which Compose also accepts. */
export function locatedBool(ctx: YamlContext, node: Node | undefined): Located<boolean> | undefined {
  const value = scalar(ctx, node);
  if (typeof value === 'boolean') return {value, line: lineOf(ctx, node)};
  if (value === 'true' || value === 'false') return {value: value === 'true', line: lineOf(ctx, node)};
  return undefined;
}

export function locatedNumber(ctx: YamlContext, node: Node | undefined): Located<number> | undefined {
  const value = scalar(ctx, node);
  if (typeof value === 'number') return {value, line: lineOf(ctx, node)};
  if (typeof value === 'string' && /^\d+$/.test(value)) return {value: Number(value), line: lineOf(ctx, node)};
  return undefined;
}

/** A list of scalars, or one scalar, as located strings (compose accepts both for many keys). */
export function stringList(ctx: YamlContext, node: Node | undefined): Array<Located<string>> {
  if (node === undefined) return [];
  const single = locatedString(ctx, node);
  if (single) return [single];
  return items(ctx, node).map(item => locatedString(ctx, item)).filter((x): x is Located<string> => x !== undefined);
}

/**
 * One-line, located errors from a yaml Document, in plain words (yaml-errors.ts): `source` is
 * the text it was parsed from, quoted where it helps (the duplicate key). An alias with no
 * anchor before it is one too: Compose and kubectl refuse the file, and the library only
 * notices when values are built.
 */
export function yamlErrors(file: string, ctx: YamlContext, source?: string): AuditError[] {
  const errors = ctx.doc.errors.map(error => ({file, line: error.linePos?.[0]?.line ?? 1, message: yamlErrorMessage(error, source)}));
  if (errors.length > 0) return errors;
  walkNodes(ctx.doc, alias => {
    if (!isAlias(alias) || resolve(ctx, alias) !== undefined) return false;
    errors.push({file, line: lineOf(ctx, alias as unknown as Node), message: `invalid YAML: the alias *${alias.source.slice(0, 40)} names no anchor (&${alias.source.slice(0, 40)}) set before it`});
    return true;
  });
  return errors;
}
