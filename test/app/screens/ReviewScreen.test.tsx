import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {ReviewScreen} from '../../../source/app/screens/ReviewScreen.js';
import type {WizardAction} from '../../../source/app/wizard/state.js';
import {at, demoScan, keys, renderScreen, run, until, waitFor, withPlan} from '../support.js';

afterEach(cleanup);

const review = (actions: WizardAction[] = []) =>
  withPlan(at(run([{type: 'scanned', scan: demoScan()}, {type: 'next'}, {type: 'next'}, {type: 'next'}, {type: 'next'}, ...actions]), 'review'));

describe('ReviewScreen', () => {
  it('shows the files and the unified diff of the first, within 80 columns', async () => {
    const {lastFrame} = renderScreen(ReviewScreen, review());
    const frame = await waitFor(lastFrame, 'File 1/4: Dockerfile · accepted · lines 1-17 of 35');
    expect(frame).toContain('✓ Dockerfile  ✓ compose.yaml  ✓ k8s/deployment.yaml');
    expect(frame).toContain('+FROM node:20 AS builder');
    expect(frame).toContain('-FROM node:20');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('scrolls with j/k, arrows and PgUp/PgDn; ← → and tab change file', async () => {
    const {lastFrame, stdin} = renderScreen(ReviewScreen, review());
    await waitFor(lastFrame, 'lines 1-17 of 35');
    stdin.write('j');
    await waitFor(lastFrame, 'lines 2-18 of 35');
    stdin.write(keys.down);
    await waitFor(lastFrame, 'lines 3-19 of 35');
    stdin.write(keys.pageDown);
    await waitFor(lastFrame, 'lines 19-35 of 35');
    stdin.write(keys.pageUp);
    await waitFor(lastFrame, 'lines 2-18 of 35');
    stdin.write('k');
    stdin.write(keys.up);
    await waitFor(lastFrame, 'lines 1-17 of 35');
    stdin.write(keys.right);
    const compose = await waitFor(lastFrame, 'File 2/4: compose.yaml');
    expect(compose).toContain('+    read_only: true');
    stdin.write('\t');
    await waitFor(lastFrame, 'File 3/4: k8s/deployment.yaml');
    stdin.write(keys.left);
    await waitFor(lastFrame, 'File 2/4: compose.yaml');
  });

  it('y and n decide a file and move on; space toggles; enter writes', async () => {
    const {lastFrame, stdin, dispatch} = renderScreen(ReviewScreen, review());
    await waitFor(lastFrame, 'File 1/4');
    stdin.write('y');
    stdin.write('n');
    stdin.write(' ');
    stdin.write(keys.enter);
    await until(() => dispatch.mock.calls.length === 4);
    expect(dispatch.mock.calls.map(c => c[0])).toEqual([
      {type: 'setFile', file: 'Dockerfile', accepted: true},
      {type: 'setFile', file: 'compose.yaml', accepted: false},
      {type: 'setFile', file: 'k8s/deployment.yaml', accepted: false},
      {type: 'next'},
    ]);
  });

  it('marks skipped files and says so when there is nothing to change', async () => {
    const skipped = renderScreen(ReviewScreen, review([{type: 'setFile', file: 'Dockerfile', accepted: false}]));
    await waitFor(skipped.lastFrame, '✗ Dockerfile');
    await waitFor(skipped.lastFrame, 'File 1/4: Dockerfile · skipped');
    skipped.unmount();
    const state = review();
    const empty = renderScreen(ReviewScreen, {...state, plan: {...state.plan!, files: []}});
    await waitFor(empty.lastFrame, 'Nothing to change: every fixable finding of the chosen targets is fixed already.');
    empty.unmount();
    const unread = renderScreen(ReviewScreen, {...state, plan: {...state.plan!, files: [], errors: [{file: 'compose.yaml', line: 3, message: 'invalid YAML'}]}});
    await waitFor(unread.lastFrame, 'Nothing to change in the files harden could read.');
    await waitFor(unread.lastFrame, '1 file could not be patched and stay untouched (see the summary).');
    expect(unread.lastFrame()).not.toContain('fixed already');
  });
});
