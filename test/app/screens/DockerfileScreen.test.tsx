import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {DockerfileScreen} from '../../../source/app/screens/DockerfileScreen.js';
import type {ScreenProps} from '../../../source/app/screens/screen.js';
import type {DockerfileChoice, DockerfileState, WizardAction} from '../../../source/app/wizard/state.js';
import type {ProofOutcome} from '../../../source/core/plan/options.js';
import {at, demoScan, keys, renderScreen, run, until, waitFor, withPlan} from '../support.js';

afterEach(cleanup);

const notRun: ProofOutcome = {notRun: 'no engine in this test'};
const toStep5 = (outcome: ProofOutcome = notRun, choice?: DockerfileChoice): WizardAction[] => [
  {type: 'scanned', scan: demoScan()}, {type: 'next'}, {type: 'next'}, {type: 'next'},
  {type: 'proved', outcome},
  ...(choice ? [{type: 'chooseDockerfile', choice} as const, {type: 'proved', outcome} as const] : []),
];
const dockerfile = (choice?: DockerfileChoice, outcome?: ProofOutcome) => withPlan(at(run(toStep5(outcome, choice)), 'dockerfile'));
const detail = 'GET / on port 3000 answered 200 with the same body as the original, also read-only; 123.0 MB instead of 299.8 MB';
const answers = {original: 'GET / → 200 "harden-demo"', rewrite: 'GET / → 200 "harden-demo"'};
const withBases = (bases: string[]) => (props: ScreenProps<DockerfileState>) => <DockerfileScreen {...props} bases={bases} />;

describe('DockerfileScreen', () => {
  it('shows the proposed rewrite: runtime base and user', async () => {
    const {lastFrame} = renderScreen(withBases([]), dockerfile());
    const frame = await waitFor(lastFrame, 'runtime stage FROM node:20-slim, USER 1000:1000');
    expect(frame).toContain('› (•) Multi-stage, runtime base from the template table (proposed)');
    expect(frame).toContain('( ) Keep single-stage (build tools stay in the image)');
    expect(frame).toContain('No other runtime bases are known for this project.');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('offers the bases the services know; space previews one, enter chooses and goes on', async () => {
    const {lastFrame, stdin, dispatch} = renderScreen(withBases(['node:20-alpine', 'gcr.io/distroless/nodejs20-debian12']), dockerfile());
    await waitFor(lastFrame, 'Multi-stage, runtime base node:20-alpine');
    stdin.write('j');
    stdin.write(' ');
    stdin.write(keys.down);
    stdin.write(keys.down);
    stdin.write(keys.enter);
    await until(() => dispatch.mock.calls.length === 4);
    expect(dispatch.mock.calls.map(c => c[0])).toEqual([
      {type: 'chooseDockerfile', choice: {kind: 'base', image: 'node:20-alpine'}},
      {type: 'togglePreview'},
      {type: 'chooseDockerfile', choice: {kind: 'single-stage'}},
      {type: 'next'},
    ]);
  });

  it('space shows the rewritten Dockerfile as a diff; space closes it', async () => {
    const state = at(run([{type: 'togglePreview'}], dockerfile()), 'dockerfile');
    const {lastFrame, stdin, dispatch} = renderScreen(withBases([]), state);
    const frame = await waitFor(lastFrame, 'Preview of Multi-stage, runtime base from the template table (proposed)');
    expect(frame).toContain('File 1/1: Dockerfile');
    expect(frame).toContain('+FROM node:20 AS builder');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    stdin.write(keys.pageDown);
    await waitFor(lastFrame, '+FROM node:20-slim');
    stdin.write(' ');
    await until(() => dispatch.mock.calls.length === 1);
    expect(dispatch.mock.calls.map(c => c[0])).toEqual([{type: 'togglePreview'}]);
  });

  it('shows the whole reason in a pane that scrolls with PgDn, with what is below', async () => {
    const {lastFrame, stdin} = renderScreen(withBases([]), dockerfile(), {height: 9});
    const frame = await waitFor(lastFrame, /↓ \d+ more lines? \(PgDn\)/);
    expect(frame).not.toContain('add any other file the app reads at run time');
    stdin.write(keys.pageDown);
    stdin.write(keys.pageDown);
    await waitFor(lastFrame, 'add any other file the app reads at run time');
  });

  it('shows the chosen base, or that the file stays single-stage', async () => {
    const other = renderScreen(withBases(['node:20-bookworm-slim']), dockerfile({kind: 'base', image: 'node:20-bookworm-slim'}));
    await waitFor(other.lastFrame, 'FROM node:20-bookworm-slim');
    await waitFor(other.lastFrame, '› (•) Multi-stage, runtime base node:20-bookworm-slim');
    other.unmount();
    const single = renderScreen(withBases([]), dockerfile({kind: 'single-stage'}));
    await waitFor(single.lastFrame, 'stays single-stage: compilers and sources ship in the image that runs');
  });

  it('proves on arrival when an engine answers: a spinner and the last lines of the build, enter goes on without it', async () => {
    const arriving = at(run([{type: 'scanned', scan: demoScan()}, {type: 'next'}, {type: 'next'}, {type: 'next'}]), 'dockerfile');
    expect(arriving.proving).toEqual({lines: []});
    const state = at(run(Array.from({length: 12}, (_, i) => ({type: 'progress', line: `Dockerfile: Step ${i + 1}/12 : RUN something`}) as const), arriving), 'dockerfile');
    const {lastFrame, stdin, dispatch} = renderScreen(withBases([]), state);
    const frame = await waitFor(lastFrame, 'Proving the rewrite by running it');
    expect(frame).toContain('Step 12/12');
    expect(frame).not.toContain('Step 4/12');
    expect(frame).not.toContain('Keep single-stage');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    stdin.write('j');
    stdin.write(keys.enter);
    await until(() => dispatch.mock.calls.length === 1);
    expect(dispatch.mock.calls.map(c => c[0])).toEqual([{type: 'next'}]);
  });

  it('shows a proven rewrite with what the original and the rewrite answered, side by side', async () => {
    const proven: ProofOutcome = {proofs: new Map([['Dockerfile', {kind: 'proven', candidate: 0, detail, answers}]])};
    const {lastFrame} = renderScreen(withBases([]), dockerfile(undefined, proven));
    const frame = await waitFor(lastFrame, '✓ proven by running: GET / on port 3000 answered 200');
    expect(frame).toMatch(/original: GET \/ → 200 "harden-demo" +rewrite: GET \/ → 200 "harden-demo"/);
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('shows a rewrite that failed its proof as not written, with the failing check and both answers', async () => {
    const reason = 'its proof by running failed: minimal: same as the original (as built): it exited with code 3 before it answered on port 3000: needs g++';
    const refused: ProofOutcome = {proofs: new Map([['Dockerfile', {kind: 'refused', reason, answers: {original: 'GET / → 200 "harden-demo"', rewrite: 'failed: needs g++'}}]])};
    const {lastFrame} = renderScreen(withBases([]), dockerfile(undefined, refused));
    const frame = await waitFor(lastFrame, '✗ not written: its proof by running failed');
    expect(frame).toMatch(/original: GET \/ → 200 "harden-demo" +rewrite: failed: needs g\+\+/);
  });

  it('says "not run" and why when no proof ran', async () => {
    const {lastFrame} = renderScreen(withBases([]), dockerfile());
    await waitFor(lastFrame, 'not run: no engine in this test');
  });

  it('proves again when another runtime base is chosen', () => {
    const state = at(run([...toStep5(), {type: 'chooseDockerfile', choice: {kind: 'base', image: 'node:20-alpine'}}]), 'dockerfile');
    expect(state.proving).toEqual({lines: []});
    const single = at(run([...toStep5(), {type: 'chooseDockerfile', choice: {kind: 'single-stage'}}]), 'dockerfile');
    expect(single.proving).toBeUndefined();
  });
});
