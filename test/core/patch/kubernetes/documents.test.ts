import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseAllDocuments} from 'yaml';
import {splitDocuments} from '../../../../source/core/patch/kubernetes/documents.js';
import {patchKubernetes} from '../../../../source/core/patch/kubernetes/index.js';
import {changesArb, manifestArb, renderManifest} from './manifest-arbitrary.js';

describe('splitDocuments', () => {
  const cases: Array<[string, string, string[]]> = [
    ['one document', 'a: 1\nb: 2\n', ['a: 1\nb: 2\n']],
    ['comments go with the document after them, trailing ones with the one before', '# head\na: 1\n# tail of a\n---\n# top of b\nb: 2\n', ['# head\na: 1\n# tail of a\n', '---\n# top of b\nb: 2\n']],
    ['an end marker stays with its document, what follows with the next', 'a: 1\n...\n# before b\n\n---\nb: 2\n...\n', ['a: 1\n...\n', '# before b\n\n---\nb: 2\n...\n']],
    ['CRLF and no final newline', 'a: 1\r\n---\r\nb: 2', ['a: 1\r\n', '---\r\nb: 2']],
    ['a flow document on the marker line', 'a: 1\n--- {b: 2}\n---\nc: 3\n', ['a: 1\n', '--- {b: 2}\n', '---\nc: 3\n']],
    ['directives: whole', 'a: 1\n...\n%YAML 1.2\n---\nb: 2\n', ['a: 1\n...\n%YAML 1.2\n---\nb: 2\n']],
  ];
  for (const [name, text, pieces] of cases) {
    it(name, () => {
      expect(splitDocuments(text)).toEqual(pieces);
      expect(splitDocuments(text).join('')).toBe(text);
      if (pieces.length > 1) {
        // Each piece alone reads as the document it holds in the whole file.
        const documents = (source: string) => (parseAllDocuments(source) as Array<{toJS(): unknown}>).map(doc => doc.toJS());
        expect(pieces.map(documents)).toEqual(documents(text).map(doc => [doc]));
      }
    });
  }
});

describe('patchKubernetes, one document at a time', () => {
  it('gives the text it gives when every edit re-parses the whole file', () => {
    // A directive makes splitDocuments keep the file whole: the way every edit was made before.
    const prefix = '%YAML 1.2\n---\n';
    const several = manifestArb.filter(spec => !spec.list && spec.workloads.length + (spec.service ? 1 : 0) > 1);
    fc.assert(
      fc.property(several.chain(spec => fc.tuple(fc.constant(spec), changesArb(spec))), ([spec, changes]) => {
        const text = renderManifest(spec);
        const byPiece = patchKubernetes('k8s/app.yaml', text, changes);
        const whole = patchKubernetes('k8s/app.yaml', prefix + text, changes);
        expect(splitDocuments(prefix + text)).toHaveLength(1);
        if (!byPiece.ok || !whole.ok) return void expect(whole.ok).toBe(byPiece.ok);
        expect(prefix + byPiece.result.text).toBe(whole.result.text);
        expect(byPiece.result.skipped).toEqual(whole.result.skipped);
        expect(byPiece.result.created).toEqual(whole.result.created);
      }),
      {numRuns: 40},
    );
  });
});
