import {isMap, isScalar, LineCounter, parseAllDocuments, parseDocument, YAMLParseError, type Document, type DocumentOptions, type EmptyStream, type ParseOptions, type SchemaOptions} from 'yaml';
import {walkNodes} from './yaml-walk.js';

/*
 * yaml checks duplicate keys by comparing each key with every earlier key of its map
 * (`items.some` in compose/util-map-includes.js), so a map of n keys costs n²/2
 * comparisons: a compose file with 32,000 services spent most of its audit there. These
 * parse with that check off and make it once per map with a Set, raising the library's
 * error (DUPLICATE_KEY, "Map keys must be unique") at the key, as it does.
 */

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/** `parseDocument` with a linear duplicate-key check (every YAML read goes through here or readYamlAll); `uniqueKeys: false` in the options turns it off. */
export function readYaml(text: string, options: YamlOptions = {}): Document.Parsed {
  const {unique, lines, opts} = prepare(options);
  const doc = parseDocument(text, opts);
  if (unique) addDuplicateKeyErrors(doc, text, lines);
  return doc;
}

/** `parseAllDocuments` with a linear duplicate-key check, each document checked on its own. */
export function readYamlAll(text: string, options: YamlOptions = {}): Document.Parsed[] | EmptyStream {
  const {unique, lines, opts} = prepare(options);
  const docs = parseAllDocuments(text, opts);
  if (unique && Array.isArray(docs)) for (const doc of docs) addDuplicateKeyErrors(doc, text, lines);
  return docs;
}

function prepare(options: YamlOptions): {unique: boolean; lines: LineCounter | undefined; opts: YamlOptions} {
  if (options.uniqueKeys === false || typeof options.uniqueKeys === 'function') return {unique: false, lines: options.lineCounter, opts: options};
  // The library makes its own line counter for pretty errors when none is given; ours must see the same lines.
  const pretty = options.prettyErrors !== false;
  const lines = options.lineCounter ?? (pretty ? new LineCounter() : undefined);
  return {unique: true, lines: pretty ? lines : undefined, opts: {...options, uniqueKeys: false, ...(lines ? {lineCounter: lines} : {})}};
}

/** Same equality as the library: scalar keys with `===` values (NaN never equals itself); other keys are all distinct. */
function addDuplicateKeyErrors(doc: Document.Parsed, text: string, lines: LineCounter | undefined): void {
  const found: YAMLParseError[] = [];
  walkNodes(doc, map => {
    if (!isMap(map) || map.items.length < 2) return;
    const seen = new Set<unknown>();
    for (const pair of map.items) {
      const key = pair.key;
      if (!isScalar(key) || (typeof key.value === 'number' && Number.isNaN(key.value))) continue;
      if (!seen.has(key.value)) seen.add(key.value);
      else if (key.range) found.push(new YAMLParseError([key.range[0], key.range[0] + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
    }
  });
  for (const error of found) {
    if (lines) prettify(error, text, lines);
    // The library raises errors as it composes, in source order: each goes before the first that comes later.
    const at = doc.errors.findIndex(e => e.pos[0] > error.pos[0]);
    doc.errors.splice(at === -1 ? doc.errors.length : at, 0, error);
  }
}

/** The library's `prettifyError` (yaml 2.8 errors.js, not exported): position and the source line under a caret. */
function prettify(error: YAMLParseError, src: string, lc: LineCounter): void {
  error.linePos = [lc.linePos(error.pos[0]), lc.linePos(error.pos[1])];
  const {line, col} = error.linePos[0];
  error.message += ` at line ${line}, column ${col}`;
  let ci = col - 1;
  let lineStr = src.substring(lc.lineStarts[line - 1]!, lc.lineStarts[line]).replace(/[\n\r]+$/, '');
  if (ci >= 60 && lineStr.length > 80) {
    const trimStart = Math.min(ci - 39, lineStr.length - 79);
    lineStr = '…' + lineStr.substring(trimStart);
    ci -= trimStart - 1;
  }
  if (lineStr.length > 80) lineStr = lineStr.substring(0, 79) + '…';
  if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
    let prev = src.substring(lc.lineStarts[line - 2]!, lc.lineStarts[line - 1]);
    if (prev.length > 80) prev = prev.substring(0, 79) + '…\n';
    lineStr = prev + lineStr;
  }
  if (/[^ ]/.test(lineStr)) {
    let count = 1;
    const end = error.linePos[1];
    if (end && end.line === line && end.col > col) count = Math.max(1, Math.min(end.col - col, 80 - ci));
    error.message += `:\n\n${lineStr}\n${' '.repeat(ci)}${'^'.repeat(count)}\n`;
  }
}
