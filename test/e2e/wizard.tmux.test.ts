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

const bin = resolve('bin/harden.js');
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
    await waitFor('Targets', 120_000);
    // Running containers of the machine are listed too, unselected: only the demo's 4 targets are chosen.
    expect(screen()).toMatch(/\d+ targets found; 4 selected to harden/);
    keys('Enter');
    await waitFor('Findings');
    keys('Enter');
    await waitFor('Writable paths');
    keys('Enter');
    await waitFor('Dockerfile');
    const engine = await dockerAvailable();
    if (engine) {
      // Step 5 proves the rewrite as it runs: the build's lines, then the verdict and both answers.
      await waitFor('Proving the rewrite by running it', 60_000);
      const proven = await waitFor('✓ proven by running', 240_000);
      expect(proven).toMatch(/original: GET \/ → 200 .* rewrite: GET \/ → 200/);
      for (const line of proven.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    }
    keys('Enter');
    await waitFor('Review');
    keys('Enter');
    await waitFor('Wrote 4 files');
    keys('Enter');
    if (engine) {
      await waitFor(/compose\.yaml › web: \d+ checks passed/, 240_000);
      await waitFor('enter beyond read-only', 240_000);
      keys('Enter');
    }
    // Step 9: Falco rules and GitHub signing, previewed, then written.
    await waitFor('[ ] Falco drift rules', 60_000);
    keys('j');
    keys('Space');
    await waitFor('[x] Falco drift rules');
    keys('j');
    keys('Space');
    await waitFor('[x] Signing: GitHub Actions');
    keys('Enter');
    await waitFor(/File 1\/\d+: /, 60_000);
    keys('Enter');
    await waitFor('Undo: harden undo restores backup', 60_000);
    keys('Enter');
    // Step 10: the host's findings, then the daemon.json diff, written on y.
    await waitFor('The host under the containers', 60_000);
    keys('d');
    await waitFor('+  "no-new-privileges": true');
    expect(await readFile(daemonJson, 'utf8')).toBe('{\n  "log-level": "warn"\n}\n');
    keys('y');
    await waitFor(/Wrote .*daemon\.json/, 60_000);
    expect(JSON.parse(await readFile(daemonJson, 'utf8'))).toEqual({'log-level': 'warn', 'no-new-privileges': true, 'live-restore': true});
    keys('Enter');
    await waitFor('Summary', 60_000);
    // The report is saved while the summary shows; its line appears once it is on disk.
    const summary = await waitFor(/Saved .*harden-report\.md/, 60_000);
    expect(summary).toContain('compose.yaml › web: read-only root');
    if (engine) expect(summary).toMatch(/✓ compose\.yaml:web/);
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
    keys('q');
    const deadline = Date.now() + 10_000;
    while (!paneDead() && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
    expect(paneDead()).toBe(true);
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
