import {isAlias, isMap, isScalar, isSeq, LineCounter, visit, type Document, type Node} from 'yaml';
import {resolve, type YamlContext} from '../../parse/yaml-nodes.js';

/*
 * A compose document as plain values, for comparing before and after a patch: what yaml's
 * `toJS` gives with merge keys, but with aliases resolved through the one-walk table of
 * yaml-nodes. `toJS` resolves each merge key's alias by walking the whole document (the
 * merge code does not pass its cache on), so 4,000 services with `<<: *base` took
 * minutes; and its alias limit refused a file with more than 10,000 of them.
 */

/** Nodes made through aliases may be at most this many times the nodes written, plus a margin: a bomb stops. */
const expansion = 10;
const margin = 100_000;

/** The document's value; throws when it cannot be made (an alias bomb, a merge of a non-mapping). */
export function plainDocument(doc: Document): unknown {
  let written = 0;
  visit(doc, {Node: () => void written++});
  const ctx: YamlContext = {doc, lines: new LineCounter()};
  const budget = {left: expansion * written + margin};
  return plain(ctx, doc.contents, budget);
}

function plain(ctx: YamlContext, node: unknown, budget: {left: number}): unknown {
  if (--budget.left < 0) throw new Error('aliases expand the document too far');
  const target = isAlias(node) ? resolve(ctx, node) : node;
  if (isAlias(node) && target === undefined) throw new Error(`unresolved alias *${node.source}`);
  if (target === null || target === undefined) return null;
  if (isScalar(target)) return target.value;
  if (isSeq(target)) return target.items.map(item => plain(ctx, item, budget));
  if (!isMap(target)) return null;
  const out: Record<string, unknown> = {};
  const merges: unknown[] = [];
  for (const pair of target.items) {
    if (isMerge(ctx, pair.key)) {
      merges.push(pair.value);
      continue;
    }
    define(out, keyOf(ctx, pair.key as Node | null, budget), plain(ctx, pair.value, budget));
  }
  // Own keys win wherever they stand; among the merged maps the first wins (YAML merge keys, as yaml does them).
  for (const value of merges) {
    const source = isAlias(value) ? resolve(ctx, value) : value;
    for (const item of isSeq(source) ? source.items : [value]) {
      const merged = plain(ctx, item, budget);
      if (merged === null || typeof merged !== 'object' || Array.isArray(merged)) throw new Error('merge sources must be maps or map aliases');
      for (const [key, inner] of Object.entries(merged)) if (!Object.hasOwn(out, key)) define(out, key, inner);
    }
  }
  return out;
}

/** yaml's test (schema/yaml-1.1/merge.js): a plain `<<`, when the document reads merge keys. */
function isMerge(ctx: YamlContext, key: unknown): boolean {
  if (!isScalar(key)) return false;
  const merge = (!key.type || key.type === 'PLAIN') && (key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<'));
  return merge && ctx.doc.schema.tags.some(tag => tag.tag === 'tag:yaml.org,2002:merge' && tag.default);
}

/** A key as a property name the way yaml's toJS makes it: the scalar's value as a string, '' for null. */
function keyOf(ctx: YamlContext, key: Node | null, budget: {left: number}): string {
  const value = plain(ctx, key, budget);
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Set even `__proto__` as an own property. */
function define(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, {value, writable: true, enumerable: true, configurable: true});
}
