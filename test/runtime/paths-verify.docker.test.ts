import {execFile, spawn} from 'node:child_process';
import {resolve} from 'node:path';
import {promisify} from 'node:util';
import {beforeAll, expect, it} from 'vitest';
import type {PathsResult, VerifyResult} from '../../source/core/model/runtime.js';
import {describeDocker, docker, ensureBaseImages} from '../support/docker.js';
import {copyFixture} from '../support/tree.js';

const execFileAsync = promisify(execFile);
const bin = resolve('bin/harden.js');
const apps = 'test/fixtures/apps';

/** The pids of the runs made here: their sessions' objects must all be gone, whatever other test files run at once. */
const runs: number[] = [];

async function harden<T>(args: string[]): Promise<{code: number; json: T; stderr: string}> {
  const child = execFileAsync('node', [bin, ...args, '--json'], {maxBuffer: 16 * 1024 * 1024});
  if (child.child.pid !== undefined) runs.push(child.child.pid);
  try {
    const {stdout, stderr} = await child;
    return {code: 0, json: JSON.parse(stdout) as T, stderr};
  } catch (error) {
    const e = error as {code: number; stdout: string; stderr: string};
    if (!e.stdout) throw new Error(`harden ${args.join(' ')} failed with ${e.code}: ${e.stderr}`);
    return {code: e.code, json: JSON.parse(e.stdout) as T, stderr: e.stderr};
  }
}

/** Everything the tool created that is still on the engine, for a session started by `pid`. */
async function leftovers(pid: number | undefined): Promise<string[]> {
  const filters = JSON.stringify({label: ['harden-wizard.managed=true']});
  const client = docker();
  const mine = (labels: Record<string, string> | undefined) => pid === undefined || (labels?.['harden-wizard.session'] ?? '').startsWith(`${pid}-`);
  const containers = (await client.listContainers({all: true, filters})).filter(c => mine(c.Labels)).map(c => `container ${c.Id}`);
  const volumes = ((await client.listVolumes({filters})).Volumes ?? []).filter(v => mine(v.Labels)).map(v => `volume ${v.Name}`);
  const images = (await client.listImages({filters})).filter(i => mine(i.Labels)).map(i => `image ${i.Id}`);
  return [...containers, ...volumes, ...images];
}

const cases = [
  {app: 'volume-writer', writes: ['/data', '/tmp'], failsOn: '/tmp'},
  {app: 'one-shot', writes: ['/tmp'], failsOn: '/tmp'},
  {app: 'late-writer', writes: ['/var/cache/app'], failsOn: '/var/cache/app'},
  {app: 'non-root-node', writes: ['/home/node/app/uploads', '/tmp'], failsOn: '/home/node/app/uploads'},
];

describeDocker('harden paths and verify on real apps', () => {
  beforeAll(async () => {
    await ensureBaseImages();
  }, 600_000);

  for (const {app, writes, failsOn} of cases) {
    it(`${app}: paths finds what it writes; verify fails without mounts, naming the path, and passes with them`, async () => {
      const target = `${apps}/${app}`;
      const paths = await harden<PathsResult>(['paths', target, '--duration', '5']);
      expect(paths.code).toBe(0);
      expect(paths.json.paths.map(p => p.path)).toEqual(writes);

      const bare = await harden<VerifyResult>(['verify', target, '--settle', '3', '--no-shadow']);
      expect(bare.code).toBe(1);
      expect(bare.json.ok).toBe(false);
      expect(bare.json.missing.map(m => m.path)).toContain(failsOn);

      const flags = paths.json.paths.flatMap(p => ['--writable', `${p.path}=${p.mount}`]);
      const mounted = await harden<VerifyResult>(['verify', target, '--settle', '3', ...flags]);
      expect(mounted.json.checks.filter(c => !c.ok)).toEqual([]);
      expect(mounted.code).toBe(0);
      for (const pid of runs.splice(0)) expect(await leftovers(pid)).toEqual([]);
    }, 180_000);
  }

  it('the demo web app (logs, pid file, cache) fails read-only and passes with the paths it needs', async () => {
    const bare = await harden<VerifyResult>(['verify', 'templates/demo', '--settle', '2', '--no-shadow']);
    expect(bare.code).toBe(1);
    expect(bare.json.missing.map(m => m.path)).toEqual(['/app/run']);
    const paths = await harden<PathsResult>(['paths', 'templates/demo', '--duration', '2']);
    expect(paths.json.paths.map(p => p.path)).toEqual(expect.arrayContaining(['/app/cache', '/app/logs', '/app/run']));
    const flags = paths.json.paths.flatMap(p => ['--writable', `${p.path}=${p.mount}`]);
    const mounted = await harden<VerifyResult>(['verify', 'templates/demo', '--settle', '2', ...flags]);
    expect(mounted.json.checks.map(c => `${c.name} ${c.ok}`)).toEqual(['build true', 'start true', 'ready true', 'stays-up true', 'no-write-errors true']);
    expect(mounted.code).toBe(0);
  }, 300_000);

  it('fix --discover --yes on the demo gives a compose service that verify passes', async () => {
    const dir = await copyFixture('templates/demo', 'harden-discover-');
    const fixed = await execFileAsync('node', [bin, 'fix', '--discover', '--no-run', '--yes'], {cwd: dir});
    expect(fixed.stdout).toMatch(/wrote compose\.yaml/);
    expect(fixed.stdout).toMatch(/seen when it ran/);
    const {stdout} = await execFileAsync('node', [bin, 'verify', 'compose.yaml:web', '--settle', '2', '--json'], {cwd: dir}).catch((e: {stdout: string}) => e);
    const result = JSON.parse(stdout) as VerifyResult;
    expect(result.checks.filter(c => !c.ok)).toEqual([]);
    expect(result.ok).toBe(true);
  }, 300_000);

  it('leaves nothing behind when verify gets SIGINT', async () => {
    const child = spawn('node', [bin, 'verify', `${apps}/non-root-node`, '--settle', '60', '--writable', '/home/node/app/uploads'], {stdio: ['ignore', 'pipe', 'pipe']});
    let stderr = '';
    child.stderr.on('data', chunk => (stderr += String(chunk)));
    const deadline = Date.now() + 120_000;
    while (!/ready; watching/.test(stderr) && Date.now() < deadline && child.exitCode === null) await new Promise(r => setTimeout(r, 200));
    expect(stderr).toMatch(/ready; watching/);
    expect((await leftovers(child.pid)).length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const code = await new Promise<number | null>(done => child.on('exit', c => done(c)));
    expect(code).not.toBe(0);
    expect(await leftovers(child.pid)).toEqual([]);
  }, 180_000);
});
