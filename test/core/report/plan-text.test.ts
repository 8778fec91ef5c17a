import {describe, expect, it} from 'vitest';
import type {FilePatch, Plan} from '../../../source/core/model/plan.js';
import {fileDiff, formatPlan} from '../../../source/core/report/plan-text.js';

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

describe('formatPlan: the last line', () => {
  const target = {id: 'c#web', kind: 'compose-service', file: 'compose.yaml', name: 'web', line: 2} as unknown as Plan['targets'][number]['target'];
  const skip = {rule: 'mutable-image-ref', what: 'pin image by digest', reason: 'needs the digest'} as unknown as Plan['targets'][number]['skipped'][number];
  const error = (file: string, line = 3) => ({file, line, message: 'invalid YAML: a "double-quoted" value is never closed'});
  function plan(files: number, skipped: number, errors: Array<ReturnType<typeof error>>): Plan {
    return {
      tool: {name: 'harden-wizard', version: '0'}, cwd: '/p',
      targets: [{target, changes: [], skipped: Array.from({length: skipped}, () => skip)}],
      files: Array.from({length: files}, (_, i) => ({...patch('x\n'), file: `f${i}.yaml`, created: true})),
      errors,
    };
  }
  const last = (p: Plan) => formatPlan(p, {color: false, before: () => undefined}).trimEnd().split('\n').at(-1);

  it.each([
    ['nothing, all read', plan(0, 0, []), 'Nothing to change: every fixable finding is fixed already.'],
    ['nothing, items not done', plan(0, 2, []), 'Nothing to change; 2 items not done, see above.'],
    ['nothing, a file unread', plan(0, 0, [error('a/compose.yaml')]), 'Nothing to change in the files harden could read; 1 file could not be read or changed (see above).'],
    ['nothing, two errors in one file and one in another', plan(0, 0, [error('a.yaml', 2), error('a.yaml', 3), error('b.yaml')]), 'Nothing to change in the files harden could read; 2 files could not be read or changed (see above).'],
    ['nothing, items not done and a file unread', plan(0, 1, [error('a.yaml')]), 'Nothing to change in the files harden could read (1 item not done, see above); 1 file could not be read or changed (see above).'],
    ['changes and a file unread', plan(2, 1, [error('a.yaml')]), '2 files to change, 1 item not done (see above); 1 file could not be read or changed (see above).'],
    ['changes only', plan(1, 0, []), '1 file to change.'],
  ])('%s', (_name, p, line) => {
    expect(last(p)).toBe(line);
  });
});
