import {describe, expect, it} from 'vitest';
import {LineCounter, parseAllDocuments, parseDocument} from 'yaml';
import {readYaml, readYamlAll} from '../../../source/core/parse/yaml-read.js';

/** Errors as the callers read them: code, position, line and the whole pretty message. */
const errorsOf = (doc: {errors: Array<{code: string; pos: [number, number]; linePos?: unknown; message: string}>}) =>
  doc.errors.map(e => ({code: e.code, pos: e.pos, linePos: e.linePos, message: e.message}));

const cases: Record<string, string> = {
  'no duplicate': 'a: 1\nb: 2\n',
  'plain duplicate': 'a: 1\nb: 2\na: 3\n',
  'three times': 'a: 1\na: 2\na: 3\n',
  'nested, indented': 'services:\n  web:\n    image: x\n    image: y\n  db:\n    user: 1\n',
  'quoted and plain are the same string': 'a: 1\n"a": 2\n\'a\': 3\n',
  'number and string differ': '1: a\n"1": b\n1: c\n',
  'null keys': '? \n: a\n~: b\nnull: c\n',
  'booleans': 'true: 1\nTrue: 2\n',
  'NaN never equal': '.nan: 1\n.nan: 2\n',
  'anchored and tagged keys': '&k a: 1\n!!str a: 2\n',
  'flow map': '{a: 1, b: 2, a: 3}\n',
  'flow in block': 'x: {a: 1, a: 2}\ny: [{b: 1, b: 2}]\n',
  'comment between': 'a: 1\n# note\n\na: 2\n',
  'long line': `k: 1\n${' '.repeat(70)}k2: {${'z'.repeat(90)}: 1, ${'z'.repeat(90)}: 2}\n`,
  'merge keys are not duplicates': 'base: &b {x: 1}\nweb:\n  <<: *b\n  <<: *b\n',
  'with a syntax error before and after': 'a: [1\nb: 2\nb: 3\nc: "x\n',
  'bad indent then duplicate': 'a:\n  b: 1\n   c: 2\n  b: 3\n',
  'crlf': 'a: 1\r\nb: 2\r\na: 3\r\n',
  'alias keys differ': 'x: &k a\n*k : 1\n*k : 2\n',
  'collection keys differ': '? [a]\n: 1\n? [a]\n: 2\n',
};

describe('readYaml: the duplicate-key check', () => {
  for (const [name, text] of Object.entries(cases)) {
    for (const merge of [false, true]) {
      it(`gives the library's errors: ${name}${merge ? ' (merge keys on)' : ''}`, () => {
        const expected = parseDocument(text, {merge, uniqueKeys: true, lineCounter: new LineCounter(), prettyErrors: true});
        const actual = readYaml(text, {merge, uniqueKeys: true, lineCounter: new LineCounter(), prettyErrors: true});
        expect(errorsOf(actual)).toEqual(errorsOf(expected));
        // Without a line counter or options at all, as the patch checks call it.
        expect(errorsOf(readYaml(text, {merge}))).toEqual(errorsOf(parseDocument(text, {merge})));
        expect(errorsOf(readYaml(text, {merge, prettyErrors: false}))).toEqual(errorsOf(parseDocument(text, {merge, prettyErrors: false})));
        expect(actual.toJS({mapAsMap: true})).toEqual(expected.toJS({mapAsMap: true}));
      });
    }
  }

  it('checks each document of a stream on its own', () => {
    const text = 'a: 1\na: 2\n---\na: 1\n---\nb: 1\nc: 1\nb: 2\n';
    const expected = parseAllDocuments(text);
    const actual = readYamlAll(text);
    if (!Array.isArray(expected) || !Array.isArray(actual)) throw new Error('expected documents');
    expect(actual.map(errorsOf)).toEqual(expected.map(errorsOf));
    expect(actual.map(doc => doc.errors.length)).toEqual([1, 0, 1]);
  });

  it('leaves the check off when asked', () => {
    expect(readYaml('a: 1\na: 2\n', {uniqueKeys: false}).errors).toEqual([]);
  });

  it('finds the one duplicate among 20,000 keys', () => {
    const text = Array.from({length: 20_000}, (_, i) => `k${i}: ${i}`).join('\n') + '\nk5: again\n';
    const doc = readYaml(text, {lineCounter: new LineCounter()});
    expect(errorsOf(doc).map(e => [e.code, e.message.split('\n')[0]])).toEqual([['DUPLICATE_KEY', 'Map keys must be unique at line 20001, column 1:']]);
  });
});
