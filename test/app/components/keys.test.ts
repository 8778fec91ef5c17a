import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {eachKey, splitKeys} from '../../../source/app/components/keys.js';

const none = {upArrow: false, downArrow: false, return: false, ctrl: false, meta: false, shift: false, tab: false, escape: false} as Key;

describe('splitKeys', () => {
  it('splits printable keys that arrived together into one key each', () => {
    expect(splitKeys('jj', none).map(k => k.input)).toEqual(['j', 'j']);
    expect(splitKeys('j k', none).map(k => k.input)).toEqual(['j', ' ', 'k']);
  });

  it('turns enter, tab and backspace inside a batch into their keys', () => {
    const [j, enter] = splitKeys('j\r', none);
    expect(j).toMatchObject({input: 'j', key: {return: false}});
    expect(enter).toMatchObject({input: '', key: {return: true}});
    expect(splitKeys('a\t', none)[1]).toMatchObject({input: '', key: {tab: true}});
    expect(splitKeys('a\u007F', none)[1]).toMatchObject({input: '', key: {delete: true}});
    expect(splitKeys('aB', none)[1]).toMatchObject({input: 'B', key: {shift: true}});
  });

  it('leaves a single key, an escape sequence and a modified key whole', () => {
    const down = {...none, downArrow: true};
    expect(splitKeys('j', none)).toEqual([{input: 'j', key: none}]);
    expect(splitKeys('', down)).toEqual([{input: '', key: down}]);
    expect(splitKeys('\u001B[B', none)).toHaveLength(1);
    expect(splitKeys('ab', {...none, return: true})).toHaveLength(1);
    expect(splitKeys('ab', {...none, meta: true})).toHaveLength(1);
    expect(splitKeys('', none)).toEqual([{input: '', key: none}]);
  });

  it('counts a character outside the BMP as one key', () => {
    expect(splitKeys('😀j', none).map(k => k.input)).toEqual(['😀', 'j']);
  });
});

describe('eachKey', () => {
  it('calls the handler once per key of a batch', () => {
    const seen: string[] = [];
    eachKey(input => seen.push(input))('jjk', none);
    expect(seen).toEqual(['j', 'j', 'k']);
  });
});
