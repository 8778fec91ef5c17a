import {isCollection, isDocument, isPair, type Document, type Node, type Pair} from 'yaml';

/**
 * Calls `fn` on every node and pair under `root`, in the order yaml's `visit` does (document
 * order, a pair before its key and its key before its value), until `fn` returns true.
 * Returns whether it stopped. yaml's `visit` copies and freezes the path for every node it
 * enters; the audit walks each document three or four times (duplicate keys, aliases,
 * collection keys, anchors), and those walks were a quarter of its time beyond parsing.
 * A stack, not recursion: a hostile file nests deeper than the call stack.
 */
export function walkNodes(root: Document | Node | Pair | null | undefined, fn: (node: Node | Pair) => boolean | void): boolean {
  const stack: unknown[] = [isDocument(root) ? root.contents : root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || node === undefined || typeof node !== 'object') continue;
    if (fn(node as Node | Pair)) return true;
    if (isPair(node)) {
      stack.push(node.value, node.key);
    } else if (isCollection(node)) {
      const items = node.items as unknown[];
      for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
    }
  }
  return false;
}
