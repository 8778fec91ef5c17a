import {isMap, isScalar, parseAllDocuments, parseDocument, visit, YAMLParseError, type Document, type DocumentOptions, type EmptyStream, type LineCounter, type ParseOptions, type SchemaOptions} from 'yaml';

/*
 * Every YAML read goes through here. eemeli/yaml checks for duplicate keys by comparing each
 * key with every key before it in its mapping: 32,000 keys took 15 s, and a 4 MiB file of
 * them would take the better part of an hour. The library's check is off; the same check
 * (scalar keys equal by value; merge keys and collection keys never) runs here in one pass,
 * and its errors join `doc.errors` where the library's would have been, so every caller that
 * refuses a document with errors refuses these too.
 */

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/** One document, as parseDocument, with duplicate keys found in linear time. */
export function readYaml(text: string, options: Options = {}): Document.Parsed {
  const doc = parseDocument(text, {...options, uniqueKeys: false});
  addDuplicateKeyErrors(doc, options.lineCounter);
  return doc;
}

/** Every document, as parseAllDocuments, with duplicate keys found in linear time. */
export function readYamlAll(text: string, options: Options = {}): Document.Parsed[] | EmptyStream {
  const docs = parseAllDocuments(text, {...options, uniqueKeys: false});
  if (Array.isArray(docs)) for (const doc of docs) addDuplicateKeyErrors(doc, options.lineCounter);
  return docs;
}

function addDuplicateKeyErrors(doc: Document.Parsed, lines: LineCounter | undefined): void {
  const found: YAMLParseError[] = [];
  visit(doc, {
    Map: (_key, map) => {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key;
        // A merge key's value is a fresh symbol each time: never equal to another.
        if (!isScalar(key) || typeof key.value === 'symbol') continue;
        if (!seen.has(key.value)) {
          seen.add(key.value);
          continue;
        }
        const start = key.range?.[0] ?? 0;
        const error = new YAMLParseError([start, start + 1], 'DUPLICATE_KEY', 'Map keys must be unique');
        if (lines) error.linePos = [lines.linePos(start)];
        found.push(error);
      }
    },
  });
  if (found.length === 0) return;
  doc.errors.push(...found);
  doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
}
