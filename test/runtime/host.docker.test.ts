import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, openSync, closeSync, readdirSync, readFileSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import Docker from 'dockerode';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {AuditReport} from '../../source/core/model/finding.js';
import {assertNothingLeft, describeDocker, docker, dockerRequired} from '../support/docker.js';

/*
 * `harden audit --host` against real engines: the test's own engine (started without
 * no-new-privileges), then second dockerds this file starts on their own socket, data root and
 * exec root. They never touch the main engine; afterAll stops them (SIGTERM, then wait) and
 * removes their directories. dockerd refuses a setting given both as a flag and in its
 * config file, so the flag route and the daemon.json route each get an engine of their own.
 */

const execFileAsync = promisify(execFile);
const bin = resolve('bin/harden.js');

async function audit(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{code: number; report: AuditReport; stderr: string}> {
  try {
    const {stdout, stderr} = await execFileAsync('node', [bin, 'audit', '--host', ...args, '--format', 'json', '--fail-on', 'none'], {env: {...process.env, ...env}});
    return {code: 0, report: JSON.parse(stdout) as AuditReport, stderr};
  } catch (error) {
    const e = error as {code: number; stdout: string; stderr: string};
    return {code: e.code, report: JSON.parse(e.stdout) as AuditReport, stderr: e.stderr};
  }
}

const rules = (report: AuditReport) => report.findings.map(f => f.rule).sort();

/** The test command builds first; a bare `vitest run` may find a dist from before --host. */
async function ensureBuilt(): Promise<void> {
  const built = existsSync('dist') && readdirSync('dist').some(name => name.endsWith('.js') && readFileSync(join('dist', name), 'utf8').includes('daemon-config'));
  if (!built) await execFileAsync('node', ['scripts/build.js']);
}

const onPath = (program: string) => (process.env['PATH'] ?? '').split(':').some(dir => dir !== '' && existsSync(join(dir, program)));

/** Why a second dockerd cannot be started here, or undefined when it can. */
function secondEngineBlocked(): string | undefined {
  if (process.getuid?.() !== 0) return 'starting a second dockerd needs root';
  if (!onPath('dockerd')) return 'no dockerd on PATH';
  return undefined;
}

/** A dockerd of the test's own, on sockets and directories under one temp dir. */
interface SecondEngine {
  dir: string;
  socket: string;
  config: string;
  child: ChildProcess;
}

async function startEngine(config: Record<string, unknown>, flags: string[]): Promise<SecondEngine> {
  const dir = await mkdtemp('/tmp/harden-host-');
  const socket = join(dir, 'docker.sock');
  const configFile = join(dir, 'daemon.json');
  await writeFile(configFile, JSON.stringify(config, null, 2) + '\n');
  const log = openSync(join(dir, 'dockerd.log'), 'a');
  const child = spawn('dockerd', [
    ...flags,
    '--config-file', configFile,
    '--host', `unix://${socket}`,
    '--data-root', join(dir, 'root'),
    '--exec-root', join(dir, 'exec'),
    '--pidfile', join(dir, 'docker.pid'),
    '--bridge=none', '--iptables=false', '--ip-forward=false', '--ip-masq=false',
  ], {stdio: ['ignore', log, log]});
  closeSync(log);
  const engine: SecondEngine = {dir, socket, config: configFile, child};
  const client = new Docker({socketPath: socket, timeout: 2000});
  const deadline = Date.now() + 60_000;
  while (true) {
    if (child.exitCode !== null) throw new Error(`dockerd exited with ${child.exitCode}:\n${await readFile(join(dir, 'dockerd.log'), 'utf8')}`);
    try {
      await client.ping();
      return engine;
    } catch {
      if (Date.now() > deadline) {
        await stopEngine(engine);
        throw new Error('the second dockerd did not answer within 60 s');
      }
      await new Promise(done => setTimeout(done, 250));
    }
  }
}

/** SIGTERM, wait for it to exit (SIGKILL after 30 s), then remove its directories. */
async function stopEngine(engine: SecondEngine | undefined): Promise<void> {
  if (!engine) return;
  const {child, dir} = engine;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise(done => child.once('exit', done));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
  await rm(dir, {recursive: true, force: true, maxRetries: 3});
}

describeDocker('harden audit --host', () => {
  beforeAll(ensureBuilt, 120_000);
  afterAll(() => assertNothingLeft());

  it('reads the live engine\'s settings', async () => {
    const info = (await docker().info()) as {Name: string; LiveRestoreEnabled: boolean; SecurityOptions: string[] | null};
    const {report, code} = await audit([]);
    expect(code).toBe(0);
    expect(report.errors).toEqual([]);
    expect(report.targets).toEqual([{id: `host:host:${info.Name}#${info.Name}`, kind: 'host', file: `host:${info.Name}`, name: info.Name, line: 0}]);
    // The test engine runs without no-new-privileges.
    expect(rules(report)).toContain('daemon-no-new-privileges');
    expect(report.findings.find(f => f.rule === 'daemon-no-new-privileges')?.severity).toBe('medium');
    const remapped = (info.SecurityOptions ?? []).some(o => /name=(userns|rootless)/.test(o));
    expect(rules(report).includes('daemon-userns')).toBe(!remapped);
    expect(rules(report).includes('daemon-live-restore')).toBe(!info.LiveRestoreEnabled);
    expect(rules(report)).toContain('content-trust');
  }, 120_000);

  it('reports a malformed --daemon-config at its line, and still audits', async () => {
    const dir = await mkdtemp('/tmp/harden-host-');
    try {
      const file = join(dir, 'daemon.json');
      await writeFile(file, '{\n  "no-new-privileges": true,\n}\n');
      const {code, report} = await audit(['--daemon-config', file]);
      expect(code).toBe(2);
      expect(report.errors).toEqual([{file, line: 3, message: expect.stringContaining('trailing comma')}]);
      expect(rules(report)).toContain('daemon-no-new-privileges');
    } finally {
      await rm(dir, {recursive: true, force: true});
    }
  }, 120_000);

  it('without an engine still checks the OS and mounts, and says why the rest is missing', async () => {
    const {code, report, stderr} = await audit([], {DOCKER_HOST: 'unix:///nonexistent/docker.sock'});
    expect(code).toBe(2);
    expect(report.errors).toEqual([expect.objectContaining({file: 'docker', line: 0})]);
    expect(rules(report)).toContain('content-trust');
    expect(rules(report)).not.toContain('daemon-no-new-privileges');
    expect(stderr).toMatch(/^harden: no Docker engine at unix:\/\/\/nonexistent\/docker.sock/);
  }, 60_000);

  const blocked = secondEngineBlocked();
  if (blocked && !dockerRequired()) {
    it.skip(`second engine skipped: ${blocked}`, () => {});
    return;
  }

  describe('a second engine started with --no-new-privileges', () => {
    let engine: SecondEngine | undefined;
    beforeAll(async () => {
      if (blocked) throw new Error(`CI or HARDEN_REQUIRE_DOCKER is set, but ${blocked}: run the docker tests as root with dockerd installed`);
      engine = await startEngine({'live-restore': true}, ['--no-new-privileges']);
    }, 120_000);
    afterAll(() => stopEngine(engine), 60_000);

    it('shows the finding gone: the flag is read from the daemon\'s command line', async () => {
      const {code, report} = await audit(['--daemon-config', engine!.config], {DOCKER_HOST: `unix://${engine!.socket}`});
      expect(report.errors).toEqual([]);
      expect(code).toBe(0);
      expect(rules(report)).not.toContain('daemon-no-new-privileges');
      expect(rules(report)).not.toContain('daemon-live-restore');
      expect(rules(report)).toContain('daemon-userns');
    }, 120_000);
  });

  describe('a second engine with "no-new-privileges": true in its daemon.json', () => {
    let engine: SecondEngine | undefined;
    beforeAll(async () => {
      if (blocked) throw new Error(`CI or HARDEN_REQUIRE_DOCKER is set, but ${blocked}: run the docker tests as root with dockerd installed`);
      engine = await startEngine({'no-new-privileges': true, 'live-restore': true}, []);
    }, 120_000);
    afterAll(() => stopEngine(engine), 60_000);

    it('shows the finding gone with --daemon-config', async () => {
      const {report} = await audit(['--daemon-config', engine!.config], {DOCKER_HOST: `unix://${engine!.socket}`});
      expect(report.errors).toEqual([]);
      expect(rules(report)).not.toContain('daemon-no-new-privileges');
      expect(rules(report)).not.toContain('daemon-live-restore');
    }, 120_000);

    it('finds that daemon.json from the daemon\'s --config-file without being told', async () => {
      const {report} = await audit([], {DOCKER_HOST: `unix://${engine!.socket}`});
      expect(report.errors).toEqual([]);
      expect(rules(report)).not.toContain('daemon-no-new-privileges');
      // The data root sits under /tmp, on whatever filesystem holds it: judged, never an error.
      expect(report.findings.every(f => f.fixable === false)).toBe(true);
    }, 120_000);
  });
});
