import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {ExtrasScreen, extrasHints} from '../../../source/app/screens/ExtrasScreen.js';
import type {ExtrasState, WizardAction} from '../../../source/app/wizard/state.js';
import type {FilePatch} from '../../../source/core/model/plan.js';
import {at, demoScan, keys, renderScreen, run, until, waitFor, withPlan} from '../support.js';

afterEach(cleanup);

/** Step 9 of the demo, reached in static mode (no verification round), after the actions. */
const extras = (actions: WizardAction[] = []): ExtrasState => {
  const review = withPlan(at(run([{type: 'scanned', scan: demoScan({engineProblem: 'no engine'})}, {type: 'next'}, {type: 'next'}, {type: 'next'}, {type: 'next'}]), 'review'));
  return at(run([{type: 'next'}, {type: 'applied', written: ['compose.yaml'], backupId: 'b1'}, {type: 'next'}, ...actions], review), 'extras');
};

const rules: FilePatch = {file: 'falco/harden-drift-rules.yaml', bom: false, text: '- list: harden_web_writable\n  items: [/tmp]\n', created: true};
const compose: FilePatch = {file: 'compose.yaml', sha256: 'a'.repeat(64), bom: false, text: 'services:\n  cache:\n    image: redis:7@sha256:' + 'b'.repeat(64) + '\n', created: false};
const made = (files: FilePatch[], notes: string[] = []): WizardAction => ({
  type: 'extrasPlanned',
  made: {plan: {tool: {name: 'harden-wizard', version: 't'}, cwd: '/p', targets: [], files, errors: []}, before: {'compose.yaml': 'services:\n  cache:\n    image: redis:7\n'}, notes},
});

describe('ExtrasScreen', () => {
  it('lists the four outputs, off, within 80 columns; space switches the one under the cursor', async () => {
    const {lastFrame, stdin, dispatch} = renderScreen(ExtrasScreen, extras());
    const frame = await waitFor(lastFrame, '[ ] Pin image digests');
    expect(frame).toContain('[ ] Falco drift rules');
    expect(frame).toContain('[ ] Signing: off');
    expect(frame).toContain('no running container was found');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    stdin.write(' ');
    await until(() => dispatch.mock.calls.length === 1);
    expect(dispatch).toHaveBeenLastCalledWith({type: 'toggleExtra', extra: 'pin'});
    stdin.write('j');
    stdin.write('j');
    stdin.write(' ');
    await until(() => dispatch.mock.calls.length === 2);
    expect(dispatch).toHaveBeenLastCalledWith({type: 'cycleSigning'});
    stdin.write(keys.enter);
    await until(() => dispatch.mock.calls.length === 3);
    expect(dispatch).toHaveBeenLastCalledWith({type: 'next'});
  });

  it('shows the chosen state and says what enter does', async () => {
    const state = extras([{type: 'toggleExtra', extra: 'falco'}, {type: 'cycleSigning'}]);
    const {lastFrame} = renderScreen(ExtrasScreen, state);
    const frame = await waitFor(lastFrame, '[x] Falco drift rules');
    expect(frame).toContain('[x] Signing: GitHub Actions');
    expect(extrasHints(state).find(h => h.keys === 'enter')?.label).toBe('make them');
    expect(extrasHints(extras()).find(h => h.keys === 'enter')?.label).toBe('skip to the host');
  });

  it('previews each file as a diff with its notes; y/n decide, enter writes', async () => {
    const state = extras([{type: 'toggleExtra', extra: 'pin'}, {type: 'next'}, made([compose, rules], ['k8s/deployment.yaml:20: example/web:1 not pinned: built here, it has no registry digest'])]);
    const {lastFrame, stdin, dispatch} = renderScreen(ExtrasScreen, state);
    const frame = await waitFor(lastFrame, 'File 1/2: compose.yaml · accepted');
    expect(frame).toContain('-    image: redis:7');
    expect(frame).toContain('+    image: redis:7@sha256:bbbb');
    expect(frame).toContain('example/web:1 not pinned');
    expect(extrasHints(state).find(h => h.keys === 'enter')?.label).toBe('write 2 files');
    stdin.write('n');
    await until(() => dispatch.mock.calls.length === 1);
    expect(dispatch).toHaveBeenLastCalledWith({type: 'setFile', file: 'compose.yaml', accepted: false});
    await waitFor(lastFrame, 'File 2/2: falco/harden-drift-rules.yaml (new file)');
    stdin.write(keys.enter);
    await until(() => dispatch.mock.calls.length === 2);
    expect(dispatch).toHaveBeenLastCalledWith({type: 'next'});
  });

  it('says so when there is nothing to write', async () => {
    const {lastFrame} = renderScreen(ExtrasScreen, extras([{type: 'toggleExtra', extra: 'pin'}, {type: 'next'}, made([], ['redis:7 not pinned: the engine has no digest for it'])]));
    const frame = await waitFor(lastFrame, 'Nothing to write.');
    expect(frame).toContain('redis:7 not pinned');
  });

  it('after the write: what was written and the backup to undo', async () => {
    const state = extras([{type: 'toggleExtra', extra: 'falco'}, {type: 'next'}, made([rules]), {type: 'next'}, {type: 'extrasApplied', written: [rules.file], backupId: 'b2'}]);
    const {lastFrame} = renderScreen(ExtrasScreen, state);
    const frame = await waitFor(lastFrame, 'Wrote falco/harden-drift-rules.yaml.');
    expect(frame).toContain('Undo: harden undo restores backup b2.');
  });
});
