import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {FindingsScreen} from '../../../source/app/screens/FindingsScreen.js';
import {join} from 'node:path';
import {at, demoScan, keys, readProject, renderScreen, run, scanTexts, waitFor} from '../support.js';

afterEach(cleanup);

const scanned = run([{type: 'scanned', scan: demoScan()}]);
const findings = (ids?: string[]) =>
  at(run([...(ids ? [{type: 'setTargets', ids} as const] : []), {type: 'next'}], scanned), 'findings');

describe('FindingsScreen', () => {
  it('shows each finding with a one-line D09 reason and its fix, cut to 80 columns', async () => {
    const {lastFrame} = renderScreen(FindingsScreen, findings(['compose-service:compose.yaml#web']), {height: 22});
    const frame = await waitFor(lastFrame, '8 findings in 1 target; harden fixes 8');
    expect(frame).toContain('HIGH   Root filesystem is writable compose.yaml › web:3');
    expect(frame).toContain('why: no tampering: nothing can change the binaries or config of a running');
    expect(frame).toContain('fix: set "read_only: true" on service "web"');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('marks findings a person must fix', async () => {
    const {lastFrame} = renderScreen(FindingsScreen, findings(['dockerfile:Dockerfile#Dockerfile']));
    await waitFor(lastFrame, 'fix: (by hand) pin it by digest as node:20@sha256:<digest>');
  });

  it('scrolls the list with j/k and arrows', async () => {
    const {lastFrame, stdin} = renderScreen(FindingsScreen, findings(), {height: 11});
    await waitFor(lastFrame, '› LOW');
    for (let i = 0; i < 7; i++) stdin.write(i % 2 ? keys.down : 'j');
    const frame = await waitFor(lastFrame, /› MEDIUM +Path the app writes has no writable mount \/app\/logs/);
    expect(frame).not.toContain('Image is referenced by tag');
    stdin.write('k');
    await waitFor(lastFrame, /› MEDIUM +Container runs as root compose\.yaml › web/);
  });

  it('? asks for the explanation panel; the panel explains the finding under the cursor', async () => {
    const list = renderScreen(FindingsScreen, findings());
    await waitFor(list.lastFrame, 'why:');
    list.stdin.write('?');
    list.stdin.write(keys.enter);
    expect(list.dispatch.mock.calls.map(c => c[0])).toEqual([{type: 'toggleExplain'}, {type: 'next'}]);
    expect(list.onHelp).not.toHaveBeenCalled();
    list.unmount();

    const panel = renderScreen(FindingsScreen, at(run([{type: 'toggleExplain'}], findings()), 'findings'));
    const frame = await waitFor(panel.lastFrame, 'Why (D09)');
    expect(frame).toContain('1/29 · Dockerfile');
    expect(frame).toContain('Fix: a person fixes this; harden says how.');
    panel.stdin.write('j');
    await waitFor(panel.lastFrame, '2/29 · Dockerfile');
    await waitFor(panel.lastFrame, 'Container runs as root');
  });

  it('scrolls a long explanation with PgDn/PgUp instead of cutting it below the screen', async () => {
    const panel = renderScreen(FindingsScreen, at(run([{type: 'toggleExplain'}], findings()), 'findings'), {height: 12});
    let frame = await waitFor(panel.lastFrame, /↓ \d+ more lines? \(PgDn\)/);
    expect(frame).not.toContain('Fix: ');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(frame.split('\n').length).toBeLessThanOrEqual(12);
    panel.stdin.write(keys.pageDown);
    panel.stdin.write(keys.pageDown);
    panel.stdin.write(keys.pageDown);
    frame = await waitFor(panel.lastFrame, 'Fix: a person fixes this; harden says how.');
    expect(frame).toMatch(/↑ \d+ lines? above \(PgUp\)/);
    panel.stdin.write(keys.pageUp);
    panel.stdin.write(keys.pageUp);
    panel.stdin.write(keys.pageUp);
    await waitFor(panel.lastFrame, /↓ \d+ more lines? \(PgDn\)/);
    // The next finding starts at its top.
    panel.stdin.write(keys.pageDown);
    panel.stdin.write('j');
    frame = await waitFor(panel.lastFrame, '2/29 · Dockerfile');
    expect(frame).toContain('Container runs as root');
  });

  it('shows the holes harden leaves to a person with the trade-off first, and in full in the panel', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'holes', 'ci');
    const state = at(run([{type: 'setTargets', ids: ['compose-service:compose.yaml#runner']}, {type: 'next'}], run([{type: 'scanned', scan: scanTexts(dir, readProject(dir))}])), 'findings');
    const list = renderScreen(FindingsScreen, state, {height: 60});
    const frame = await waitFor(list.lastFrame, 'Container runtime socket is mounted');
    expect(frame).toContain('why: no tampering: the runtime socket starts any container, with the host\'s');
    expect(frame).toContain('fix: (by hand: a CI runner or deploy tool that needs it would break;');
    expect(frame).toContain('why: smaller attack surface: the host\'s processes or network');
    list.unmount();
    const panel = renderScreen(FindingsScreen, at(run([{type: 'toggleExplain'}], state), 'findings'), {height: 60});
    await waitFor(panel.lastFrame, 'Why (D09)');
    // Move down to the socket finding; the panel then shows its whole message, trade-off included.
    for (let i = 0; i < 12 && !(panel.lastFrame() ?? '').includes('(docker-socket)'); i++) {
      panel.stdin.write('j');
      await new Promise(done => setTimeout(done, 30));
    }
    const explained = await waitFor(panel.lastFrame, '(docker-socket)');
    expect(explained.replace(/[\s│]+/g, ' ')).toContain('harden leaves it: a CI runner or deploy tool that needs it would break');
    expect(explained).toContain('Fix: a person fixes this; harden says how.');
  });
});
