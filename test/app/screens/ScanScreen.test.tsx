import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {App} from '../../../source/app/app.js';
import {ScanScreen} from '../../../source/app/screens/ScanScreen.js';
import type {ScanProgress, ScanResult} from '../../../source/app/services.js';
import {deferred, demoScan, fakeServices, keys, renderAt, renderScreen, run, until, waitFor} from '../support.js';

afterEach(cleanup);

describe('ScanScreen', () => {
  it('shows a spinner and the counts so far', async () => {
    const state = run([{type: 'scanProgress', progress: {files: 12, targets: 4, containers: 2}}]);
    const {lastFrame} = renderScreen(ScanScreen, state as Extract<typeof state, {step: 'scanning'}>);
    const frame = await waitFor(lastFrame, '12 files · 4 targets · 2 running containers');
    expect(frame).toContain('Scanning /project');
  });

  it('counts live as the scan reports, then shows the targets', async () => {
    const done = deferred<ScanResult>();
    let report: ((progress: ScanProgress) => void) | undefined;
    const services = fakeServices({
      scan: async (dir, onProgress) => {
        expect(dir).toBe('/work/app');
        report = onProgress;
        return done.promise;
      },
    });
    const {lastFrame} = renderAt(<App dir="/work/app" services={services} onExit={() => {}} />);
    await waitFor(lastFrame, '0 files · 0 targets · 0 running containers');
    await until(() => report !== undefined);
    report!({files: 3, targets: 1, containers: 0});
    await waitFor(lastFrame, '3 files · 1 targets · 0 running containers');
    report!({files: 7, targets: 4, containers: 1});
    await waitFor(lastFrame, '7 files · 4 targets · 1 running containers');
    done.resolve(demoScan());
    await waitFor(lastFrame, '2/11 Targets');
  });

  it('goes static with a clear line when no engine answers', async () => {
    const services = fakeServices({scan: async () => demoScan({engineProblem: 'cannot connect to unix:///var/run/docker.sock'})});
    const {lastFrame} = renderAt(<App dir="/p" services={services} onExit={() => {}} />);
    const frame = await waitFor(lastFrame, 'No container engine: cannot connect to unix:///var/run/docker.sock.');
    expect(frame).toContain('static mode');
  });

  it('q aborts the scan and exits 130 only once the scan has cleaned up', async () => {
    let signal: AbortSignal | undefined;
    const cleaned = deferred<void>();
    const services = fakeServices({
      scan: (_dir, _progress, abort) => {
        signal = abort;
        return new Promise((_resolve, reject) => abort.addEventListener('abort', () => void cleaned.promise.then(() => reject(new Error('aborted')))));
      },
    });
    const onExit = vi.fn();
    const {lastFrame, stdin} = renderAt(<App dir="/p" services={services} onExit={onExit} />);
    await waitFor(lastFrame, 'Scanning');
    stdin.write('q');
    await waitFor(lastFrame, 'Stopping: removing what harden started');
    expect(signal?.aborted).toBe(true);
    expect(onExit).not.toHaveBeenCalled();
    cleaned.resolve();
    await until(() => onExit.mock.calls.length > 0);
    expect(onExit).toHaveBeenCalledWith(130, expect.any(String));
  });

  it('a failed scan shows the failure; enter leaves with 1', async () => {
    const onExit = vi.fn();
    const services = fakeServices({scan: async () => Promise.reject(new Error('EACCES: permission denied, scandir /p/secret'))});
    const {lastFrame, stdin} = renderAt(<App dir="/p" services={services} onExit={onExit} />);
    await waitFor(lastFrame, 'EACCES: permission denied, scandir /p/secret');
    stdin.write(keys.enter);
    await until(() => onExit.mock.calls.length > 0);
    expect(onExit).toHaveBeenCalledWith(1, expect.any(String));
  });
});
