import {describe, expect, it} from 'vitest';
import {isNode, isPair, parseDocument, visit, type Node, type Pair} from 'yaml';
import {walkNodes} from '../../../source/core/parse/yaml-walk.js';

/** What each walk saw, as the node's source text (a pair as `key:`), in order. */
const label = (node: Node | Pair): string => (isPair(node) ? `pair ${String((node.key as {source?: string} | null)?.source ?? node.key)}` : `${node.constructor.name} ${node.range?.[0]}`);

function ours(text: string): string[] {
  const seen: string[] = [];
  walkNodes(parseDocument(text), node => void seen.push(label(node)));
  return seen;
}

function library(text: string): string[] {
  const seen: string[] = [];
  visit(parseDocument(text), {Node: (_k, node) => void seen.push(label(node)), Pair: (_k, pair) => void seen.push(label(pair))});
  return seen;
}

describe('walkNodes', () => {
  const documents: Record<string, string> = {
    'empty': '',
    'a scalar': 'hello\n',
    'nested maps and lists': 'services:\n  web:\n    image: x\n    ports: ["80:80", 443]\n  db: {image: postgres, volumes: [a, {b: c}]}\n',
    'anchors, aliases and merge keys': 'x: &base {a: 1}\ny:\n  <<: *base\n  b: *base\n',
    'null keys and values': '? \n: \nk:\n- \n- ~\n',
    'collection keys': '? [a, b]\n: c\n? {d: e}\n: f\n',
    'CRLF and BOM': '\uFEFFa:\r\n  - b\r\n  - c: d\r\n',
  };
  for (const [name, text] of Object.entries(documents)) {
    it(`visits what yaml's visit does, in the same order: ${name}`, () => {
      expect(ours(text)).toEqual(library(text));
    });
  }

  it('stops at the first node the callback returns true for, and says so', () => {
    const seen: string[] = [];
    const stopped = walkNodes(parseDocument('a: 1\nb: [2, 3]\nc: 4\n'), node => {
      if (isNode(node)) seen.push(String(node.toJSON()));
      return isNode(node) && node.toJSON() === 2;
    });
    expect(stopped).toBe(true);
    expect(seen.at(-1)).toBe('2');
    expect(seen).not.toContain('c');
    expect(walkNodes(parseDocument('a: 1\n'), () => false)).toBe(false);
  });

  it('walks nesting deeper than the call stack would allow', () => {
    const depth = 20_000;
    const doc = parseDocument('[1]');
    // Built, not parsed: the parser's own limits are not what this tests.
    let inner = doc.createNode([1]) as Node;
    for (let i = 0; i < depth; i++) inner = doc.createNode([inner]) as Node;
    doc.contents = inner as never;
    let count = 0;
    expect(walkNodes(doc, () => void count++)).toBe(false);
    expect(count).toBe(depth + 2);
  });

  it('accepts nothing to walk', () => {
    expect(walkNodes(null, () => true)).toBe(false);
    expect(walkNodes(undefined, () => true)).toBe(false);
  });
});
