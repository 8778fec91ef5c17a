import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {SummaryScreen} from '../../../source/app/screens/SummaryScreen.js';
import type {WizardAction} from '../../../source/app/wizard/state.js';
import type {VerifyResult} from '../../../source/core/model/runtime.js';
import {at, demoScan, keys, renderScreen, run, until, waitFor, withPlan} from '../support.js';

afterEach(cleanup);

const web = 'compose-service:compose.yaml#web';
const cache = 'compose-service:compose.yaml#cache';
const ok = (target: string): VerifyResult => ({target, ok: true, checks: [], missing: [], logs: ''});

const summary = (actions: WizardAction[], scan = demoScan()) => {
  const review = withPlan(at(run([{type: 'scanned', scan}, {type: 'next'}, {type: 'next'}, {type: 'next'}, {type: 'next'}]), 'review'));
  return at(run([{type: 'next'}, {type: 'applied', written: ['Dockerfile', 'compose.yaml', 'k8s/deployment.yaml'], backupId: 'b1'}, {type: 'next'}, ...actions], review), 'summary');
};

describe('SummaryScreen', () => {
  it('says what was hardened and verified, and how to undo', async () => {
    const state = summary([{type: 'verified', result: ok(web)}, {type: 'verified', result: ok(cache)}, {type: 'next'}, {type: 'saved', files: ['harden-report.md', 'harden-plan.json']}]);
    const {lastFrame} = renderScreen(SummaryScreen, state, {height: 40});
    const frame = await waitFor(lastFrame, 'Saved harden-report.md, harden-plan.json');
    expect(frame).toContain('Wrote Dockerfile, compose.yaml, k8s/deployment.yaml.');
    expect(frame).toContain('Dockerfile: multi-stage: FROM node:20-slim, USER 1000:1000');
    expect(frame).toContain('compose.yaml › web: read-only root; no-new-privileges; 4 writable mounts\n      (/app/logs, /app/cache, /app/run, /tmp)');
    expect(frame).toContain('Undo: harden undo restores backup b1.');
    expect(frame).toContain('✓ compose.yaml › web: builds and runs read-only');
    expect(frame).toContain('1 Kubernetes container not run here');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('lists what remains, with reasons, and the next steps', async () => {
    const state = summary([{type: 'verified', result: ok(web)}, {type: 'verified', result: ok(cache)}, {type: 'next'}]);
    const {lastFrame} = renderScreen(SummaryScreen, state, {height: 60});
    const frame = await waitFor(lastFrame, 'What remains');
    expect(frame).toContain('compose.yaml › cache: run as a non-root user: no non-root user is known for\n      this image');
    expect(frame).toContain('pin the image by digest');
    expect(frame).toContain('Saving harden-report.md and harden-plan.json');
    expect(frame).toContain('Next steps');
  });

  it('in static mode, says verification needs an engine', async () => {
    const state = summary([], demoScan({engineProblem: 'no engine'}));
    const {lastFrame} = renderScreen(SummaryScreen, state, {height: 40});
    await waitFor(lastFrame, 'Not verified: no container engine (no engine). Run harden verify where Docker\n      runs.');
  });

  it('scrolls with j/k; enter finishes; a failed save is shown', async () => {
    const state = summary([{type: 'verified', result: ok(web)}, {type: 'verified', result: ok(cache)}, {type: 'next'}, {type: 'saveFailed', message: 'EROFS: read-only file system'}]);
    const {lastFrame, stdin, dispatch} = renderScreen(SummaryScreen, state, {height: 8});
    await waitFor(lastFrame, 'Could not save the report: EROFS: read-only file system');
    expect(lastFrame()).toContain('Hardened');
    for (let i = 0; i < 4; i++) stdin.write('j');
    await until(() => !lastFrame()!.includes('Hardened'));
    stdin.write(keys.enter);
    await until(() => dispatch.mock.calls.length === 1);
    expect(dispatch).toHaveBeenCalledWith({type: 'finish'});
  });
});
