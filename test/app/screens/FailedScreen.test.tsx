import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {FailedScreen} from '../../../source/app/screens/FailedScreen.js';
import {at, demoScan, keys, renderScreen, run, until, waitFor} from '../support.js';

afterEach(cleanup);

describe('FailedScreen', () => {
  it('says what failed and, when it can, that esc goes back', async () => {
    const state = at(run([{type: 'scanned', scan: demoScan()}, {type: 'next'}, {type: 'failed', message: 'could not plan the fix: boom'}]), 'failed');
    const {lastFrame, stdin, dispatch} = renderScreen(FailedScreen, state);
    const frame = await waitFor(lastFrame, 'could not plan the fix: boom');
    expect(frame).toContain('Something went wrong');
    expect(frame).toContain('esc goes back one step; your choices are kept.');
    stdin.write(keys.escape);
    await until(() => dispatch.mock.calls.length === 1);
    stdin.write(keys.enter);
    await until(() => dispatch.mock.calls.length === 2);
    expect(dispatch.mock.calls.map(c => c[0])).toEqual([{type: 'back'}, {type: 'finish'}]);
  });

  it('has no back when there is nowhere to go', async () => {
    const {lastFrame} = renderScreen(FailedScreen, at(run([{type: 'failed', message: 'no such directory'}]), 'failed'));
    const frame = await waitFor(lastFrame, 'no such directory');
    expect(frame).not.toContain('esc goes back');
  });
});
