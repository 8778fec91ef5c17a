import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {HostScreen, hostHints} from '../../../source/app/screens/HostScreen.js';
import type {HostCheck, HostState, WizardAction} from '../../../source/app/wizard/state.js';
import {at, demoScan, keys, renderScreen, run, until, waitFor, withPlan} from '../support.js';

afterEach(cleanup);

const before = '{\n  "debug": true\n}\n';
const check: HostCheck = {
  findings: [
    {rule: 'daemon-no-new-privileges', severity: 'medium', target: 'host:host:vm#vm', file: '/etc/docker/daemon.json', line: 0, message: 'Neither /etc/docker/daemon.json nor dockerd sets "no-new-privileges"; add the line "no-new-privileges": true.', fixable: false},
    {rule: 'daemon-live-restore', severity: 'low', target: 'host:host:vm#vm', file: '/etc/docker/daemon.json', line: 0, message: 'live-restore is off.', fixable: false},
  ],
  errors: [{file: 'docker', line: 0, message: "could not read the engine's settings: timeout"}],
  daemonFile: '/etc/docker/daemon.json',
  daemonPatch: {file: '../../etc/docker/daemon.json', sha256: 'c'.repeat(64), bom: false, text: '{\n  "debug": true,\n  "no-new-privileges": true,\n  "live-restore": true\n}\n', created: false},
  daemonBefore: before,
  notes: [],
};

/** Step 10 of the demo (static mode, step 9 skipped), after the actions. */
const host = (actions: WizardAction[]): HostState => {
  const review = withPlan(at(run([{type: 'scanned', scan: demoScan({engineProblem: 'no engine'})}, {type: 'next'}, {type: 'next'}, {type: 'next'}, {type: 'next'}]), 'review'));
  return at(run([{type: 'next'}, {type: 'applied', written: ['compose.yaml'], backupId: 'b1'}, {type: 'next'}, {type: 'next'}, ...actions], review), 'host');
};

describe('HostScreen', () => {
  it('waits for the host to be read', async () => {
    const {lastFrame} = renderScreen(HostScreen, host([]));
    await waitFor(lastFrame, "Reading the engine's settings");
  });

  it('scrolls a long finding text with PgDn and says how much is below, never cutting it silently', async () => {
    const long = Array.from({length: 30}, (_, i) => `sentence ${i + 1} of a long explanation.`).join(' ') + ' The end.';
    const state = host([{type: 'hostChecked', check: {...check, findings: [{...check.findings[0]!, message: long}]}}]);
    const {lastFrame, stdin} = renderScreen(HostScreen, state);
    const frame = await waitFor(lastFrame, /↓ \d+ more lines \(PgDn\)/);
    expect(frame).not.toContain('The end.');
    for (let i = 0; i < 6; i++) stdin.write(keys.pageDown);
    const end = await waitFor(lastFrame, 'The end.');
    expect(end).toMatch(/↑ \d+ lines above \(PgUp\)/);
  });

  it('lists the findings, the one under the cursor in full, what could not be read, and the offer', async () => {
    const state = host([{type: 'hostChecked', check}]);
    const {lastFrame, stdin, dispatch} = renderScreen(HostScreen, state);
    const frame = await waitFor(lastFrame, 'The host under the containers: 2 findings.');
    expect(frame).toContain('daemon-no-new-privileges /etc/docker/daemon.json');
    expect(frame.replace(/\n/g, ' ')).toContain('add the line "no-new-privileges": true.');
    expect(frame).toContain("could not check: docker: could not read the engine's settings: timeout");
    expect(frame.replace(/\n\s*/g, ' ')).toContain('d: the change that adds what /etc/docker/daemon.json lacks, written only after you confirm.');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(hostHints(state).map(h => h.keys)).toContain('d');
    stdin.write('j');
    await waitFor(lastFrame, 'live-restore is off.');
    stdin.write('d');
    await until(() => dispatch.mock.calls.length === 1);
    expect(dispatch).toHaveBeenLastCalledWith({type: 'offerDaemon'});
    stdin.write(keys.enter);
    await until(() => dispatch.mock.calls.length === 2);
    expect(dispatch).toHaveBeenLastCalledWith({type: 'next'});
  });

  it('shows the daemon.json diff and writes only on y', async () => {
    const {lastFrame, stdin, dispatch} = renderScreen(HostScreen, host([{type: 'hostChecked', check}, {type: 'offerDaemon'}]));
    const frame = await waitFor(lastFrame, 'Write /etc/docker/daemon.json?');
    // The absolute path, not the patch's path relative to the project.
    expect(frame).toContain('+++ b//etc/docker/daemon.json');
    expect(frame).not.toContain('../');
    expect(frame).toContain('-  "debug": true');
    expect(frame).toContain('+  "no-new-privileges": true,');
    expect(frame).toContain('+  "live-restore": true');
    stdin.write(keys.enter);
    stdin.write('n');
    await until(() => dispatch.mock.calls.length === 1);
    expect(dispatch).toHaveBeenLastCalledWith({type: 'back'});
    stdin.write('y');
    await until(() => dispatch.mock.calls.length === 2);
    expect(dispatch).toHaveBeenLastCalledWith({type: 'confirmDaemon'});
  });

  it('after a refused write: the error and the command to run as root', async () => {
    const {lastFrame} = renderScreen(HostScreen, host([{type: 'hostChecked', check}, {type: 'offerDaemon'}, {type: 'confirmDaemon'}, {type: 'daemonFailed', message: 'EACCES: permission denied'}]));
    const frame = await waitFor(lastFrame, 'Could not write /etc/docker/daemon.json: EACCES: permission denied');
    expect(frame.replace(/\n\s*/g, ' ')).toContain('As root: sudo harden fix --daemon-json /etc/docker/daemon.json --yes');
  });

  it('after the write: the backup, and how the daemon picks it up', async () => {
    const state = host([{type: 'hostChecked', check}, {type: 'offerDaemon'}, {type: 'confirmDaemon'}, {type: 'daemonWritten', backupId: 'b3'}]);
    const {lastFrame} = renderScreen(HostScreen, state);
    const frame = await waitFor(lastFrame, 'Wrote /etc/docker/daemon.json (harden undo restores backup b3).');
    expect(frame.replace(/\n\s*/g, ' ')).toContain('Reload the daemon (systemctl reload docker) so live-restore keeps containers running, then restart it for no-new-privileges.');
    expect(hostHints(state).map(h => h.keys)).not.toContain('d');
  });

  it('c copies the host notes into the project, and says what it copied', async () => {
    const templates = [{file: 'harden-host/README.md', bom: false, text: '# notes\n', created: true}];
    const state = host([{type: 'hostChecked', check: {...check, templates}}]);
    expect(hostHints(state).map(h => h.keys)).toContain('c');
    const {lastFrame, stdin, dispatch} = renderScreen(HostScreen, state);
    const frame = await waitFor(lastFrame, 'c: copy the daemon.json fragment');
    expect(frame.replace(/\n\s*/g, ' ')).toContain('immutable-OS and Kubernetes-node notes into harden-host/.');
    stdin.write('c');
    await until(() => dispatch.mock.calls.length === 1);
    expect(dispatch).toHaveBeenLastCalledWith({type: 'copyTemplates'});
    const done = host([{type: 'hostChecked', check: {...check, templates}}, {type: 'copyTemplates'}, {type: 'templatesCopied', written: ['harden-host/README.md'], backupId: 'b4'}]);
    expect(hostHints(done).map(h => h.keys)).not.toContain('c');
    cleanup();
    const after = renderScreen(HostScreen, done);
    await waitFor(after.lastFrame, 'Copied harden-host/README.md (backup b4).');
  });

  it('with nothing to add says so, and with no findings says that', async () => {
    const {daemonPatch: _p, daemonBefore: _b, ...clean} = check;
    const {lastFrame} = renderScreen(HostScreen, host([{type: 'hostChecked', check: {...clean, findings: [], errors: []}}]));
    const frame = await waitFor(lastFrame, 'no findings');
    expect(frame).toContain('/etc/docker/daemon.json already sets no-new-privileges and live-restore.');
  });
});
