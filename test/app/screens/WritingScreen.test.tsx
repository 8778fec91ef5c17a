import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../../source/app/app.js';
import {WritingScreen} from '../../../source/app/screens/WritingScreen.js';
import type {WizardAction} from '../../../source/app/wizard/state.js';
import {at, demoScan, enterToReview, fakeServices, keys, realPlan, renderAt, renderScreen, run, until, waitFor, withPlan} from '../support.js';

afterEach(cleanup);

const writing = (actions: WizardAction[] = [], scan = demoScan()) => {
  const review = withPlan(at(run([{type: 'scanned', scan}, {type: 'next'}, {type: 'next'}, {type: 'next'}, {type: 'next'}]), 'review'));
  return at(run([{type: 'next'}, ...actions], review), 'writing');
};

describe('WritingScreen', () => {
  it('shows a spinner while the files are written', async () => {
    const {lastFrame} = renderScreen(WritingScreen, writing());
    await waitFor(lastFrame, 'Writing 4 files: each atomically, after a backup');
  });

  it('says what was written and how to undo it; enter goes on', async () => {
    const {lastFrame, stdin, dispatch} = renderScreen(WritingScreen, writing([{type: 'applied', written: ['Dockerfile', 'compose.yaml'], backupId: '2025-01-01T10-00-00'}]));
    const frame = await waitFor(lastFrame, 'Wrote 2 files:');
    expect(frame).toContain('✓ Dockerfile');
    expect(frame).toContain('Backup 2025-01-01T10-00-00 is in .harden/backups.');
    expect(frame).toContain('To undo: harden undo puts every file back as it was.');
    expect(frame).toContain('Next: build and run it hardened, to prove it still works.');
    stdin.write(keys.enter);
    await until(() => dispatch.mock.calls.length === 1);
    expect(dispatch).toHaveBeenCalledWith({type: 'next'});
  });

  it('in static mode, goes on to the summary; nothing to write is said plainly', async () => {
    const state = writing([{type: 'applied', written: [], backupId: undefined}], demoScan({engineProblem: 'no engine'}));
    const {lastFrame} = renderScreen(WritingScreen, state);
    const frame = await waitFor(lastFrame, 'Every file already held this text; nothing was written.');
    expect(frame).toContain('Next: optional digests, signing and drift rules, then the host.');
  });

  it('a failed write shows why, and esc goes back to the review with the choices kept', async () => {
    const scan = demoScan();
    const services = fakeServices({
      scan: async () => scan,
      plan: (s, o) => realPlan(s, o),
      apply: async () => Promise.reject(new Error('compose.yaml changed since it was read; nothing was written')),
    });
    const app = renderAt(<App dir="/p" services={services} onExit={() => {}} />);
    await enterToReview(app);
    app.stdin.write('n');
    await waitFor(app.lastFrame, '✗ Dockerfile');
    app.stdin.write(keys.enter);
    await waitFor(app.lastFrame, 'compose.yaml changed since it was read; nothing was written');
    app.stdin.write(keys.escape);
    await waitFor(app.lastFrame, '6/11 Review');
    await waitFor(app.lastFrame, '✗ Dockerfile');
  });
});
