import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {App} from '../../../source/app/app.js';
import {VerifyScreen} from '../../../source/app/screens/VerifyScreen.js';
import type {WizardAction} from '../../../source/app/wizard/state.js';
import type {VerifyResult} from '../../../source/core/model/runtime.js';
import {at, deferred, demoScan, enterToReview, fakeServices, keys, realPlan, renderAt, renderScreen, run, until, waitFor, withPlan} from '../support.js';

afterEach(cleanup);

const web = 'compose-service:compose.yaml#web';
const cache = 'compose-service:compose.yaml#cache';
const ok = (target: string): VerifyResult => ({target, ok: true, checks: [{name: 'build', ok: true, detail: ''}, {name: 'stays-up', ok: true, detail: ''}], missing: [], logs: ''});
const missingRun: VerifyResult = {
  target: web,
  ok: false,
  checks: [{name: 'build', ok: true, detail: ''}, {name: 'no-write-errors', ok: false, detail: "EROFS: read-only file system, open '/app/data/sessions.json'"}],
  missing: [{path: '/app/data', mount: 'volume', evidence: ['log: EROFS /app/data/sessions.json']}],
  logs: '',
};

const verifying = (actions: WizardAction[] = []) => {
  const review = withPlan(at(run([{type: 'scanned', scan: demoScan()}, {type: 'next'}, {type: 'next'}, {type: 'next'}, {type: 'next'}]), 'review'));
  return at(run([{type: 'next'}, {type: 'applied', written: ['compose.yaml'], backupId: 'b'}, {type: 'next'}, ...actions], review), 'verifying');
};

describe('VerifyScreen', () => {
  it('streams the output of the running target', async () => {
    const {lastFrame} = renderScreen(VerifyScreen, verifying([{type: 'verified', result: ok(web)}, {type: 'progress', line: '#5 [runtime 2/4] COPY --from=builder /app/dist ./dist'}]));
    const frame = await waitFor(lastFrame, 'Verifying compose.yaml › cache (2/2)');
    expect(frame).toContain('✓ compose.yaml › web: 2 checks passed');
    expect(frame).toContain('#5 [runtime 2/4] COPY --from=builder /app/dist ./dist');
  });

  it('offers the missing path as a one-key fix', async () => {
    const {lastFrame, stdin, dispatch} = renderScreen(VerifyScreen, verifying([{type: 'verified', result: missingRun}, {type: 'verified', result: ok(cache)}]));
    const frame = await waitFor(lastFrame, 'Press f to keep /app/data writable');
    expect(frame).toContain('✗ compose.yaml › web: no-write-errors failed');
    expect(frame).toContain("no-write-errors: EROFS: read-only file system, open '/app/data/sessions");
    expect(frame).toContain('missing writable path /app/data (volume): log: EROFS /app/data/sessions.json');
    stdin.write('f');
    stdin.write(keys.enter);
    await until(() => dispatch.mock.calls.length === 2);
    expect(dispatch.mock.calls.map(c => c[0])).toEqual([{type: 'fixMissing'}, {type: 'next'}]);
  });

  it('shows an image that is not on this machine as not verified, neither passed nor failed, with the --pull way on', async () => {
    const notLocal: VerifyResult = {target: cache, ok: false, checks: [], missing: [], logs: '', notVerified: {image: 'redis:7', why: 'redis:7 is not on this machine'}};
    const {lastFrame} = renderScreen(VerifyScreen, verifying([{type: 'verified', result: ok(web)}, {type: 'verified', result: notLocal}]));
    const frame = await waitFor(lastFrame, '– compose.yaml › cache: not verified: redis:7 is not on this machine');
    expect(frame).toContain('start the wizard with --pull to pull it');
    expect(frame).toContain('What ran works read-only; the rest was not verified.');
    expect(frame).not.toContain('✗');
    expect(frame).not.toContain('failed');
  });

  it('says so when everything passed', async () => {
    const {lastFrame} = renderScreen(VerifyScreen, verifying([{type: 'verified', result: ok(web)}, {type: 'verified', result: ok(cache)}]));
    await waitFor(lastFrame, 'It builds and runs with a read-only root filesystem.');
  });

  it('Ctrl-C aborts the running verification and leaves only after its clean-up', async () => {
    const scan = demoScan();
    const signals: AbortSignal[] = [];
    const removed = deferred<void>();
    const onExit = vi.fn();
    const services = fakeServices({
      scan: async () => scan,
      plan: (s, o) => realPlan(s, o),
      apply: async plan => ({written: plan.files.map(f => f.file), backupId: 'b1'}),
      verify: (_scan, _target, progress, signal) => {
        signals.push(signal);
        progress('building harden-demo:1.0');
        // Like the real one: on abort, remove the container, then reject.
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => void removed.promise.then(() => reject(new Error('aborted')))));
      },
    });
    const app = renderAt(<App dir="/p" services={services} onExit={onExit} />);
    await enterToReview(app);
    app.stdin.write(keys.enter);
    await waitFor(app.lastFrame, 'harden undo');
    app.stdin.write(keys.enter);
    await waitFor(app.lastFrame, 'building harden-demo:1.0');
    app.stdin.write(keys.ctrlC);
    await waitFor(app.lastFrame, 'Stopping: removing what harden started');
    // Both services were verifying at once; both runs are told to stop.
    expect(signals).toHaveLength(2);
    expect(signals.every(s => s.aborted)).toBe(true);
    expect(onExit).not.toHaveBeenCalled();
    removed.resolve();
    await until(() => onExit.mock.calls.length > 0);
    expect(onExit).toHaveBeenCalledWith(130, expect.any(String));
  });
});
