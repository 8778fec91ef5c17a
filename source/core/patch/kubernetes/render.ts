import {isMap, isScalar, isSeq, visit, type Document, type Node} from 'yaml';
import type {TextEdit} from '../text-edit.js';

/*
 * How a manifest is indented, read from its own text, and how new YAML is written in
 * that style. New text is rendered here from a small value tree; existing text is
 * never re-rendered (STYLE.md: no Document.toString()).
 */

/** A value to write: a string is an already rendered scalar (see `quote`), arrays and objects become sequences and maps. */
export type YamlValue = string | readonly YamlValue[] | {readonly [key: string]: YamlValue};

/** The indentation of one document, measured from its source. */
export interface Style {
  eol: '\n' | '\r\n';
  /** Columns a nested map is indented under its key. */
  step: number;
  /** Columns the `-` of a block sequence is indented under its key: 0 for `containers:\n- name`, 2 for `containers:\n  - name`. */
  seqIndent: number;
  /** Columns from a `-` to the item's content: 2 for `- name`, 4 for `-   name`. */
  itemIndent: number;
}

/** 0-based column of an offset. */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** Column of the `-` that starts a block sequence item, when the item's content is on the dash's line. */
export function dashColumnOf(text: string, itemStart: number): number | undefined {
  let i = itemStart - 1;
  while (i >= 0 && text[i] === ' ') i--;
  return text[i] === '-' ? columnOf(text, i) : undefined;
}

/** The most common value of a list, ties to the first seen; the fallback when empty. */
function mostCommon(values: number[], fallback: number): number {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best = fallback;
  let bestCount = 0;
  for (const [value, count] of counts) if (count > bestCount) [best, bestCount] = [value, count];
  return best;
}

/** Measures the indentation a document uses, so new keys look like the ones around them. */
export function detectStyle(text: string, doc: Document, eol: Style['eol']): Style {
  const steps: number[] = [];
  const seqIndents: number[] = [];
  const itemIndents: number[] = [];
  visit(doc, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? pair.key : undefined;
      const value = pair.value as Node | null;
      if (!key?.range || !value) return;
      const keyColumn = columnOf(text, key.range[0]);
      if (isMap(value) && !value.flow) {
        const first = value.items[0]?.key as Node | undefined;
        if (first?.range) steps.push(columnOf(text, first.range[0]) - keyColumn);
      } else if (isSeq(value) && !value.flow) {
        const first = value.items[0] as Node | undefined;
        const dash = first?.range ? dashColumnOf(text, first.range[0]) : undefined;
        if (dash !== undefined) seqIndents.push(dash - keyColumn);
        for (const item of value.items as Node[]) {
          const itemDash = item.range ? dashColumnOf(text, item.range[0]) : undefined;
          if (isMap(item) && !item.flow && itemDash !== undefined) itemIndents.push(columnOf(text, item.range![0]) - itemDash);
        }
      }
    },
  });
  return {
    eol,
    step: mostCommon(steps.filter(n => n > 0), 2),
    seqIndent: mostCommon(seqIndents.filter(n => n >= 0), 0),
    itemIndent: mostCommon(itemIndents.filter(n => n >= 2), 2),
  };
}

/** A string as a YAML scalar: plain when that reads back as the same string in YAML 1.1 and 1.2, else double-quoted. */
export function quote(value: string): string {
  const plain = /^[A-Za-z0-9_./][A-Za-z0-9_./@+-]*$/.test(value);
  const ambiguous = /^(true|false|yes|no|on|off|y|n|null|~)$/i.test(value) || /^[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?$/.test(value) || /^0[xob]/i.test(value);
  return plain && !ambiguous ? value : JSON.stringify(value);
}

function isEmpty(value: YamlValue): boolean {
  return typeof value !== 'string' && (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);
}

/** One-line flow style: `{name: tmp, emptyDir: {sizeLimit: 64Mi}}`. */
export function renderFlow(value: YamlValue): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${(value as readonly YamlValue[]).map(renderFlow).join(', ')}]`;
  return `{${renderFlowPairs(value as {readonly [key: string]: YamlValue})}}`;
}

/** The inside of a flow map, without braces. */
export function renderFlowPairs(value: {readonly [key: string]: YamlValue}): string {
  return Object.entries(value).map(([key, item]) => `${key}: ${renderFlow(item)}`).join(', ');
}

/** Block-style lines (no line ends) for the pairs of a map whose keys start at `column`. */
export function renderPairs(value: {readonly [key: string]: YamlValue}, column: number, style: Style): string[] {
  const lines: string[] = [];
  const pad = ' '.repeat(column);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string' || isEmpty(item)) {
      lines.push(`${pad}${key}: ${renderFlow(item)}`);
    } else if (Array.isArray(item)) {
      lines.push(`${pad}${key}:`, ...renderItems(item as readonly YamlValue[], column + style.seqIndent, style, style.itemIndent));
    } else {
      lines.push(`${pad}${key}:`, ...renderPairs(item as {readonly [key: string]: YamlValue}, column + style.step, style));
    }
  }
  return lines;
}

/** Block-style sequence items with their `-` at `dashColumn`. */
export function renderItems(items: readonly YamlValue[], dashColumn: number, style: Style, itemIndent: number): string[] {
  const lines: string[] = [];
  const dash = ' '.repeat(dashColumn) + '-' + ' '.repeat(itemIndent - 1);
  for (const item of items) {
    if (typeof item === 'string' || Array.isArray(item) || isEmpty(item)) {
      lines.push(dash + renderFlow(item));
    } else {
      const [first, ...rest] = renderPairs(item as {readonly [key: string]: YamlValue}, dashColumn + itemIndent, style);
      lines.push(dash + first!.trimStart(), ...rest);
    }
  }
  return lines;
}

/**
 * Inserts whole lines after the line that holds `offset` (or at `offset` when it starts
 * a line). At the end of a file without a final newline, the lines go after a new line
 * end and the file still ends without one.
 */
export function insertLinesAfter(text: string, offset: number, lines: readonly string[], eol: Style['eol']): TextEdit {
  if (offset > 0 && text[offset - 1] === '\n') return {start: offset, end: offset, text: lines.join(eol) + eol};
  const newline = text.indexOf('\n', offset);
  if (newline === -1) return {start: text.length, end: text.length, text: eol + lines.join(eol)};
  return {start: newline + 1, end: newline + 1, text: lines.join(eol) + eol};
}
