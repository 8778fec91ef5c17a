import {Parser} from 'yaml';

/*
 * A manifest cut into its documents, so each edit re-parses only the document it is in.
 * Re-parsing the whole file for every step made a manifest of 100 Deployments take
 * 110 s, and the time grew with the square of the documents.
 */

/**
 * The text in pieces that join back to it, one YAML document each: a document with the
 * comments after it, the next one with the comments and blank lines before it. One piece
 * when the cut is not plainly safe (directives, a byte-order mark, anything else between
 * documents but comments, or a piece not starting a line): then every edit re-parses the whole text, as before.
 */
export function splitDocuments(text: string): string[] {
  const starts: number[] = [];
  // Where what comes after the last document (and its `...`) begins: the next document's prelude.
  let prelude: number | undefined;
  for (const token of new Parser().parse(text)) {
    switch (token.type) {
      case 'document':
        starts.push(starts.length === 0 ? 0 : prelude ?? token.offset);
        prelude = undefined;
        break;
      case 'doc-end':
        if (prelude !== undefined) return [text];
        break;
      case 'comment':
      case 'newline':
      case 'space':
        if (starts.length > 0) prelude ??= token.offset;
        break;
      default:
        return [text];
    }
  }
  if (starts.length < 2 || starts.some(start => start > 0 && text[start - 1] !== '\n')) return [text];
  return starts.map((start, index) => text.slice(start, starts[index + 1] ?? text.length));
}
