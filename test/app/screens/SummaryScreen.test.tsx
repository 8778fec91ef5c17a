import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {SummaryScreen} from '../../../source/app/screens/SummaryScreen.js';
import type {HostCheck, WizardAction} from '../../../source/app/wizard/state.js';
import type {VerifyResult} from '../../../source/core/model/runtime.js';
import {at, demoScan, keys, renderScreen, run, until, waitFor, withPlan} from '../support.js';

afterEach(cleanup);

const web = 'compose-service:compose.yaml#web';
const cache = 'compose-service:compose.yaml#cache';
const ok = (target: string): VerifyResult => ({target, ok: true, checks: [], missing: [], logs: ''});
const hostCheck: HostCheck = {
  findings: [{rule: 'daemon-userns', severity: 'medium', target: 'host:host:vm#vm', file: '/etc/docker/daemon.json', line: 0, message: 'm', fixable: false}],
  errors: [],
  daemonFile: '/etc/docker/daemon.json',
  notes: [],
};
/** From the end of verification: step 9 skipped, step 10 read, on to the summary. */
const pastHost: WizardAction[] = [{type: 'next'}, {type: 'next'}, {type: 'hostChecked', check: hostCheck}, {type: 'next'}];

const summary = (actions: WizardAction[], scan = demoScan()) => {
  const review = withPlan(at(run([{type: 'scanned', scan}, {type: 'next'}, {type: 'next'}, {type: 'next'}, {type: 'next'}]), 'review'));
  return at(run([{type: 'next'}, {type: 'applied', written: ['Dockerfile', 'compose.yaml', 'k8s/deployment.yaml'], backupId: 'b1'}, {type: 'next'}, ...actions], review), 'summary');
};

describe('SummaryScreen', () => {
  it('says what was hardened and verified, and how to undo', async () => {
    const state = summary([{type: 'verified', result: ok(web)}, {type: 'verified', result: ok(cache)}, ...pastHost, {type: 'saved', files: ['harden-report.md', 'harden-plan.json']}]);
    const {lastFrame} = renderScreen(SummaryScreen, state, {height: 40});
    const frame = await waitFor(lastFrame, 'Saved harden-report.md, harden-plan.json');
    expect(frame).toContain('Wrote Dockerfile, compose.yaml, k8s/deployment.yaml.');
    expect(frame).toContain('Dockerfile: multi-stage: FROM node:20-slim, USER 1000:1000');
    expect(frame).toContain('compose.yaml › web: read-only root; no-new-privileges; all capabilities\n      dropped; 4 writable mounts (/app/logs, /app/cache, /app/run, /tmp)');
    expect(frame).toContain('✓ compose.yaml › web: builds and runs read-only');
    expect(frame).toContain('1 Kubernetes container not run here');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('says how to undo the one backup', async () => {
    const state = summary([{type: 'verified', result: ok(web)}, {type: 'verified', result: ok(cache)}, ...pastHost]);
    const {lastFrame} = renderScreen(SummaryScreen, state, {height: 80});
    const frame = await waitFor(lastFrame, 'Undo');
    expect(frame).toContain('harden undo restores backup b1: it undoes the hardening of 3 files.');
  });

  it('lists every backup, and says that the first undo removes the harden-host/ copy', async () => {
    const state = summary([
      {type: 'verified', result: ok(web)},
      {type: 'verified', result: ok(cache)},
      {type: 'next'},
      {type: 'next'},
      {type: 'hostChecked', check: {...hostCheck, templates: [{file: 'harden-host/README.md', bom: false, text: 'x', created: true}]}},
      {type: 'copyTemplates'},
      {type: 'templatesCopied', written: ['harden-host/README.md'], backupId: 'b3'},
      {type: 'next'},
    ]);
    const {lastFrame} = renderScreen(SummaryScreen, state, {height: 80});
    const frame = (await waitFor(lastFrame, '2. b1')).replace(/\n\s+/g, ' ');
    expect(frame).toContain('newest first; the first removes the harden-host/ copy of the host notes. Run it 2 times to undo everything:');
    expect(frame).toContain('1. b3: removes the harden-host/ copy of the host notes');
  });

  it('lists what remains, with reasons, and the next steps', async () => {
    const state = summary([{type: 'verified', result: ok(web)}, {type: 'verified', result: ok(cache)}, ...pastHost]);
    const {lastFrame} = renderScreen(SummaryScreen, state, {height: 60});
    const frame = await waitFor(lastFrame, 'What remains');
    expect(frame).toContain('compose.yaml › cache: run as a non-root user: no non-root user is known for\n      this image');
    expect(frame).toContain('pin the image by digest');
    expect(frame).toContain('Saving harden-report.md and harden-plan.json');
    expect(frame).toContain('Next steps');
  });

  it('in static mode, says verification needs an engine', async () => {
    const state = summary([{type: 'next'}, {type: 'hostChecked', check: hostCheck}, {type: 'next'}], demoScan({engineProblem: 'no engine'}));
    const {lastFrame} = renderScreen(SummaryScreen, state, {height: 40});
    await waitFor(lastFrame, 'Not verified: no container engine (no engine). Run harden verify where Docker\n      runs.');
  });

  it('tells what steps 9 and 10 wrote and found, and how to write daemon.json as root', async () => {
    const state = summary([
      {type: 'verified', result: ok(web)},
      {type: 'verified', result: ok(cache)},
      {type: 'next'},
      {type: 'toggleExtra', extra: 'falco'},
      {type: 'next'},
      {type: 'extrasPlanned', made: {plan: {tool: {name: 'harden-wizard', version: 't'}, cwd: '/p', targets: [], files: [{file: 'falco/harden-drift-rules.yaml', bom: false, text: 'x', created: true}], errors: []}, before: {}, notes: ['redis:7 not pinned']}},
      {type: 'next'},
      {type: 'extrasApplied', written: ['falco/harden-drift-rules.yaml'], backupId: 'b2'},
      {type: 'next'},
      {type: 'hostChecked', check: {...hostCheck, daemonPatch: {file: '../../etc/docker/daemon.json', bom: false, text: '{}', created: false}}},
      {type: 'offerDaemon'},
      {type: 'confirmDaemon'},
      {type: 'daemonFailed', message: 'EACCES: permission denied'},
      {type: 'next'},
    ]);
    const {lastFrame} = renderScreen(SummaryScreen, state, {height: 80});
    const frame = await waitFor(lastFrame, 'Beyond read-only');
    expect(frame).toContain('Wrote falco/harden-drift-rules.yaml.');
    expect(frame.replace(/\n\s+/g, ' ')).toContain('Each harden undo restores one backup, newest first; the first undoes falco/harden-drift-rules.yaml beyond read-only.');
    expect(frame).toContain('  1. b2: undoes falco/harden-drift-rules.yaml beyond read-only');
    expect(frame).toContain('  2. b1: undoes the hardening of 3 files');
    expect(frame).toContain('redis:7 not pinned');
    expect(frame).toContain('medium: daemon-userns (/etc/docker/daemon.json)');
    // Long lines wrap at 80 columns; read them joined.
    expect(frame.replace(/\n\s+/g, ' ')).toContain('not written: EACCES: permission denied; as root: sudo harden fix --daemon-json /etc/docker/daemon.json --yes');
  });

  it('says when steps 9 and 10 were not taken', async () => {
    const state = summary([{type: 'verified', result: ok(web)}, {type: 'verified', result: ok(cache)}, ...pastHost]);
    const {lastFrame} = renderScreen(SummaryScreen, state, {height: 80});
    const frame = await waitFor(lastFrame, 'Beyond read-only');
    expect(frame).toContain('Not chosen: harden fix --pin-digests, --falco and --signing make them later.');
  });

  it('scrolls with j/k; enter finishes; a failed save is shown', async () => {
    const state = summary([{type: 'verified', result: ok(web)}, {type: 'verified', result: ok(cache)}, ...pastHost, {type: 'saveFailed', message: 'EROFS: read-only file system'}]);
    const {lastFrame, stdin, dispatch} = renderScreen(SummaryScreen, state, {height: 8});
    await waitFor(lastFrame, 'Could not save the report: EROFS: read-only file system');
    expect(lastFrame()).toContain('Hardened');
    for (let i = 0; i < 4; i++) stdin.write('j');
    await until(() => !lastFrame()!.includes('Hardened'));
    stdin.write(keys.enter);
    await until(() => dispatch.mock.calls.length === 1);
    expect(dispatch).toHaveBeenCalledWith({type: 'finish'});
  });

  it('lists a service whose image is not on this machine as not verified, and asks nobody to fix it', async () => {
    const notLocal: VerifyResult = {target: cache, ok: false, checks: [], missing: [], logs: '', notVerified: {image: 'redis:7', why: 'redis:7 is not on this machine'}};
    const state = summary([{type: 'verified', result: ok(web)}, {type: 'verified', result: notLocal}, ...pastHost]);
    const {lastFrame} = renderScreen(SummaryScreen, state, {height: 60});
    const frame = await waitFor(lastFrame, 'compose.yaml › cache: not verified: redis:7 is not on this machine');
    expect(frame).not.toContain('Fix what failed above');
    expect(frame).not.toMatch(/✗ compose\.yaml › cache/);
  });
});
