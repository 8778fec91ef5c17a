import type {YAMLError} from 'yaml';
import {describe, expect, it} from 'vitest';
import {parseCompose} from '../../../source/core/parse/compose.js';
import {parseKubernetes} from '../../../source/core/parse/kubernetes.js';
import {thrownYamlMessage, yamlErrorMessage} from '../../../source/core/parse/yaml-errors.js';

/** Wording meant for programmers that must never reach a person: library API names, parser terms. */
const libraryWords = /YAML\.|parse(All)?Documents?|\(\)|implicit|indicator|token|scalar|flow-|collection|Map keys|Source contains/i;

const compose: Array<[string, string, number, string]> = [
  ['two documents', 'services:\n  a:\n    image: x\n---\nservices: {}\n', 4, 'more than one YAML document (a "---" line starts another one); harden reads a compose file as one document, as Compose does'],
  ['a duplicate key', 'services:\n  a:\n    image: x\n    image: y\n', 4, 'the key "image" appears twice in the same mapping; each key may be given once'],
  ['a duplicate quoted key', 'services:\n  "a":\n    image: x\n  "a":\n    image: y\n', 4, 'the key "a" appears twice in the same mapping; each key may be given once'],
  ['a key indented too little', 'services:\n  a:\n    image: x\n   user: y\n', 4, 'this line is not indented like the other keys of its mapping'],
  ['a list item indented too little', 'services:\n  a:\n    command:\n      - x\n     - y\n', 5, 'a list or mapping where a key should be: check the indentation and the ":" of the line above'],
  ['tabs', 'services:\n\ta:\n\t\timage: nginx\n', 2, 'a tab indents this line; YAML indents with spaces only'],
  ['an unclosed double quote', 'services:\n  a:\n    image: "nginx\n', 4, 'a "double-quoted" value is never closed'],
  ["an unclosed single quote", "services:\n  a:\n    image: 'nginx\n", 4, "a 'single-quoted' value is never closed"],
  ['an unclosed { }', 'services:\n  a:\n    labels: {a: b\n', 4, 'a { } mapping is not closed with "}", or a line after it is not indented under its key'],
  ['an unclosed [ ]', 'services:\n  a:\n    ports: [1, 2\n', 4, 'a [ ] list is not closed with "]", or a line after it is not indented under its key'],
  ['a huge single line, a { } never closed', `services:\n  a:\n    labels: {${Array.from({length: 50_000}, (_, i) => `k${i}: v`).join(',')}\n`, 4, 'a { } mapping is not closed with "}", or a line after it is not indented under its key'],
  ['a huge single line, no ":" in 1024 characters', `services:\n  ${'k'.repeat(100_000)}: x\n`, 2, 'a key longer than 1024 characters (or a long line with a ":" far into it); quote the value, or break the line'],
  ['a line with no ":"', 'services:\n  a\n  b: c\n', 2, 'a key runs on over more than one line: a ":" is missing, or a quote or bracket is left open'],
  ['a value starting with @', 'services:\n  a:\n    image: @foo\n', 3, 'a value cannot start with "@" unless it is quoted'],
  ['a bad escape', 'services:\n  a:\n    image: "a\\qb"\n', 3, '"\\q" is not a valid escape in a "double-quoted" value; write \\\\ for a backslash, or use \'single quotes\''],
  ['a stray ]', 'services:\n  a: ]\n', 2, '"]" is out of place here'],
  ['two anchors', 'services:\n  a: &x &y\n    image: x\n', 2, 'a value with two anchors (&name); give it one'],
  ['a comment without a space', 'services:\n  a:\n    image: x#y\n    user: "1"#c\n', 4, 'a "#" comment needs a space before it'],
  ['an alias with no anchor', 'services:\n  a:\n    image: x\n    <<: *defaults\n', 4, 'the alias *defaults names no anchor (&defaults) set before it'],
];

describe('YAML errors in plain words, located', () => {
  it.each(compose)('compose: %s', (_name, text, line, message) => {
    const {facts, errors} = parseCompose('compose.yaml', text);
    expect(facts).toBeNull();
    expect(errors[0]).toEqual({file: 'compose.yaml', line, message: `invalid YAML: ${message}`});
    for (const error of errors) {
      expect(error.message).not.toMatch(libraryWords);
      expect(error.message).not.toContain('\n');
    }
  });

  it('Kubernetes: a duplicate key in the second document, the first still read', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: x\n    image: nginx\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n  name: c\n';
    const parsed = parseKubernetes('pods.yaml', text);
    expect(parsed.errors).toEqual([{file: 'pods.yaml', line: 14, message: 'invalid YAML: the key "name" appears twice in the same mapping; each key may be given once'}]);
    expect(parsed.facts!.containers).toHaveLength(1);
  });

  const codes = [
    'ALIAS_PROPS', 'BAD_ALIAS', 'BAD_DIRECTIVE', 'BAD_DQ_ESCAPE', 'BAD_INDENT', 'BAD_PROP_ORDER', 'BAD_SCALAR_START', 'BLOCK_AS_IMPLICIT_KEY',
    'BLOCK_IN_FLOW', 'DUPLICATE_KEY', 'IMPOSSIBLE', 'KEY_OVER_1024_CHARS', 'MISSING_CHAR', 'MULTILINE_IMPLICIT_KEY', 'MULTIPLE_ANCHORS',
    'MULTIPLE_DOCS', 'MULTIPLE_TAGS', 'NON_STRING_KEY', 'TAB_AS_INDENT', 'TAG_RESOLVE_FAILED', 'UNEXPECTED_TOKEN', 'BAD_COLLECTION_TYPE', 'SOMETHING_NEW',
  ];
  it.each(codes)('%s never passes the library\'s own words on', code => {
    const error = {code, message: 'Implicit map keys need YAML.parseAllDocuments() at line 1, column 1:\n\nx\n^', pos: [0, 1]} as unknown as YAMLError;
    for (const source of [undefined, 'x: 1\n']) {
      const message = yamlErrorMessage(error, source);
      expect(message).toMatch(/^invalid YAML: \S/);
      expect(message).not.toMatch(libraryWords);
      expect(message).not.toContain('\n');
    }
  });

  it.each([
    ['Unresolved alias (the anchor must be set before the alias): x', 'invalid YAML: an alias (*name) names an anchor (&name) that is not set before it'],
    ['Merge sources must be maps or map aliases', 'invalid YAML: a merge key (<<) on something that is not a mapping or an alias of one'],
    ['Excessive alias count indicates a resource exhaustion attack', 'invalid YAML: more aliases (*name) than a real file has; it would expand to a huge size'],
    ['Something else entirely()', 'invalid YAML: the values cannot be read'],
  ])('what the library throws building values: %s', (thrown, message) => {
    expect(thrownYamlMessage(new ReferenceError(thrown))).toBe(message);
  });
});

describe('duplicate keys in a large mapping', () => {
  // eemeli/yaml compares each key with every key before it: 32,000 keys took 15 s there.
  const labels = Array.from({length: 100_000}, (_, i) => `      k${i}: v\n`).join('');

  it('are found in one pass: 100,000 keys, the duplicate at the end, with its line', () => {
    const started = Date.now();
    const parsed = parseCompose('compose.yaml', `services:\n  a:\n    image: x\n    labels:\n${labels}      k7: again\n`);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(parsed.errors).toEqual([{file: 'compose.yaml', line: 100_005, message: 'invalid YAML: the key "k7" appears twice in the same mapping; each key may be given once'}]);
  }, 60_000);

  it('are none when every key differs, in a { } mapping on one line too', () => {
    const started = Date.now();
    const flow = `services:\n  a:\n    image: x\n    labels: {${Array.from({length: 100_000}, (_, i) => `k${i}: v`).join(', ')}}\n`;
    expect(parseCompose('compose.yaml', flow).errors).toEqual([]);
    expect(parseKubernetes('k.yaml', `apiVersion: v1\nkind: ConfigMap\ndata:\n${labels.replace(/^ {6}/gm, '  ')}`).errors).toEqual([]);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);

  it('are what the library counted: equal scalar values (1 and 1.0, null and ~), never merge keys or [ ] keys', () => {
    const text = 'x: &x {a: 1}\ny: &y {b: 2}\nservices:\n  s:\n    <<: *x\n    <<: *y\n    image: z\n? [1]\n: c\n? [1]\n: d\n1: a\n"1": b\n1.0: c\nnull: 1\n~: 2\n';
    expect(parseCompose('compose.yaml', text).errors.map(e => e.line)).toEqual([14, 16]);
  });
});
