import {execFileSync} from 'node:child_process';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {docker, dockerAvailable} from '../support/docker.js';
import {hasProgram} from '../support/programs.js';

/*
 * The built CLI in a real terminal: tmux runs `harden demo` in an 80x24 pane, the test
 * types with send-keys and reads the screen with capture-pane, as a person would.
 */

// HARDEN_TEST_BIN runs another build (an old one, to see a test fail before a change).
const bin = resolve(process.env['HARDEN_TEST_BIN'] ?? 'bin/harden.js');
const hasTmux = hasProgram('tmux', ['-V']);
if (!hasTmux && process.env['CI']) throw new Error('tmux is required in CI (apt-get install tmux)');
if (!hasTmux) console.warn('wizard end-to-end tests skipped: tmux not found (apt-get install tmux)');

const session = `harden-e2e-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, {encoding: 'utf8'});
const screen = () => tmux('capture-pane', '-p', '-t', session);
const keys = (...k: string[]) => tmux('send-keys', '-t', session, ...k);

async function waitFor(text: string | RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = screen();
    if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${String(text)}; the screen shows:\n${last}`);
}

/*
 * A silent cut: the wizard lays out nothing in the pane's last column (its screens are one
 * column narrower than the terminal), so a line that reaches column 80 was clipped at the
 * frame's edge, unless it ends with '…' (a cut that says so) or a border of a panel. Widths
 * are counted in code points: every character the wizard draws is one column wide.
 */
const borders = '…│╮╯╭╰─';
function silentCuts(pane: string, columns = 80): string[] {
  return pane.split('\n').filter(line => [...line].length >= columns && !borders.includes([...line].at(-1)!));
}

/** Screens seen on the walk with the lines cut without a mark, to report them all at once. */
const cutsSeen: string[] = [];
function checkCuts(where: string, pane = screen()): void {
  for (const line of silentCuts(pane)) {
    cutsSeen.push(`${where}: ${line}`);
    console.error(`cut without an ellipsis on ${where}: ${line}`);
  }
}

/** Waits for a screen and checks it for silent cuts. */
async function see(text: string | RegExp, timeoutMs?: number): Promise<string> {
  const pane = await waitFor(text, timeoutMs);
  checkCuts(String(text), pane);
  return pane;
}

/** Pages through a pane with PgDn until `end` shows, checking every page for silent cuts. */
async function pageTo(end: string | RegExp, where: string, pages = 12): Promise<string> {
  for (let i = 0; i < pages; i++) {
    const pane = screen();
    const joined = pane.replace(/\n\s*/g, ' ');
    checkCuts(`${where}, page ${i + 1}`, pane);
    if (typeof end === 'string' ? joined.includes(end) : end.test(joined)) return pane;
    keys('PageDown');
    await new Promise(r => setTimeout(r, 400));
  }
  throw new Error(`paged ${pages} times on ${where} and never saw ${String(end)}; the screen shows:\n${screen()}`);
}

function start(dir: string, ...extra: string[]): number {
  // The command is the pane's process (no shell), so pane_pid is harden's pid and its labels say so.
  tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', '-e', 'NO_COLOR=1', 'node', bin, 'demo', dir, ...extra);
  tmux('set-option', '-t', session, 'remain-on-exit', 'on');
  return Number(tmux('display-message', '-p', '-t', session, '#{pane_pid}').trim());
}

function paneDead(): boolean {
  return tmux('display-message', '-p', '-t', session, '#{pane_dead}').trim() === '1';
}

describe.skipIf(!hasTmux)('the wizard in a real terminal', () => {
  afterEach(() => {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // already gone
    }
  });

  it('walks the demo from the audit to the summary and writes the hardened files', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'harden-e2e-'));
    const dir = join(scratch, 'demo');
    // The host step offers to change this daemon.json, never the machine's own.
    const daemonJson = join(scratch, 'daemon.json');
    await writeFile(daemonJson, '{\n  "log-level": "warn"\n}\n');
    start(dir, '--daemon-config', daemonJson);
    // The scan also reads the engine's containers; under a loaded CI machine that takes a while.
    await see('Targets', 120_000);
    // Running containers of the machine are listed too, unselected: only the demo's 4 targets are chosen.
    expect(screen()).toMatch(/\d+ targets found; 4 selected to harden/);
    // Two keys in one write, as when typed fast or pasted: both move the cursor.
    keys('jj');
    await see('› [x] compose.yaml › cache');
    keys('Enter');
    await see('Findings');
    keys('?');
    await see('Why (D09)');
    keys('Escape');
    // A lone escape followed at once by enter would read as alt-enter: wait for the list.
    await see('? explain');
    keys('Enter');
    await see('Writable paths');
    keys('Enter');
    await see('Dockerfile');
    const engine = await dockerAvailable();
    if (engine) {
      // Step 5 proves the rewrite as it runs: the build's lines, then the verdict and both answers.
      await waitFor('Proving the rewrite by running it', 60_000);
      const proven = await see('✓ proven by running', 240_000);
      expect(proven).toMatch(/original: GET \/ → 200 .* rewrite: GET \/ → 200/);
      for (const line of proven.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    } else await see('runtime stage FROM');
    // The whole reason shows, its caveat too, paging down if it is longer than its pane.
    await pageTo('add any other file the app reads at run time', 'step 5');
    // Space previews the rewritten Dockerfile as a diff; space again goes back to the choices.
    keys('Space');
    await see('+FROM node:20 AS builder');
    keys('Space');
    await see('Multi-stage, runtime base from the template table');
    keys('Enter');
    await see('Review');
    // Every file of the review, through the tab bar that shows the current one.
    for (let i = 2; i <= 4; i++) {
      keys('Right');
      await see(`File ${i}/4: `);
    }
    keys('Enter');
    await see('Wrote 4 files');
    keys('Enter');
    if (engine) {
      await see(/compose\.yaml › web: \d+ checks passed/, 240_000);
      await see('enter beyond read-only', 240_000);
      keys('Enter');
    }
    // Step 9: Falco rules and GitHub signing, previewed, then written.
    await see('[ ] Falco drift rules', 60_000);
    keys('j', 'Space');
    await see('[x] Falco drift rules');
    keys('j', 'Space');
    await see('[x] Signing: GitHub Actions');
    keys('Enter');
    await see(/File 1\/\d+: /, 60_000);
    for (let i = 2; i <= 7; i++) {
      keys('Right');
      await see(`File ${i}/7: `);
    }
    keys('Enter');
    await see('Undo: harden undo restores backup', 60_000);
    keys('Enter');
    // Step 10: the host's findings, each text in full (paged), the host notes copied, then the daemon.json diff, written on y.
    await see('The host under the containers', 60_000);
    await pageTo('no-new-privileges=false', 'step 10');
    keys('d');
    await see('+  "no-new-privileges": true');
    expect(await readFile(daemonJson, 'utf8')).toBe('{\n  "log-level": "warn"\n}\n');
    keys('y');
    await see(/Wrote .*daemon\.json/, 60_000);
    expect(JSON.parse(await readFile(daemonJson, 'utf8'))).toEqual({'log-level': 'warn', 'no-new-privileges': true, 'live-restore': true});
    // The host notes last, so the first undo is the one that removes their harden-host/ copy.
    keys('c');
    await see(/Copied harden-host\/README\.md/, 60_000);
    keys('Enter');
    await see('Summary', 60_000);
    // The report is saved while the summary shows; its line appears once it is on disk.
    const summary = await see(/Saved .*harden-report\.md/, 60_000);
    expect(summary).toContain('compose.yaml › web: read-only root');
    // The verification results are below what changed: page to them.
    if (engine) await pageTo(/✓ compose\.yaml:web/, 'the summary', 20);
    const compose = await readFile(join(dir, 'compose.yaml'), 'utf8');
    expect(compose).toContain('read_only: true');
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toContain('FROM node:20 AS builder');
    expect(await readFile(join(dir, 'k8s/deployment.yaml'), 'utf8')).toContain('readOnlyRootFilesystem: true');
    const report = await readFile(join(dir, 'harden-report.md'), 'utf8');
    expect(report).toContain('## What harden changed');
    expect(report).toContain('## Multi-stage rewrites');
    expect(report).toMatch(engine ? /`Dockerfile`: runtime stage FROM node:20-slim, USER \S+; proven by running: GET \/ answered 200/ : /`Dockerfile`: .*; not run: /);
    expect(report).toContain('## Beyond read-only');
    expect(report).toContain('## The host');
    expect(await readFile(join(dir, 'falco/harden-drift-rules.yaml'), 'utf8')).toContain('fd.name');
    // The summary to its end: every backup, newest first, the harden-host/ copy first of all.
    await pageTo('removes the harden-host/ copy of the host notes', 'the summary', 20);
    keys('q');
    const deadline = Date.now() + 10_000;
    while (!paneDead() && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
    expect(paneDead()).toBe(true);
    // What the terminal keeps once the wizard is gone: a plain summary, not 'Bye.'.
    const left = tmux('capture-pane', '-p', '-t', session, '-S', '-60');
    checkCuts('the terminal after quitting', left);
    const joined = left.replace(/\n\s*/g, ' ');
    expect(left).toContain('harden: what changed');
    expect(joined).toContain('Hardened: Dockerfile, compose.yaml, k8s/deployment.yaml');
    if (engine) expect(left).toMatch(/✓ compose\.yaml.web: passed/);
    expect(joined).toMatch(/Report: \S*harden-report\.md/);
    expect(joined).toContain('the first removes the harden-host/ copy of the host notes');
    expect(joined).toMatch(/1\. \S+: removes the harden-host\/ copy/);
    expect(joined).toMatch(/\d\. \S+: puts back \S*daemon\.json/);
    expect(cutsSeen).toEqual([]);
    await rm(scratch, {recursive: true, force: true});
  }, 400_000);

  it('leaves no container, volume or image behind when Ctrl-C comes during verification', async () => {
    if (!(await dockerAvailable())) {
      if (process.env['CI']) throw new Error('the Ctrl-C test needs the engine in CI');
      return;
    }
    const dir = join(await mkdtemp(join(tmpdir(), 'harden-e2e-')), 'demo');
    const pid = start(dir);
    for (const step of ['Targets', 'Findings', 'Writable paths', 'Dockerfile', 'Review']) {
      await waitFor(step, 120_000);
      // Step 5's proof by running cleans up after itself; wait for its verdict, as a reader would.
      if (step === 'Dockerfile') await waitFor('proven by running', 240_000);
      keys('Enter');
    }
    await waitFor('Wrote 4 files');
    keys('Enter');
    await waitFor(/Verify/);
    // Wait until something of ours exists on the engine, then interrupt.
    const mine = async () => {
      const filters = JSON.stringify({label: ['harden-wizard.managed=true']});
      const session = (labels?: Record<string, string>) => (labels?.['harden-wizard.session'] ?? '').startsWith(`${pid}-`);
      const client = docker();
      return [
        ...(await client.listContainers({all: true, filters})).filter(c => session(c.Labels)).map(c => `container ${c.Id}`),
        ...((await client.listVolumes({filters})).Volumes ?? []).filter(v => session(v.Labels)).map(v => `volume ${v.Name}`),
        ...(await client.listImages({filters})).filter(i => session(i.Labels)).map(i => `image ${i.Id}`),
      ];
    };
    const deadline = Date.now() + 120_000;
    while ((await mine()).length === 0 && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
    expect((await mine()).length).toBeGreaterThan(0);
    keys('C-c');
    const exitDeadline = Date.now() + 60_000;
    while (!paneDead() && Date.now() < exitDeadline) await new Promise(r => setTimeout(r, 200));
    expect(paneDead()).toBe(true);
    const left = await mine();
    if (left.length > 0) console.error(`left after Ctrl-C:\n${left.join('\n')}\nscreen:\n${screen()}`);
    expect(left).toEqual([]);
    await rm(dir, {recursive: true, force: true});
  }, 400_000);
});
