import fc from 'fast-check';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseDocument} from 'yaml';
import {plainDocument} from '../../../../source/core/patch/compose/plain.js';
import {readYaml} from '../../../../source/core/parse/yaml-read.js';
import {fileSpec, render} from './generate.js';

/** Both ways, as verify reads a compose file: merge keys on. */
const both = (text: string) => {
  const doc = parseDocument(text, {merge: true});
  expect(doc.errors).toEqual([]);
  return {ours: plainDocument(doc), theirs: doc.toJS({maxAliasCount: -1}) as unknown};
};

describe('plainDocument', () => {
  const cases: Record<string, string> = {
    'merge keys: own keys win wherever they stand, then the first source': 'a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  x: 0\n  <<: [*a, *b]\n  z: 0\nd:\n  <<: *b\n  <<: *a\n',
    'a merge of a map written in place, and a merge inside a merged map': 'base: &base {<<: {deep: 1}, top: 1}\nweb:\n  <<: {inline: 1}\nother:\n  <<: *base\n',
    'keys that are not strings': '1: one\n~: nothing\ntrue: yes\n1.5: x\n',
    'a __proto__ key stays an own property': '__proto__: {polluted: true}\nsafe: 1\n',
    'a quoted << is an ordinary key': '"<<": {a: 1}\n',
    'aliases of scalars and lists': 'x: &x hello\nl: &l [1, 2]\ny: *x\nm: *l\n',
    'an empty document': '',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`equals yaml's toJS: ${name}`, () => {
      const {ours, theirs} = both(text);
      expect(ours).toStrictEqual(theirs);
    });
  }

  it("equals yaml's toJS for the compose fixtures and generated compose files", () => {
    const root = 'test/fixtures/patch/compose';
    for (const dir of readdirSync(root)) {
      for (const file of ['input.yaml', 'expected.yaml']) {
        const {ours, theirs} = both(readFileSync(join(root, dir, file), 'utf8'));
        expect(ours, `${dir}/${file}`).toStrictEqual(theirs);
      }
    }
    fc.assert(
      fc.property(fileSpec, spec => {
        const {ours, theirs} = both(render(spec));
        expect(ours).toStrictEqual(theirs);
      }),
      {numRuns: 200},
    );
  });

  it('stops an alias bomb', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    expect(() => plainDocument(parseDocument(levels.join('\n'), {merge: true}))).toThrow(/aliases expand the document too far/);
  });

  it('takes one alias used 12,000 times, which yaml refused above 10,000', () => {
    const text = ['x-log: &log {driver: local}', 'services:', ...Array.from({length: 12_000}, (_, i) => `  s${i}: {image: x, logging: *log}`), ''].join('\n');
    const doc = readYaml(text, {merge: true});
    expect(() => doc.toJS({maxAliasCount: 10_000})).toThrow(/Excessive alias count/);
    const value = plainDocument(doc) as {services: Record<string, unknown>};
    expect(value.services['s11999']).toStrictEqual({image: 'x', logging: {driver: 'local'}});
  });
});
