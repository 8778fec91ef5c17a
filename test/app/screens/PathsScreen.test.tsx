import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../../source/app/app.js';
import {PathsScreen} from '../../../source/app/screens/PathsScreen.js';
import type {WizardAction} from '../../../source/app/wizard/state.js';
import {at, deferred, demoScan, fakeServices, keys, realPlan, renderAt, renderScreen, run, scanTexts, until, waitFor, withPlan} from '../support.js';
import type {FoundPath} from '../../../source/core/model/runtime.js';

afterEach(cleanup);

const web = 'compose-service:compose.yaml#web';
const paths = (actions: WizardAction[] = [], scan = demoScan()) =>
  withPlan(at(run([{type: 'scanned', scan}, {type: 'setTargets', ids: [web, 'compose-service:compose.yaml#cache']}, {type: 'next'}, {type: 'next'}, ...actions]), 'paths'));

describe('PathsScreen', () => {
  it('lists the proposed paths per target with mount type and evidence', async () => {
    const {lastFrame} = renderScreen(PathsScreen, paths());
    const frame = await waitFor(lastFrame, 'compose.yaml › cache (compose service)');
    expect(frame).toMatch(/\[x\] \/app\/logs +volume +proposed +ENV LOG_DIR=\/app\/logs/);
    expect(frame).toMatch(/\[x\] \/tmp +tmpfs +proposed +well-known image node/);
    expect(frame).toMatch(/\[x\] \/data +volume +proposed +well-known image redis/);
    expect(frame).toContain('a adds a path to this target; d finds them by running it');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('says nothing is known of where an unknown image writes, instead of an empty list', async () => {
    const scan = scanTexts('/project', new Map([['compose.yaml', 'services:\n  admin:\n    image: dpage/pgadmin4:8.12\n']]));
    const admin = 'compose-service:compose.yaml#admin';
    const state = withPlan(at(run([{type: 'scanned', scan}, {type: 'setTargets', ids: [admin]}, {type: 'next'}, {type: 'next'}]), 'paths'));
    const {lastFrame} = renderScreen(PathsScreen, state);
    const frame = await waitFor(lastFrame, 'nothing is known of where dpage/pgadmin4:8.12 writes');
    expect(frame).toContain('d runs it to find out');
    // The demo's known images keep their usual line.
    const demo = renderScreen(PathsScreen, paths());
    expect(await waitFor(demo.lastFrame, 'a adds a path')).not.toContain('knows nothing');
  });

  it('space, t, a and d act on the row under the cursor', async () => {
    const {lastFrame, stdin, dispatch} = renderScreen(PathsScreen, paths());
    await waitFor(lastFrame, '/app/logs');
    stdin.write('j');
    stdin.write(' ');
    stdin.write('j');
    stdin.write('t');
    stdin.write('a');
    stdin.write('d');
    stdin.write(keys.enter);
    await until(() => dispatch.mock.calls.length === 5);
    expect(dispatch.mock.calls.map(c => c[0])).toEqual([
      {type: 'togglePath', targetId: web, path: '/app/logs'},
      {type: 'setMount', targetId: web, path: '/app/cache', mount: 'volume'},
      {type: 'addStart', targetId: web},
      {type: 'discoverStart', targetId: web},
      {type: 'next'},
    ]);
  });

  it('validates a path as it is typed', async () => {
    const typing = renderScreen(PathsScreen, paths([{type: 'addStart', targetId: web}, {type: 'addInput', text: 'var/cache'}]));
    await waitFor(typing.lastFrame, 'Add a writable path to compose.yaml › web: var/cache');
    await waitFor(typing.lastFrame, 'the path must be absolute');
    typing.unmount();
    const forbidden = renderScreen(PathsScreen, paths([{type: 'addStart', targetId: web}, {type: 'addInput', text: '/proc'}]));
    await waitFor(forbidden.lastFrame, '/proc must never be writable');
    forbidden.unmount();
    const good = renderScreen(PathsScreen, paths([{type: 'addStart', targetId: web}, {type: 'addInput', text: '/var/cache/app'}]));
    await waitFor(good.lastFrame, '✓ /var/cache/app, tmpfs suggested');
    // While typing, every key is text: q does not quit, ? does not open help.
    good.stdin.write('q?');
    good.stdin.write(keys.backspace);
    good.stdin.write(keys.enter);
    good.stdin.write(keys.escape);
    // Keys that arrive together are typed one by one.
    await until(() => good.dispatch.mock.calls.length === 5);
    expect(good.dispatch.mock.calls.map(c => c[0])).toEqual([{type: 'addInput', text: 'q'}, {type: 'addInput', text: '?'}, {type: 'addErase'}, {type: 'addSubmit'}, {type: 'back'}]);
    expect(good.onHelp).not.toHaveBeenCalled();
  });

  it('shows an added path with its source; static mode has no discover key', async () => {
    const state = paths([{type: 'addStart', targetId: web}, {type: 'addInput', text: '/srv/app'}, {type: 'addSubmit'}], demoScan({engineProblem: 'no engine'}));
    const {lastFrame, stdin, dispatch} = renderScreen(PathsScreen, withPlan(state));
    const frame = await waitFor(lastFrame, /\[x\] \/srv\/app +tmpfs +added +added by you/);
    expect(frame.match(/\/srv\/app/g)).toHaveLength(2);
    expect(frame).toContain('Static mode: discover by running it (d) needs a container engine.');
    expect(frame).toContain('/srv/app added to web only');
    stdin.write('d');
    await until(() => dispatch.mock.calls.length === 1);
  });

  it('discovers by running the target, with live progress, and aborts when esc stops it', async () => {
    const scan = demoScan();
    const found = deferred<FoundPath[]>();
    let signal: AbortSignal | undefined;
    let progress: ((line: string) => void) | undefined;
    const services = fakeServices({
      scan: async () => scan,
      plan: (s, o) => realPlan(s, o),
      discoverPaths: async (_scan, target, onProgress, abort) => {
        expect(target).toBe(web);
        signal = abort;
        progress = onProgress;
        return found.promise;
      },
    });
    const {lastFrame, stdin} = renderAt(<App dir="/p" services={services} onExit={() => {}} />);
    await waitFor(lastFrame, 'Targets');
    stdin.write(keys.enter);
    await waitFor(lastFrame, 'Findings');
    stdin.write(keys.enter);
    await waitFor(lastFrame, '/app/logs');
    stdin.write('j');
    stdin.write('d');
    await until(() => progress !== undefined);
    progress!('starting harden-demo with a writable root to watch it');
    await waitFor(lastFrame, 'Running compose.yaml › web to find the paths it writes');
    await waitFor(lastFrame, 'starting harden-demo with a writable root');
    found.resolve([{path: '/var/lib/demo', mount: 'volume', evidence: ['A /var/lib/demo/state.json']}]);
    await waitFor(lastFrame, /\/var\/lib\/demo +volume +found by run +A \/var\/lib\/demo\/state\.json/);
    await waitFor(lastFrame, 'discovery found 1 path, 1 new');

    const first = signal;
    found.promise = new Promise(() => {});
    stdin.write('d');
    await waitFor(lastFrame, 'esc stops');
    stdin.write(keys.escape);
    await waitFor(lastFrame, 'discovery stopped');
    expect(signal).not.toBe(first);
    expect(signal?.aborted).toBe(true);
  });
});
