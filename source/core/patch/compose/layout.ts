import {isMap, isPair, isScalar, isSeq, parse, Scalar, visit, type Node, type Pair, type YAMLMap} from 'yaml';
import type {TextEdit} from '../text-edit.js';

/*
 * Text geometry for surgical edits: where a block ends, which column its keys sit
 * in, how the file indents. Everything is read from the source text, never from
 * a re-rendered document (STYLE.md, "Editing people's files").
 */

/** How the file is written, so inserted lines look like their neighbours. */
export interface Layout {
  text: string;
  eol: '\r\n' | '\n';
  /** Spaces per indentation level: the column of the service names under `services:`. */
  unit: number;
  /** Columns from a key to the `-` of its block list: `unit`, or 0 for indentless lists. */
  seqOffset: number;
}

/**
 * Where a node's own text ends. A block collection's range can run on over the
 * comments after it, so its end is its last entry's end.
 */
export function contentEnd(node: unknown): number | undefined {
  if (isMap(node) && !node.flow) {
    const last = node.items.at(-1);
    return last ? (contentEnd(last.value) ?? endOf(last.key)) : endOf(node);
  }
  if (isSeq(node) && !node.flow) {
    const last = node.items.at(-1);
    return last === undefined ? endOf(node) : (contentEnd(last) ?? endOf(node));
  }
  return endOf(node);
}

/** A place to insert whole lines; `atEof` when the last line has no line break (kept that way). */
export interface InsertPoint {
  /** Offset of the start of a line (or the end of the text). */
  offset: number;
  atEof: boolean;
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** Start offset of a node; yaml gives every parsed node a range. */
export function startOf(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

export function endOf(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[1];
}

/**
 * The start of the line after the block content that ends at `end`. Comment lines
 * indented deeper than the block's keys come along (they comment out items of the
 * value above, like `# - /x` under a list); blank lines and shallower comments stay
 * after the insertion, with whatever they introduce.
 */
export function pointAfter(text: string, end: number, keyCol: number): InsertPoint {
  let offset: number;
  if (end > 0 && text[end - 1] === '\n') offset = end;
  else {
    const nl = text.indexOf('\n', end);
    if (nl < 0) return {offset: text.length, atEof: true};
    offset = nl + 1;
  }
  while (offset < text.length) {
    const nl = text.indexOf('\n', offset);
    const line = text.slice(offset, nl < 0 ? text.length : nl);
    const comment = /^( *)#/.exec(line);
    if (!comment || comment[1]!.length <= keyCol) break;
    if (nl < 0) return {offset: text.length, atEof: true};
    offset = nl + 1;
  }
  return {offset, atEof: false};
}

/** Inserts whole lines at a point, with the file's line ending and without adding a final newline the file lacked. */
export function insertLines(point: InsertPoint, lines: readonly string[], eol: string): TextEdit {
  const body = lines.join(eol);
  return {start: point.offset, end: point.offset, text: point.atEof ? eol + body : body + eol};
}

/** The offset just after the `:` of a pair, when only spaces separate it from the value. */
export function colonEnd(text: string, pair: Pair): number | undefined {
  const keyEnd = endOf(pair.key);
  if (keyEnd === undefined) return undefined;
  let i = keyEnd;
  while (text[i] === ' ') i++;
  if (text[i] !== ':') return undefined;
  const valueStart = startOf(pair.value) ?? i + 1;
  return /^[ ]*$/.test(text.slice(i + 1, valueStart)) ? i + 1 : undefined;
}

/**
 * The offset of the tag written between a pair's `:` and its value (`read_only: !reset null`,
 * `volumes: !override` above a block list), when only spaces come before it and only
 * whitespace after it; a node's range leaves its tag out.
 */
export function tagStart(text: string, pair: Pair): number | undefined {
  return tagSpan(text, pair)?.start;
}

/**
 * Where the text of a tagged value to replace ends: the value's end, or the tag's when the
 * value is empty (`user: !reset # why`), so that a comment after it stays where it is.
 */
export function taggedEnd(text: string, pair: Pair): number | undefined {
  const span = tagSpan(text, pair);
  const value = pair.value as Node;
  const end = endOf(value);
  if (span === undefined || end === undefined) return undefined;
  return startOf(value) === end ? span.end : end;
}

function tagSpan(text: string, pair: Pair): {start: number; end: number} | undefined {
  const keyEnd = endOf(pair.key);
  const valueStart = startOf(pair.value);
  if (keyEnd === undefined || valueStart === undefined) return undefined;
  const match = /^ *: +(![^\s]+)\s*$/.exec(text.slice(keyEnd, valueStart));
  if (!match) return undefined;
  const start = keyEnd + match[0].indexOf('!');
  return {start, end: start + match[1]!.length};
}

/**
 * A scalar as YAML text: plain when that reads back as the same string and needs no
 * care (Compose files mostly write `- data:/var/lib/x` plain), double-quoted (JSON
 * strings are valid YAML) otherwise. In flow lists `:` is quoted too, since not
 * every YAML parser reads `[a:b]` as one plain scalar.
 */
export function scalarText(value: string, flow: boolean, quote = false): string {
  const safe = flow ? /^[A-Za-z0-9_./~][A-Za-z0-9_./~=+@-]*$/ : /^[A-Za-z0-9_./~][A-Za-z0-9_./~=+@:,-]*$/;
  if (!quote && safe.test(value) && !value.endsWith(':') && readsAsString(value)) return value;
  return JSON.stringify(value);
}

function readsAsString(value: string): boolean {
  try {
    return parse(value, {logLevel: 'silent'}) === value;
  } catch {
    return false;
  }
}

/** Reads the indentation unit and list style from the services mapping (defaults: 2, indented lists). */
export function detectLayout(text: string, eol: '\r\n' | '\n', servicesPair: Pair | undefined): Layout {
  let unit = 2;
  const services = servicesPair?.value;
  const keyStart = startOf(servicesPair?.key);
  if (isMap(services) && !services.flow && keyStart !== undefined) {
    const first = startOf(services.items[0]?.key);
    const step = first === undefined ? 0 : columnOf(text, first) - columnOf(text, keyStart);
    if (step > 0 && step <= 8) unit = step;
  }
  let seqOffset: number | undefined;
  if (isMap(services)) {
    visit(services, {
      Pair(_, pair) {
        const value = pair.value;
        if (seqOffset !== undefined) return visit.BREAK;
        if (!isScalar(pair.key) || !isSeq(value) || value.flow) return undefined;
        const key = startOf(pair.key);
        const dash = startOf(value);
        if (key !== undefined && dash !== undefined) seqOffset = Math.max(0, columnOf(text, dash) - columnOf(text, key));
        return undefined;
      },
    });
  }
  return {text, eol, unit, seqOffset: seqOffset ?? unit};
}

/** True for a non-empty run of double-quoted scalars (JSON style): new entries are quoted to match. */
export function allDoubleQuoted(nodes: readonly unknown[]): boolean {
  return nodes.length > 0 && nodes.every(node => isScalar(node) && node.type === Scalar.QUOTE_DOUBLE);
}

/** The pair a mapping itself holds for `key` (merge keys not followed: those values belong to someone else). */
export function ownPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find(pair => isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key) as Pair | undefined;
}
