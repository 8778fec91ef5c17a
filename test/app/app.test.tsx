import {EventEmitter} from 'node:events';
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/app/app.js';
import {isInteractive, nonInteractiveHint} from '../../source/app/interactive.js';
import {runWizard} from '../../source/app/run-wizard.js';
import {demoScan, fakeServices, hardenedDir, keys, readProject, renderAt, resize, scanTexts, settle, until, waitFor} from './support.js';

afterEach(cleanup);

const services = () => fakeServices({scan: async () => demoScan()});

describe('App', () => {
  it('frames each step: header, the screen, and a footer of the keys that work here', async () => {
    const {lastFrame} = renderAt(<App dir="/p" services={services()} onExit={() => {}} />);
    const frame = await waitFor(lastFrame, '2/11 Targets');
    const lines = frame.split('\n');
    expect(lines[0]).toBe('harden · 2/11 Targets');
    expect(lines.at(-1)).toBe('↑↓/jk move  space select  a all/none  enter findings  ? help  q quit');
    expect(lines.length).toBeLessThanOrEqual(23);
  });

  it('shows a lesson line per step in workshop mode', async () => {
    const {lastFrame, stdin} = renderAt(<App dir="/p" services={services()} lesson onExit={() => {}} />);
    await waitFor(lastFrame, '✎ Harden what you ship');
    stdin.write(keys.enter);
    await waitFor(lastFrame, '✎ Each finding is a way a running container can change');
  });

  it('? opens the help panel, which takes the keys until esc closes it', async () => {
    const {lastFrame, stdin} = renderAt(<App dir="/p" services={services()} onExit={() => {}} />);
    await waitFor(lastFrame, '2/11 Targets');
    stdin.write('?');
    const help = await waitFor(lastFrame, 'On this screen');
    expect(help).toContain('back one step; nothing you chose is lost');
    expect(help).toContain('esc/? close help');
    stdin.write(' ');
    stdin.write(keys.escape);
    const back = await waitFor(lastFrame, '4 selected');
    expect(back).toContain('[x] Dockerfile');
  });

  it('reflows when the terminal is resized', async () => {
    const {lastFrame, stdout} = renderAt(<App dir="/p" services={services()} onExit={() => {}} />);
    await waitFor(lastFrame, '2/11 Targets');
    resize(stdout, 60, 20);
    // Nothing is laid out in the last column (only a cut's '…' or a border may reach it).
    const narrow = await waitFor(lastFrame, /\n↑↓\/jk move  space select  a all\/none  enter findings\n\? help  q quit$/);
    for (const line of narrow.split('\n')) expect(line.length).toBeLessThanOrEqual(59);
    resize(stdout, 120, 30);
    await waitFor(lastFrame, /\n↑↓\/jk move  space select  a all\/none  enter findings  \? help  q quit$/);
  });
});

/** Streams that claim to be a terminal, as the wizard needs. */
function terminal() {
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    data: null as string | null,
    setEncoding() {},
    setRawMode() {},
    ref() {},
    unref() {},
    resume() {},
    pause() {},
    read(): string | null {
      const data = stdin.data;
      stdin.data = null;
      return data;
    },
  });
  const send = (data: string) => {
    stdin.data = data;
    stdin.emit('readable');
  };
  const written: string[] = [];
  const stdout = Object.assign(new EventEmitter(), {isTTY: true, columns: 80, rows: 24, write: (s: string) => written.push(s) > 0});
  return {stdin: Object.assign(stdin, {send}), stdout, written};
}

describe('runWizard', () => {
  it('needs a terminal: elsewhere it prints one line and returns 2', async () => {
    let err = '';
    const stderr = {write: (s: string) => ((err += s), true)};
    const code = await runWizard({dir: '/p', services: services(), stdin: {isTTY: false} as never, stdout: {isTTY: true} as never, stderr: stderr as never});
    expect(code).toBe(2);
    expect(err).toBe(`${nonInteractiveHint}\n`);
    expect(nonInteractiveHint).toBe('harden: the wizard needs a terminal; use "harden audit" and "harden fix" in scripts');
    expect(isInteractive({isTTY: true}, {isTTY: undefined})).toBe(false);
    expect(isInteractive({isTTY: true}, {isTTY: true})).toBe(true);
  });

  it('resolves with 130 when the person quits', async () => {
    const {stdin, stdout} = terminal();
    let scanned = false;
    const scanning = fakeServices({scan: async () => ((scanned = true), demoScan())});
    const result = runWizard({dir: '/p', services: scanning, stdin: stdin as never, stdout: stdout as never, stderr: stdout as never});
    await until(() => scanned);
    await settle();
    stdin.send('q');
    expect(await result).toBe(130);
  });

  it('resolves with 0 when the person finishes', async () => {
    const {stdin, stdout} = terminal();
    const scan = scanTexts('/p', readProject(hardenedDir));
    // The services mark where the wizard is: with CI set Ink draws only the last frame, so frames cannot.
    const called = {scan: false, plan: false, host: false, saved: false};
    const finishing = fakeServices({
      scan: async () => ((called.scan = true), scan),
      plan: () => ((called.plan = true), {tool: {name: 'harden-wizard', version: 't'}, cwd: '/p', targets: [], files: [], errors: []}),
      saveReport: async () => ((called.saved = true), ['harden-report.md']),
      checkHost: async () => ((called.host = true), {findings: [], errors: [], notes: []}),
    });
    const result = runWizard({dir: '/p', services: finishing, lesson: true, stdin: stdin as never, stdout: stdout as never, stderr: stdout as never});
    const press = async (key: string) => {
      await settle();
      stdin.send(key);
    };
    // A hardened project: choose its Dockerfile, see no findings, nothing to change, nothing beyond, the host, the summary.
    await until(() => called.scan, 10_000);
    for (const key of [' ', keys.enter, keys.enter]) await press(key);
    await until(() => called.plan, 10_000);
    for (const key of [keys.enter, keys.enter]) await press(key);
    await until(() => called.host, 10_000);
    await press(keys.enter);
    await until(() => called.saved, 10_000);
    await press(keys.enter);
    expect(await result).toBe(0);
  });
});
