import {isAlias, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap} from 'yaml';
import {composeTag, get} from '../../parse/yaml-nodes.js';
import type {TextEdit} from '../text-edit.js';
import type {ScalarOp, TopVolumes} from './changes.js';
import {allDoubleQuoted, colonEnd, columnOf, contentEnd, endOf, insertLines, ownPair, pointAfter, scalarText, startOf, taggedEnd, tagStart} from './layout.js';
import {blockItem, flowItem, type NewKey, type Rendered} from './lists.js';
import {isShared, siteOf, type Site, type Source} from './locate.js';

/** Sets a single value in place, or asks for a new own key (which also overrides a merged-in value). */
export function renderScalar(src: Source, site: Site, op: ScalarOp): Rendered {
  const pair = ownPair(site.map, op.key);
  if (!pair) return {edits: [], newKey: {key: op.key, scalar: op.text}};
  const value = pair.value;
  if (!isAlias(value) && composeTag(src.ctx, value) === 'reset') return replaceReset(src, pair, op);
  if (!isAlias(value) && !isScalar(value)) return {reason: `its ${op.key} is not a single value`};
  if (isShared(value)) return {reason: `its ${op.key} carries anchor &${value.anchor}, which other places may share; change it by hand`};
  const start = startOf(value);
  const end = endOf(value);
  if (start === undefined || end === undefined) return {reason: `its ${op.key} value cannot be located`};
  const text = start === end && src.layout.text[start - 1] === ':' ? ` ${op.text}` : op.text;
  return {edits: [{start, end, text}]};
}

/**
 * `read_only: !reset null` becomes `read_only: true`: Compose ignores a reset value, so the
 * tag goes with it. A block collection under the tag is left to a person.
 */
function replaceReset(src: Source, pair: Pair, op: ScalarOp): Rendered {
  const value = pair.value as Node;
  const start = tagStart(src.layout.text, pair);
  const end = taggedEnd(src.layout.text, pair);
  const inline = isScalar(value) || ((isMap(value) || isSeq(value)) && value.flow === true);
  if (start === undefined || end === undefined || !inline) return {reason: `its ${op.key}: !reset cannot be rewritten in place; set ${op.key}: ${op.text} there by hand`};
  return {edits: [{start, end, text: op.text}]};
}

/**
 * One edit adding keys at the end of a mapping: whole lines at the mapping's key
 * column for a block mapping, `, key: value` before the `}` of a flow mapping.
 */
export function newKeysEdit(src: Source, site: Site, keys: readonly NewKey[]): TextEdit | undefined {
  if (keys.length === 0) return undefined;
  const {text, eol, unit, seqOffset} = src.layout;
  if (site.map.flow) {
    const parts = keys.map(key => `${site.json ? JSON.stringify(key.key) : key.key}: ${flowValue(src, key, site.json)}`);
    const last = site.map.items.at(-1);
    const at = (last ? (endOf(last.value) ?? endOf(last.key)) : startOf(site.map)! + 1) ?? endOf(site.map)! - 1;
    return {start: at, end: at, text: (last ? ', ' : '') + parts.join(', ')};
  }
  const indent = ' '.repeat(site.keyCol);
  const lines = keys.flatMap(key => {
    if (key.scalar !== undefined) return [`${indent}${key.key}: ${key.scalar}`];
    if (key.names) return [`${indent}${key.key}:`, ...key.names.map(name => `${indent}${' '.repeat(unit)}${scalarText(name, false)}:`)];
    const prefix = `${indent}${' '.repeat(seqOffset)}- `;
    return [`${indent}${key.key}:`, ...(key.list ?? []).flatMap(item => blockItem(src, item, prefix))];
  });
  return insertLines(pointAfter(text, contentEnd(site.map)!, site.keyCol), lines, eol);
}

function flowValue(src: Source, key: NewKey, json: boolean): string {
  if (key.scalar !== undefined) return key.scalar;
  if (key.names) return flowNames(key.names, json);
  return `[${(key.list ?? []).map(item => flowItem(src, item, json)).join(', ')}]`;
}

function flowNames(names: readonly string[], json: boolean): string {
  return `{${names.map(name => `${scalarText(name, true, json)}: {}`).join(', ')}}`;
}

/** The top-level `volumes:` names, and whether new ones can be added. */
export function topVolumes(src: Source, root: YAMLMap): TopVolumes {
  const pair = ownPair(root, 'volumes');
  const value = pair?.value;
  const has = (name: string) => isMap(value) && (ownPair(value, name) !== undefined || get(src.ctx, value, name) !== undefined);
  if (!pair || (isScalar(value) && value.value === null)) return {has};
  if (!isMap(value)) return {has, problem: 'the top-level volumes: is not a mapping, so a named volume cannot be declared there'};
  if (isShared(value)) return {has, problem: `the top-level volumes: carries anchor &${value.anchor}, which other places may share; declare the volume by hand`};
  return {has};
}

/** Declares named volumes in the top-level `volumes:`, creating it (at the end of the top level) when missing. */
export function topVolumeEdits(src: Source, root: YAMLMap, names: readonly string[]): Rendered {
  const {text, eol, unit} = src.layout;
  const pair = ownPair(root, 'volumes');
  if (!pair) return {edits: [], newKey: {key: 'volumes', names: [...names]}};
  const value = pair.value;
  if (isMap(value)) {
    if (value.flow) {
      const last = value.items.at(-1);
      const at = last ? (endOf(last.value) ?? endOf(last.key)) : startOf(value)! + 1;
      if (at === undefined) return {reason: 'the top-level volumes: ends in an entry that cannot be located'};
      const added = flowNames(names, allDoubleQuoted(value.items.map(item => item.key))).slice(1, -1);
      return {edits: [{start: at, end: at, text: last ? `, ${added}` : added}]};
    }
    const col = columnOf(text, startOf(value.items[0]?.key)!);
    const point = pointAfter(text, contentEnd(value)!, columnOf(text, startOf(pair.key)!));
    return {edits: [insertLines(point, names.map(name => `${' '.repeat(col)}${scalarText(name, false)}:`), eol)]};
  }
  const start = colonEnd(text, pair);
  const end = endOf(value);
  if (start === undefined || end === undefined) return {reason: 'the top-level volumes: has a tag or anchor in front of its empty value'};
  if (root.flow) return {edits: [{start, end, text: ` ${flowNames(names, siteOf(src, root).json)}`}]};
  const indent = ' '.repeat(columnOf(text, startOf(pair.key)!) + unit);
  return {edits: [{start, end, text: eol + names.map(name => `${indent}${scalarText(name, false)}:`).join(eol)}]};
}
