import {isMap, isScalar, type Node, type Pair, type YAMLMap} from 'yaml';
import {canonicalPath} from '../../paths.js';
import {get, scalar} from '../../parse/yaml-nodes.js';
import type {TextEdit} from '../text-edit.js';
import {columnOf, contentEnd, endOf, insertLines, ownPair, pointAfter, startOf} from './layout.js';
import {isShared, type Source} from './locate.js';

/*
 * A long-syntax bind mount the app only reads (`type: bind` with its target in `targets`)
 * gets `read_only: true`, as a short one gets `:ro`: an own key in place (`read_only:
 * false` becomes true), or a new last key in the mapping's style. Anything else is a
 * reason for a person.
 */

/** Whether `node` is a long-syntax bind mount on one of `targets` that is not read-only yet. */
export function wantsReadOnly(src: Source, node: unknown, targets: ReadonlySet<string>): node is YAMLMap {
  // Read through merge keys, as Compose reads the entry.
  if (!isMap(node) || scalar(src.ctx, get(src.ctx, node, 'type')) !== 'bind') return false;
  const target = scalar(src.ctx, get(src.ctx, node, 'target'));
  return typeof target === 'string' && targets.has(canonicalPath(target)) && scalar(src.ctx, get(src.ctx, node, 'read_only')) !== true;
}

/** The edit that makes the mapping's `read_only` true, or why it cannot be made here. */
export function readOnlyEdit(src: Source, map: YAMLMap): TextEdit | {reason: string} {
  const {text, eol} = src.layout;
  const target = String(scalar(src.ctx, get(src.ctx, map, 'target')));
  if (isShared(map)) return {reason: `its volumes entry for ${target} carries anchor &${(map as Node).anchor}, which other places may share; add read_only: true by hand`};
  const own = ownPair(map, 'read_only');
  if (own) {
    const start = startOf(own.value);
    const end = endOf(own.value);
    if (!isScalar(own.value) || start === undefined || end === undefined || start === end) return {reason: `its volumes entry for ${target} has a read_only that is not a plain value; set it to true by hand`};
    return {start, end, text: 'true'};
  }
  if (map.items.some(pair => isScalar(pair.key) && (pair.key.value === '<<' || typeof pair.key.value === 'symbol'))) {
    return {reason: `its volumes entry for ${target} merges another mapping (<<); add read_only: true by hand`};
  }
  const last = map.items.at(-1) as Pair | undefined;
  const first = startOf(map.items[0]?.key);
  if (!last || first === undefined) return {reason: `its volumes entry for ${target} cannot be located`};
  if (map.flow) {
    const at = endOf(last.value) ?? endOf(last.key);
    return at === undefined ? {reason: `its volumes entry for ${target} cannot be located`} : {start: at, end: at, text: ', read_only: true'};
  }
  const column = columnOf(text, first);
  const end = contentEnd(map);
  if (end === undefined) return {reason: `its volumes entry for ${target} cannot be located`};
  return insertLines(pointAfter(text, end, column), [`${' '.repeat(column)}read_only: true`], eol);
}
