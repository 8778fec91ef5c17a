// Baseline for the audit-throughput figure: walk the same tree, read every file
// and parse it with the parsers and options the audit uses, in one process, and
// nothing else. Prints the number of files parsed so the bench can check it saw them all.
// YAML is parsed with uniqueKeys: false, as the audit does: yaml's own duplicate-key check
// is quadratic in a map's keys (53 s for one 10 MB compose file); the audit makes that
// check itself with a Set (source/core/parse/yaml-parse.ts), and that is part of its cost.
import {readdirSync, readFileSync} from 'node:fs';
import {basename, join} from 'node:path';
import dockerfileAst from 'dockerfile-ast';
import {LineCounter, parseAllDocuments, parseDocument} from 'yaml';

const {DockerfileParser} = dockerfileAst;
const root = process.argv[2];
if (!root) {
  console.error('usage: node bench/baseline-parse.mjs DIR');
  process.exit(2);
}

let count = 0;
let sink = 0; // keeps the parse results observable so nothing is optimised away
for (const entry of readdirSync(root, {recursive: true, withFileTypes: true})) {
  if (!entry.isFile()) continue;
  const path = join(entry.parentPath ?? entry.path, entry.name);
  const name = basename(path);
  const text = readFileSync(path, 'utf8');
  if (/^(docker-)?compose([.-][\w.-]*)?\.ya?ml$/i.test(name)) {
    const doc = parseDocument(text, {merge: true, lineCounter: new LineCounter(), prettyErrors: true, uniqueKeys: false});
    sink += doc.errors.length + (doc.contents ? 1 : 0);
  } else if (/\.ya?ml$/i.test(name)) {
    const docs = parseAllDocuments(text, {merge: true, lineCounter: new LineCounter(), prettyErrors: true, uniqueKeys: false});
    sink += Array.isArray(docs) ? docs.length : 0;
  } else if (/^Dockerfile$/.test(name)) {
    sink += DockerfileParser.parse(text).getInstructions().length;
  } else continue;
  count++;
}
process.stdout.write(`${count} ${sink}\n`);
