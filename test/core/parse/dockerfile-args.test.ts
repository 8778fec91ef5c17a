import {describe, expect, it} from 'vitest';
import {expandArgs, metaArgs} from '../../../source/core/parse/dockerfile-args.js';

describe('metaArgs', () => {
  it.each([
    ['a default', [{name: 'BASE', value: 'node:20'}], {BASE: 'node:20'}],
    ['no default', [{name: 'BASE', value: null}], {BASE: null}],
    ['an empty default', [{name: 'S', value: ''}], {S: ''}],
    ['redefined with a default: the last wins', [{name: 'BASE', value: 'node:18'}, {name: 'BASE', value: 'node:20'}], {BASE: 'node:20'}],
    ['redefined without one: the default stays', [{name: 'BASE', value: 'node:20'}, {name: 'BASE', value: null}], {BASE: 'node:20'}],
    ['a default built from an earlier one', [{name: 'V', value: '20'}, {name: 'BASE', value: 'node:${V}-slim'}], {V: '20', BASE: 'node:20-slim'}],
    ['a default from one without a default stays unknown', [{name: 'V', value: null}, {name: 'BASE', value: 'node:${V}'}], {V: null, BASE: 'node:${V}'}],
  ] as const)('%s', (_what, properties, expected) => {
    expect(Object.fromEntries(metaArgs(properties))).toEqual(expected);
  });
});

describe('expandArgs', () => {
  const args = new Map<string, string | null>([['BASE', 'node:20'], ['TAG', '20'], ['EMPTY', ''], ['NONE', null]]);
  it.each([
    ['${BASE}', 'node:20'],
    ['$BASE', 'node:20'],
    ['${BASE}-slim', 'node:20-slim'],
    ['node:${TAG}', 'node:20'],
    ['node:$TAG-alpine', 'node:20-alpine'],
    ['node:${TAG:-18}', 'node:20'],
    ['node:${EMPTY:-18}', 'node:18'],
    ['node:${EMPTY-18}', 'node:'],
    ['node:${UNDECLARED:-18}', 'node:18'],
    ['node:${NONE:-18}', 'node:18'],
    ['node:${NONE-18}', 'node:18'],
    ['node:20${TAG:+-slim}', 'node:20-slim'],
    ['node:20${EMPTY:+-slim}', 'node:20'],
    ['node:20${EMPTY+-slim}', 'node:20-slim'],
    ['node:20${UNDECLARED:+-slim}', 'node:20'],
    ['node:${TAG:-$BASE}', 'node:20'],
    ['node:${UNDECLARED:-$TAG}', 'node:20'],
    // Unknown: left as written, so the reference stays unresolved.
    ['${NONE}', '${NONE}'],
    ['node:${NONE:+22}', 'node:${NONE:+22}'],
    ['$UNDECLARED', '$UNDECLARED'],
    ['node:${TAG:?required}', 'node:${TAG:?required}'],
    ['node:${TAG%.*}', 'node:${TAG%.*}'],
  ])('%s -> %s', (text, expected) => {
    expect(expandArgs(text, args)).toBe(expected);
  });
});
