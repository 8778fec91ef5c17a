import {describe, expect, it} from 'vitest';
import {LineCounter} from 'yaml';
import {get, scalar, type YamlContext} from '../../../source/core/parse/yaml-nodes.js';
import {readYaml} from '../../../source/core/parse/yaml-read.js';

const context = (text: string): YamlContext => {
  const lines = new LineCounter();
  return {doc: readYaml(text, {merge: true, lineCounter: lines}), lines};
};

describe('get on a long map (looked up through an index)', () => {
  it('finds what a scan finds: the first key that reads the same, then merged keys, own keys first', () => {
    const filler = Array.from({length: 40}, (_, i) => `k${i}: ${i}`);
    const ctx = context(['base: &base {inherited: from-base, k3: not-this}', 'map:', ...['1: number', '"1": string', '<<: *base', ...filler].map(line => `  ${line}`), ''].join('\n'));
    const map = get(ctx, ctx.doc.contents, 'map');
    expect(scalar(ctx, get(ctx, map, '1'))).toBe('number');
    expect(scalar(ctx, get(ctx, map, 'k3'))).toBe(3);
    expect(scalar(ctx, get(ctx, map, 'k39'))).toBe(39);
    expect(scalar(ctx, get(ctx, map, 'inherited'))).toBe('from-base');
    expect(get(ctx, map, 'missing')).toBeUndefined();
  });
});
