import {isAlias, isMap, isScalar, isSeq, Scalar, type Node, type Pair, type YAMLSeq} from 'yaml';
import {composeTag, get, scalar} from '../../parse/yaml-nodes.js';
import type {TextEdit} from '../text-edit.js';
import type {Item, ListOp} from './changes.js';
import {allDoubleQuoted, colonEnd, columnOf, contentEnd, endOf, insertLines, lineStartOf, ownPair, pointAfter, scalarText, startOf, taggedEnd, tagStart} from './layout.js';
import {isShared, type Site, type Source} from './locate.js';
import {readOnlyEdit, wantsReadOnly} from './read-only-bind.js';

/** A key to add to a mapping: a single value, a list, or a mapping of empty entries (top-level volumes). */
export interface NewKey {
  key: string;
  scalar?: string;
  list?: Item[];
  names?: string[];
}

/** In-place edits and keys to add at the end of the mapping, or why nothing can be done. */
export type Rendered = {edits: TextEdit[]; newKey?: NewKey} | {reason: string};

/**
 * Edits a service's list. An own list is appended to (flow or block style as written);
 * a scalar becomes a list; a list that only arrives through a merge key or an alias is
 * copied into an own list, since an own key replaces the merged one and the anchor is
 * shared with other services.
 */
export function renderList(src: Source, site: Site, op: ListOp): Rendered {
  const pair = ownPair(site.map, op.key);
  if (!pair) {
    const inherited = entries(get(src.ctx, site.map, op.key));
    if (inherited === undefined) return {reason: `the ${op.key} it inherits through a merge key is not a list`};
    const list = fixed(src, op, inherited);
    if ('reason' in list) return list;
    return list.length === inherited.length && !list.some(item => 'value' in item) ? {edits: []} : {edits: [], newKey: {key: op.key, list}};
  }
  const value = pair.value;
  if (isAlias(value)) {
    const aliased = entries(value.resolve(src.ctx.doc));
    if (aliased === undefined) return {reason: `its ${op.key} is an alias (*${value.source}) of something that is not a list`};
    const list = fixed(src, op, aliased);
    return 'reason' in list ? list : replaceValue(src, site, pair, list);
  }
  if (isShared(value)) return {reason: `its ${op.key} carries anchor &${(value as Node).anchor}, which other places may share; change it by hand`};
  if (composeTag(src.ctx, value) === 'reset') return overrideReset(src, site, pair, op);
  if (isSeq(value)) return appendTo(src, site, pair, value as YAMLSeq, op);
  if (isScalar(value)) {
    const list = fixed(src, op, value.value === null ? [] : [value]);
    return 'reason' in list ? list : replaceValue(src, site, pair, list);
  }
  return {reason: `its ${op.key} is not a list`};
}

/** The entries of a list value (a scalar counts as a one-entry list), or undefined for a mapping. */
function entries(node: unknown): Node[] | undefined {
  if (node === undefined || node === null) return [];
  if (isSeq(node)) return node.items as Node[];
  if (isScalar(node)) return node.value === null ? [] : [node];
  return undefined;
}

/** Inherited entries with `fix` applied, then the new ones. */
function fixed(src: Source, op: ListOp, nodes: Node[]): Item[] | {reason: string} {
  // A mapping is copied as written: one that must become read-only is left to a person.
  const bind = op.readOnlyBinds && nodes.find(node => wantsReadOnly(src, node, op.readOnlyBinds!));
  if (bind) return {reason: `its ${op.key} entry for ${scalar(src.ctx, get(src.ctx, bind, 'target'))} is a mapping it does not own (a merge key, an alias or !reset); add read_only: true by hand`};
  return [
    ...nodes.map((node): Item => {
      const value = scalar(src.ctx, node);
      const replacement = typeof value === 'string' && op.fix ? op.fix(value) : undefined;
      return replacement === undefined ? {node} : {value: replacement};
    }),
    ...op.add,
  ];
}

/** Replaces a pair's scalar, empty or alias value with a list holding `list`. */
function replaceValue(src: Source, site: Site, pair: Pair, list: Item[]): Rendered {
  const {text, eol, seqOffset} = src.layout;
  const start = colonEnd(text, pair);
  const end = endOf(pair.value);
  if (start === undefined || end === undefined) return {reason: `its ${scalar(src.ctx, pair.key)} value has a tag or anchor in front; not rewritten`};
  if (site.map.flow) return {edits: [{start, end, text: ` [${list.map(item => flowItem(src, item, site.json)).join(', ')}]`}]};
  const prefix = ' '.repeat(columnOf(text, startOf(pair.key)!) + seqOffset) + '- ';
  const lines = list.flatMap(item => blockItem(src, item, prefix));
  return {edits: [{start, end, text: eol + lines.join(eol)}]};
}

/**
 * `tmpfs: !reset []` drops what the files before set; the entries to add must not bring
 * those back, so the list becomes `!override` with only them. A reset that lists entries
 * (which Compose ignores) is left to a person.
 */
function overrideReset(src: Source, site: Site, pair: Pair, op: ListOp): Rendered {
  const {text, eol, seqOffset} = src.layout;
  const value = pair.value as Node;
  const empty = isSeq(value) ? value.items.length === 0 : isScalar(value) && ['', '~', 'null', 'Null', 'NULL'].includes(String(value.value ?? ''));
  if (!empty) return {reason: `its ${op.key}: !reset lists entries Compose ignores; write the list (tagged !override) by hand`};
  const start = tagStart(text, pair);
  const end = taggedEnd(text, pair);
  if (start === undefined || end === undefined) return {reason: `its ${op.key}: !reset cannot be rewritten in place; change it by hand`};
  const list = fixed(src, op, []);
  if ('reason' in list) return list;
  // A comment after the tag stays on its line, so the list goes before it, in flow style.
  if (site.map.flow || /^[ \t]*#/.test(text.slice(end))) return {edits: [{start, end, text: `!override [${list.map(item => flowItem(src, item, site.json)).join(', ')}]`}]};
  const prefix = ' '.repeat(columnOf(text, startOf(pair.key)!) + seqOffset) + '- ';
  return {edits: [{start, end, text: '!override' + eol + list.flatMap(item => blockItem(src, item, prefix)).join(eol)}]};
}

function appendTo(src: Source, site: Site, pair: Pair, seq: YAMLSeq, op: ListOp): Rendered {
  const {text} = src.layout;
  const edits: TextEdit[] = [];
  const quote = allDoubleQuoted(seq.items) || (seq.flow === true && site.json);
  for (const node of seq.items as Node[]) {
    if (op.readOnlyBinds && wantsReadOnly(src, node, op.readOnlyBinds)) {
      const edit = readOnlyEdit(src, node);
      if ('reason' in edit) return edit;
      edits.push(edit);
      continue;
    }
    const value = scalar(src.ctx, node);
    const replacement = typeof value === 'string' && op.fix ? op.fix(value) : undefined;
    if (replacement === undefined) continue;
    if (isShared(node)) return {reason: `its ${op.key} entry "${value}" carries anchor &${node.anchor}, which other places may share; change it by hand`};
    edits.push({start: startOf(node)!, end: endOf(node)!, text: scalarText(replacement, seq.flow === true, quote)});
  }
  if (op.add.length === 0) return {edits};
  if (seq.flow) {
    const last = seq.items.at(-1) as Node | undefined;
    const at = last ? endOf(last) : startOf(seq)! + 1;
    if (at === undefined) return {reason: `its ${op.key} list ends in an entry that cannot be located`};
    const added = op.add.map(item => flowItem(src, item, quote)).join(', ');
    return {edits: [...edits, {start: at, end: at, text: last ? `, ${added}` : added}]};
  }
  const prefix = itemPrefix(text, seq);
  const point = pointAfter(text, contentEnd(seq)!, columnOf(text, startOf(pair.key)!));
  return {edits: [...edits, insertLines(point, op.add.flatMap(item => blockItem(src, item, prefix, quote)), src.layout.eol)]};
}

/** `      - ` as the last entry of a block list writes it. */
function itemPrefix(text: string, seq: YAMLSeq): string {
  const last = startOf(seq.items.at(-1));
  if (last !== undefined) {
    const prefix = text.slice(lineStartOf(text, last), last);
    if (/^ *- +$/.test(prefix)) return prefix;
  }
  return ' '.repeat(columnOf(text, startOf(seq)!)) + '- ';
}

/** The lines of one block-list entry; copied entries keep their text, re-indented. */
export function blockItem(src: Source, item: Item, prefix: string, quote = false): string[] {
  if ('value' in item) return [prefix + scalarText(item.value, false, quote || item.quote)];
  const {text} = src.layout;
  const start = startOf(item.node)!;
  const lines = text.slice(start, endOf(item.node)).replace(/\s+$/, '').split(/\r?\n/);
  const from = columnOf(text, start);
  const moved = lines.slice(1).map(line => (line.trim() === '' ? '' : line.startsWith(' '.repeat(from)) ? ' '.repeat(prefix.length) + line.slice(from) : undefined));
  if (moved.some(line => line === undefined)) return [prefix + flowItem(src, item)];
  return [prefix + lines[0]!, ...(moved as string[])];
}

/** One flow-list entry; copied entries keep their text when it is safe inside `[...]`, else become JSON. */
export function flowItem(src: Source, item: Item, quote = false): string {
  if ('value' in item) return scalarText(item.value, true, quote || item.quote);
  const node = item.node;
  if (isAlias(node)) return `*${node.source}`;
  const source = src.layout.text.slice(startOf(node), endOf(node));
  if (isScalar(node) && !/[\r\n]/.test(source)) {
    if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) return source;
    if (node.type === Scalar.PLAIN && /^[^:,[\]{}#&*!|>'"%@`\s]([^:,[\]{}#]*[^:,[\]{}#\s])?$/.test(source)) return source;
  }
  if (isMap(node) || isSeq(node) || isScalar(node)) return JSON.stringify(node.toJS(src.ctx.doc));
  return JSON.stringify(String(scalar(src.ctx, node)));
}
