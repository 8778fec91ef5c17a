import {execFileSync} from 'node:child_process';
import {cp, mkdir, mkdtemp, readdir} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {hasProgram} from '../support/programs.js';
import {packageVersion, root, run} from './harness.js';

/*
 * The package as a user gets it: `npm pack`, then `npm install` of the tarball into an empty
 * directory with production dependencies only (what `npx harden-wizard` installs), then the
 * installed `harden` audits, previews a fix, loads the engine layer and draws the wizard. The
 * other package test reads what would ship; this one proves that what ships runs without the
 * repository's devDependencies around it.
 */

let app: string;
let harden: string;
let demo: string;

beforeAll(async () => {
  const dist = await readdir(join(root, 'dist')).catch((): string[] => []);
  if (!dist.includes('cli.js')) throw new Error('dist/cli.js is missing: run npm run build first (npm test does)');
  const scratch = await mkdtemp(join(tmpdir(), 'harden-installed-'));
  const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], {cwd: root});
  if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const [{filename}] = JSON.parse(packed.stdout) as [{filename: string}];
  app = join(scratch, 'app');
  await mkdir(app);
  const started = Date.now();
  // --ignore-scripts: ssh2's optional native addons would compile for a minute; it falls back to JavaScript.
  const installed = await run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', app, join(scratch, filename)], {cwd: scratch, timeoutMs: 300_000});
  if (installed.code !== 0) throw new Error(`npm install of the packed tarball failed: ${installed.stderr.split('\n').slice(-5).join(' ')}`);
  console.info(`installed package: npm install took ${Math.round((Date.now() - started) / 1000)} s, ${(await readdir(join(app, 'node_modules'))).length} top-level packages`);
  harden = join(app, 'node_modules', '.bin', 'harden');
  demo = join(scratch, 'demo');
  await cp(join(root, 'templates', 'demo'), demo, {recursive: true});
}, 320_000);

describe('the installed package', () => {
  it('answers --version and audits like the repository build, to the byte', async () => {
    expect((await run(harden, ['--version'])).stdout).toBe(`${await packageVersion()}\n`);
    const installed = await run(harden, ['audit', '--format', 'json', '--fail-on', 'none', '.'], {cwd: demo});
    const local = await run('node', [join(root, 'bin', 'harden.js'), 'audit', '--format', 'json', '--fail-on', 'none', '.'], {cwd: demo});
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toBe(local.stdout);
    expect((JSON.parse(installed.stdout) as {findings: unknown[]}).findings.length).toBeGreaterThan(10);
  });

  it('previews the fix (diff library, Dockerfile rewrite) and runs the demo without a terminal', async () => {
    const fix = await run(harden, ['fix', '--no-run', '--falco'], {cwd: demo, env: {...process.env, NO_COLOR: '1'}});
    expect(fix.code, fix.stderr).toBe(0);
    expect(fix.stdout).toContain('+FROM node:20 AS builder');
    const dir = join(await mkdtemp(join(tmpdir(), 'harden-installed-demo-')), 'demo');
    const shown = await run(harden, ['demo', dir], {env: {...process.env, NO_COLOR: '1'}});
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('read-only-rootfs');
  });

  it('loads the engine layer: a missing image is a one-line error, not a missing module', async () => {
    const result = await run(harden, ['paths', 'harden-no-such-image:none']);
    expect(result.stderr).not.toMatch(/internal error|Cannot find (module|package)/);
    // 2: the engine says there is no such image; 3: no engine answers here.
    expect([2, 3]).toContain(result.code);
  });

  it.skipIf(!hasProgram('tmux', ['-V']))('draws the wizard in a terminal', async () => {
    const session = `harden-installed-${process.pid}`;
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '80', '-y', '24', '-e', 'NO_COLOR=1', harden, demo]);
    try {
      const deadline = Date.now() + 60_000;
      let screen = '';
      while (Date.now() < deadline && !screen.includes('Targets')) {
        await new Promise(r => setTimeout(r, 200));
        screen = execFileSync('tmux', ['capture-pane', '-p', '-t', session], {encoding: 'utf8'});
      }
      expect(screen).toContain('2/11 Targets');
    } finally {
      execFileSync('tmux', ['kill-session', '-t', session]);
    }
  }, 70_000);
});
