import {describe, expect, it} from 'vitest';
import type {FilePatch} from '../../../source/core/model/plan.js';
import {fileDiff} from '../../../source/core/report/plan-text.js';

const plain = (_style: string, text: string) => text;
const patch = (text: string): FilePatch => ({file: 'compose.yaml', sha256: '0'.repeat(64), bom: false, text, created: false});

describe('fileDiff', () => {
  it('shows a byte that is not UTF-8 as \\xNN on both sides, so its untouched line is context, not a change', () => {
    const before = 'services:\n  web:\n    # caf\uDCE9\n    image: nginx\n';
    const after = 'services:\n  web:\n    # caf\uDCE9\n    image: nginx\n    read_only: true\n';
    expect(fileDiff(patch(after), before, plain)).toBe([
      '--- a/compose.yaml',
      '+++ b/compose.yaml',
      '@@ -2,3 +2,4 @@',
      '   web:',
      '     # caf\\xe9',
      '     image: nginx',
      '+    read_only: true',
      '',
    ].join('\n'));
  });

  it('shows a file with lone CR line breaks line by line', () => {
    const before = 'services:\r  web:\r    image: nginx\r';
    const after = 'services:\r  web:\r    image: nginx\r    read_only: true\r';
    expect(fileDiff(patch(after), before, plain)).toBe([
      '--- a/compose.yaml',
      '+++ b/compose.yaml',
      '@@ -1,3 +1,4 @@',
      ' services:',
      '   web:',
      '     image: nginx',
      '+    read_only: true',
      '',
    ].join('\n'));
  });
});
