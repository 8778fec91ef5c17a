import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {TargetsScreen} from '../../../source/app/screens/TargetsScreen.js';
import {at, demoScan, hardenedDir, keys, readProject, renderScreen, run, scanTexts, until, waitFor} from '../support.js';

afterEach(cleanup);

const targets = (scan = demoScan()) => at(run([{type: 'scanned', scan}]), 'targets');

describe('TargetsScreen', () => {
  it('lists every target with its kind, findings count and worst severity, in 80 columns', async () => {
    const {lastFrame} = renderScreen(TargetsScreen, targets());
    const frame = await waitFor(lastFrame, 'k8s container');
    expect(frame).toContain('4 targets found; 4 selected to harden.');
    expect(frame).toMatch(/› \[x\] Dockerfile +Dockerfile +3 findings +MEDIUM/);
    expect(frame).toMatch(/\[x\] compose\.yaml › web +compose service +8 findings +HIGH/);
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('marks hardened targets and does not select them', async () => {
    const {lastFrame} = renderScreen(TargetsScreen, targets(scanTexts(hardenedDir, readProject(hardenedDir))));
    const frame = await waitFor(lastFrame, 'hardened');
    expect(frame).toMatch(/\[ \] .*hardened/);
    expect(frame).toContain('0 selected');
  });

  it('says so when no engine answered (static mode)', async () => {
    const {lastFrame} = renderScreen(TargetsScreen, targets(demoScan({engineProblem: 'no Docker socket at /var/run/docker.sock'})));
    await waitFor(lastFrame, 'No container engine: no Docker socket at /var/run/docker.sock. Static mode');
  });

  it('moves with j/k and arrows, toggles with space, all/none with a, goes on with enter', async () => {
    const state = targets();
    const {lastFrame, stdin, dispatch} = renderScreen(TargetsScreen, state);
    await waitFor(lastFrame, 'Dockerfile');
    stdin.write('j');
    await waitFor(lastFrame, '› [x] compose.yaml › web');
    stdin.write(keys.down);
    await waitFor(lastFrame, '› [x] compose.yaml › cache');
    stdin.write('k');
    await waitFor(lastFrame, '› [x] compose.yaml › web');
    stdin.write(' ');
    stdin.write('a');
    stdin.write(keys.enter);
    expect(dispatch.mock.calls.map(c => c[0])).toEqual([
      {type: 'toggleTarget', id: 'compose-service:compose.yaml#web'},
      {type: 'setTargets', ids: []},
      {type: 'next'},
    ]);
  });

  it('handles keys that arrive together (typed fast, pasted) one by one', async () => {
    const {lastFrame, stdin, dispatch} = renderScreen(TargetsScreen, targets());
    await waitFor(lastFrame, '› [x] Dockerfile');
    stdin.write('jj');
    await waitFor(lastFrame, '› [x] compose.yaml › cache');
    stdin.write('k ');
    await waitFor(lastFrame, '› [x] compose.yaml › web');
    await until(() => dispatch.mock.calls.length === 1);
    expect(dispatch.mock.calls.map(c => c[0])).toEqual([{type: 'toggleTarget', id: 'compose-service:compose.yaml#web'}]);
  });

  it('hands q, esc and ? to the wizard; an inactive screen hears nothing', async () => {
    const active = renderScreen(TargetsScreen, targets());
    await waitFor(active.lastFrame, 'Dockerfile');
    active.stdin.write('q');
    active.stdin.write(keys.escape);
    await waitFor(() => String(active.dispatch.mock.calls.length), '2');
    active.stdin.write('?');
    expect(active.dispatch.mock.calls.map(c => c[0])).toEqual([{type: 'quit'}, {type: 'back'}]);
    expect(active.onHelp).toHaveBeenCalledOnce();
    active.unmount();

    const inactive = renderScreen(TargetsScreen, targets(), {active: false});
    await waitFor(inactive.lastFrame, 'Dockerfile');
    inactive.stdin.write(' ');
    inactive.stdin.write('q');
    expect(inactive.dispatch).not.toHaveBeenCalled();
  });
});
