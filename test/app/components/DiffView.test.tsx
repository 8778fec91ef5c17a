// chalk is Ink's own (not a dependency of ours): its level is what FORCE_COLOR and NO_COLOR set.
import chalk from 'chalk';
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {DiffView, diffLines} from '../../../source/app/components/DiffView.js';
import {renderAt, waitFor} from '../support.js';

const level = chalk.level;
afterEach(() => {
  chalk.level = level;
  cleanup();
});

const lines = diffLines({file: 'compose.yaml', bom: false, created: false, text: 'services:\n  web:\n    read_only: true\n'}, 'services:\n  web:\n    privileged: true\n');

describe('DiffView', () => {
  it('colours additions green, removals red and hunks cyan, through Ink', async () => {
    chalk.level = 1;
    const {lastFrame} = renderAt(<DiffView lines={lines} offset={0} height={10} width={80} />);
    const frame = await waitFor(lastFrame, 'read_only');
    expect(frame).toContain('\u001B[32m+    read_only: true\u001B[39m');
    expect(frame).toContain('\u001B[31m-    privileged: true\u001B[39m');
    expect(frame).toMatch(/\u001B\[36m@@ -1,3 \+1,3 @@/);
  });

  it('has no escape codes at all when colour is off (NO_COLOR)', async () => {
    chalk.level = 0;
    const {lastFrame} = renderAt(<DiffView lines={lines} offset={0} height={10} width={80} />);
    const frame = await waitFor(lastFrame, 'read_only');
    expect(frame).not.toContain('\u001B');
    expect(frame.split('\n').slice(0, 3)).toEqual(['--- a/compose.yaml', '+++ b/compose.yaml', '@@ -1,3 +1,3 @@']);
  });

  it('shows `height` lines from `offset`, cut at the width', async () => {
    const long = ['+' + 'x'.repeat(200), ' a', ' b', ' c'];
    const {lastFrame} = renderAt(<DiffView lines={long} offset={1} height={2} width={40} />);
    const frame = await waitFor(lastFrame, 'a');
    expect(frame.split('\n')).toEqual([' a', ' b']);
    const cut = renderAt(<DiffView lines={long} offset={0} height={1} width={40} />);
    expect((await waitFor(cut.lastFrame, 'x')).length).toBeLessThanOrEqual(40);
  });
});
