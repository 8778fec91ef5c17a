import {execFile} from 'node:child_process';
import {resolve} from 'node:path';
import {promisify} from 'node:util';
import {mkdtemp, readdir, readFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {AuditReport} from '../../source/core/model/finding.js';
import {assertNothingLeft, describeDocker, docker, ensureBaseImages, testRunId, testRunLabels} from '../support/docker.js';

const execFileAsync = promisify(execFile);
const bin = resolve('bin/harden.js');

async function audit(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{code: number; report: AuditReport; stderr: string}> {
  try {
    const {stdout, stderr} = await execFileAsync('node', [bin, 'audit', ...args, '--format', 'json'], {env: {...process.env, ...env}});
    return {code: 0, report: JSON.parse(stdout) as AuditReport, stderr};
  } catch (error) {
    const e = error as {code: number; stdout: string; stderr: string};
    return {code: e.code, report: JSON.parse(e.stdout) as AuditReport, stderr: e.stderr};
  }
}

const plain = `audit-plain-${testRunId}`;
const hardened = `audit-hardened-${testRunId}`;
const stopped = `audit-stopped-${testRunId}`;

describeDocker('harden audit --containers', () => {
  beforeAll(async () => {
    await ensureBaseImages();
    const client = docker();
    const start = async (name: string, cmd: string, host: Record<string, unknown>, user?: string) => {
      const container = await client.createContainer({name, Image: 'busybox:latest', Cmd: ['sh', '-c', cmd], ...(user ? {User: user} : {}), Labels: {...testRunLabels}, HostConfig: {NetworkMode: 'none', ...host}});
      await container.start();
      return container;
    };
    await start(plain, 'mkdir -p /var/log/app && echo hi > /var/log/app/a.log && sleep 600', {});
    await start(hardened, 'echo hi > /tmp/a && sleep 600', {ReadonlyRootfs: true, Tmpfs: {'/tmp': 'mode=1777'}, SecurityOpt: ['no-new-privileges'], CapDrop: ['ALL']}, '1000:1000');
    const done = await start(stopped, 'true', {});
    await done.wait();
  }, 600_000);

  afterAll(async () => {
    for (const name of [plain, hardened, stopped]) await docker().getContainer(name).remove({force: true}).catch(() => undefined);
    await assertNothingLeft();
  });

  it('judges the running containers from their settings and the files they changed', async () => {
    const {report} = await audit(['--containers', '--fail-on', 'none']);
    const rules = (name: string) => report.findings.filter(f => f.target.endsWith(`#${name}`)).map(f => (f.path ? `${f.rule} ${f.path}` : f.rule)).sort();
    expect(rules(plain)).toEqual(['privilege-escalation', 'read-only-rootfs', 'root-user', 'writable-path-unmounted /var/log']);
    expect(rules(hardened)).toEqual([]);
    expect(report.targets.map(t => t.name)).not.toContain(stopped);
    expect(report.targets.find(t => t.name === plain)).toMatchObject({kind: 'container', file: `container:${plain}`});
  }, 120_000);

  it('includes stopped containers with --all', async () => {
    const {report} = await audit(['--containers', '--all', '--fail-on', 'none']);
    expect(report.targets.map(t => t.name)).toContain(stopped);
  }, 120_000);

  it('keeps auditing files when no engine answers, with one line saying why', async () => {
    const {code, report, stderr} = await audit(['templates/demo/Dockerfile', '--containers', '--fail-on', 'none'], {DOCKER_HOST: 'unix:///nonexistent/docker.sock'});
    expect(code).toBe(2);
    expect(report.targets.map(t => t.kind)).toEqual(['dockerfile']);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]!.file).toBe('docker');
    expect(stderr.split('\n')[0]).toMatch(/^harden: no Docker engine at unix:\/\/\/nonexistent\/docker.sock/);
  }, 60_000);

  it('fix --containers writes hardened run configs for the running containers, and undo removes them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-runconfig-'));
    const fixed = await execFileAsync('node', [bin, 'fix', '--containers', '--yes'], {cwd: dir});
    expect(fixed.stdout).toContain(`wrote hardened/${plain}.run.sh`);
    const files = await readdir(join(dir, 'hardened'));
    expect(files).toEqual(expect.arrayContaining([`${plain}.run.sh`, `${plain}.compose.yaml`, `${plain}.container`]));
    const script = await readFile(join(dir, 'hardened', `${plain}.run.sh`), 'utf8');
    expect(script).toContain('--read-only');
    expect(script).toMatch(/\/var\/log/);
    expect(await readFile(join(dir, 'hardened', `${plain}.container`), 'utf8')).toContain('ReadOnly=true');
    await execFileAsync('node', [bin, 'undo'], {cwd: dir});
    expect(await readdir(join(dir, 'hardened')).catch(() => [])).toEqual([]);
  }, 120_000);
});
