import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {DockerfileScreen} from '../../../source/app/screens/DockerfileScreen.js';
import type {ScreenProps} from '../../../source/app/screens/screen.js';
import type {DockerfileChoice, DockerfileState} from '../../../source/app/wizard/state.js';
import {at, demoScan, keys, renderScreen, run, until, waitFor, withPlan} from '../support.js';

afterEach(cleanup);

const dockerfile = (choice?: DockerfileChoice) =>
  withPlan(at(run([{type: 'scanned', scan: demoScan()}, {type: 'next'}, {type: 'next'}, {type: 'next'}, ...(choice ? [{type: 'chooseDockerfile', choice} as const] : [])]), 'dockerfile'));
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
    await until(() => dispatch.mock.calls.length === 3);
    expect(dispatch.mock.calls.map(c => c[0])).toEqual([
      {type: 'chooseDockerfile', choice: {kind: 'base', image: 'node:20-alpine'}},
      {type: 'chooseDockerfile', choice: {kind: 'single-stage'}},
      {type: 'next'},
    ]);
  });

  it('shows the chosen base, or that the file stays single-stage', async () => {
    const other = renderScreen(withBases(['node:20-bookworm-slim']), dockerfile({kind: 'base', image: 'node:20-bookworm-slim'}));
    await waitFor(other.lastFrame, 'FROM node:20-bookworm-slim');
    await waitFor(other.lastFrame, '› (•) Multi-stage, runtime base node:20-bookworm-slim');
    other.unmount();
    const single = renderScreen(withBases([]), dockerfile({kind: 'single-stage'}));
    await waitFor(single.lastFrame, 'stays single-stage: compilers and sources ship in the image that runs');
  });
});
