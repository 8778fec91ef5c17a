import {posix} from 'node:path';
import {isAlias, isMap, isNode, isScalar, visit, type Document, type Node, type Pair, type YAMLMap} from 'yaml';
import {asMap, composeTag, get, locatedString, type YamlContext} from '../../parse/yaml-nodes.js';
import {allDoubleQuoted, columnOf, startOf, type Layout} from './layout.js';

/** Everything the editors need about the document being patched. */
export interface Source {
  /** Display path of the file, for `extends: {file}` and messages. */
  file: string;
  /** The parsed document (merge keys on) and its line counter. */
  ctx: YamlContext;
  layout: Layout;
  /** Anchor names some alias refers to: a node carrying one is shared and never edited. */
  aliased: ReadonlySet<string>;
  /** The top-level `services:` mapping, when the file has one. */
  services?: YAMLMap;
}

/** A mapping keys are added to: a service, or the top level for `volumes:`. */
export interface Site {
  map: YAMLMap;
  /** Column of the mapping's keys (block mappings only). */
  keyCol: number;
  /** A flow mapping with all keys double-quoted (JSON written as YAML): new keys and values are quoted too. */
  json: boolean;
}

export function siteOf(src: Source, map: YAMLMap): Site {
  const first = startOf(map.items[0]?.key) ?? startOf(map);
  return {map, keyCol: first === undefined ? 0 : columnOf(src.layout.text, first), json: map.flow === true && allDoubleQuoted(map.items.map(pair => pair.key))};
}

export function aliasedAnchors(doc: Document): Set<string> {
  const names = new Set<string>();
  visit(doc, {Alias: (_, alias) => void names.add(alias.source)});
  return names;
}

/**
 * True for a value carrying an anchor: editing it could change what an alias elsewhere
 * reads. Any anchor counts, referenced or not, since this patch itself replaces
 * aliases (`tmpfs: *t` becomes an own list) and a second run must find the same.
 */
export function isShared(node: unknown): boolean {
  return isNode(node) && !isAlias(node) && node.anchor !== undefined;
}

/** The `services:` pair and each service's pair by name. */
export function servicePairs(src: Source): Map<string, Pair> {
  const found = new Map<string, Pair>();
  for (const pair of src.services?.items ?? []) {
    if (isScalar(pair.key) && pair.key.value !== null) found.set(String(pair.key.value), pair as Pair);
  }
  return found;
}

export type Extends = {kind: 'none'} | {kind: 'same-file'; service: string} | {kind: 'other-file'; file: string};

/** What a service `extends`; `file:` naming this very file counts as the same file. */
export function extendsOf(src: Source, map: YAMLMap): Extends {
  const {ctx} = src;
  const node = get(ctx, map, 'extends');
  if (node === undefined) return {kind: 'none'};
  const short = locatedString(ctx, node);
  if (short) return {kind: 'same-file', service: short.value};
  const service = locatedString(ctx, get(ctx, node, 'service'))?.value ?? '';
  const file = locatedString(ctx, get(ctx, node, 'file'))?.value;
  if (file === undefined) return {kind: 'same-file', service};
  const resolved = posix.normalize(posix.join(posix.dirname(src.file), file.replaceAll('\\', '/')));
  return resolved === posix.normalize(src.file) ? {kind: 'same-file', service} : {kind: 'other-file', file};
}

/** The service's mapping, then those of the same-file services it extends, nearest first. */
export function mapChain(src: Source, map: YAMLMap): YAMLMap[] {
  const chain: YAMLMap[] = [];
  let current: YAMLMap | undefined = map;
  while (current && !chain.includes(current)) {
    chain.push(current);
    const ext = extendsOf(src, current);
    current = ext.kind === 'same-file' && src.services ? asMap(src.ctx, get(src.ctx, src.services, ext.service)) : undefined;
  }
  return chain;
}

/**
 * The values of `key` a service ends up with: its own (or merged-in) value first, then
 * those of the same-file services it extends, nearest first. Compose lets the own
 * value win for single values and appends lists, so callers use the first or all.
 */
export function valueChain(src: Source, map: YAMLMap, key: string): Node[] {
  return mapChain(src, map).flatMap(m => valueOf(src, m, key) ?? []);
}

/** The value of `key` in a mapping (merge keys followed); a `!reset` value counts as absent, as in parseCompose. */
export function valueOf(src: Source, map: YAMLMap, key: string): Node | undefined {
  const node = get(src.ctx, map, key);
  return composeTag(src.ctx, node) === 'reset' ? undefined : node;
}

/** The mapping a service's settings live in, or why it cannot be edited. */
export function serviceMap(src: Source, pair: Pair): YAMLMap | string {
  const value = pair.value;
  if (isAlias(value)) return `its settings are an alias (*${value.source}) of a mapping other keys share; give the service its own mapping`;
  if (!isMap(value)) return 'it has no mapping of settings';
  if (value.anchor !== undefined && src.aliased.has(value.anchor)) return `its settings are shared through anchor &${value.anchor} with other services; patching them would change those too`;
  return value;
}
