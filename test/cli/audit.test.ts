import {execFile} from 'node:child_process';
import {mkdtemp, readFile, writeFile, mkdir} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import type {AuditReport} from '../../source/core/model/finding.js';

const execFileAsync = promisify(execFile);
const bin = resolve('bin/harden.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function harden(args: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = {}): Promise<Result> {
  try {
    const {stdout, stderr} = await execFileAsync('node', [bin, ...args], {cwd, env: {...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env}});
    return {code: 0, stdout, stderr};
  } catch (error) {
    const e = error as {code: number; stdout: string; stderr: string};
    return {code: e.code, stdout: e.stdout, stderr: e.stderr};
  }
}

async function json(args: string[], cwd?: string): Promise<{code: number; report: AuditReport}> {
  const result = await harden([...args, '--format', 'json'], cwd);
  return {code: result.code, report: JSON.parse(result.stdout) as AuditReport};
}

describe('harden audit on the demo project', () => {
  it('finds every kind of hardening the demo needs, with exit 1 at the default --fail-on high', async () => {
    const {code, report} = await json(['audit', 'templates/demo']);
    expect(code).toBe(1);
    expect(report.targets.map(t => `${t.kind} ${t.file} ${t.name}`)).toEqual([
      'dockerfile templates/demo/Dockerfile Dockerfile',
      'compose-service templates/demo/compose.yaml web',
      'compose-service templates/demo/compose.yaml cache',
      'k8s-container templates/demo/k8s/deployment.yaml Deployment/harden-demo/web',
    ]);
    const byTarget = (name: string) => report.findings.filter(f => f.target.endsWith(`#${name}`)).map(f => f.path ? `${f.rule} ${f.path}` : f.rule).sort();
    expect(byTarget('Dockerfile')).toEqual(['mutable-image-ref', 'root-user', 'single-stage-build']);
    expect(byTarget('web')).toEqual([
      'cap-drop', 'privilege-escalation', 'read-only-rootfs', 'root-user',
      'writable-path-unmounted /app/cache', 'writable-path-unmounted /app/logs', 'writable-path-unmounted /app/run', 'writable-path-unmounted /tmp',
    ]);
    expect(byTarget('cache')).toEqual(['cap-drop', 'mutable-image-ref', 'privilege-escalation', 'read-only-rootfs', 'root-user', 'writable-path-unmounted /data']);
    expect(byTarget('Deployment/harden-demo/web')).toEqual([
      'cap-drop', 'mutable-image-ref', 'privilege-escalation', 'read-only-rootfs', 'root-user', 'seccomp', 'service-account-token', 'unsigned-image-policy',
      'writable-path-unmounted /app/cache', 'writable-path-unmounted /app/logs', 'writable-path-unmounted /app/run', 'writable-path-unmounted /tmp',
    ]);
    expect(report.errors).toEqual([]);
  });

  it('passes a hardened project with exit 0', async () => {
    const {code, report} = await json(['audit', 'test/fixtures/projects/hardened', '--fail-on', 'info']);
    expect(report.findings).toEqual([]);
    expect(report.targets).toHaveLength(3);
    expect(code).toBe(0);
  });

  it('honours --fail-on', async () => {
    expect((await harden(['audit', 'templates/demo', '--fail-on', 'none'])).code).toBe(0);
    expect((await harden(['audit', 'templates/demo/Dockerfile', '--fail-on', 'high'])).code).toBe(0);
    expect((await harden(['audit', 'templates/demo/Dockerfile', '--fail-on', 'medium'])).code).toBe(1);
  });

  it('writes each format to --output and nothing to stdout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-out-'));
    for (const format of ['text', 'json', 'sarif', 'markdown']) {
      const out = join(dir, `report.${format}`);
      const result = await harden(['audit', 'templates/demo', '--format', format, '--output', out, '--fail-on', 'none']);
      expect(result).toMatchObject({code: 0, stdout: ''});
      const text = await readFile(out, 'utf8');
      expect(text).toContain('read-only-rootfs');
      expect(text).not.toContain('\u001b[');
      if (format === 'json' || format === 'sarif') JSON.parse(text);
    }
  });

  it('colours text only when asked and never under NO_COLOR', async () => {
    expect((await harden(['audit', 'templates/demo'], undefined, {FORCE_COLOR: '1'})).stdout).toContain('\u001b[');
    expect((await harden(['audit', 'templates/demo'], undefined, {FORCE_COLOR: '1', NO_COLOR: '1'})).stdout).not.toContain('\u001b[');
  });
});

describe('harden audit on bad input', () => {
  it('reports broken files with file and line and still audits the rest, exit 2 when nothing fails the threshold', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-bad-'));
    await mkdir(join(dir, 'api'));
    await writeFile(join(dir, 'api', 'Dockerfile'), 'FROM node:20\nRUN echo hi\nUSER node\n');
    await writeFile(join(dir, 'Dockerfile'), 'RUN echo before from\n');
    await writeFile(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: [unclosed\n');
    await writeFile(join(dir, 'deploy.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: busybox:1\n---\napiVersion: v1\nkind: Pod\nmetadata:\n\tname: broken\n');
    await writeFile(join(dir, 'Dockerfile.bin'), Buffer.from([0x46, 0x52, 0x00, 0x01, 0x02]));
    await writeFile(join(dir, 'Containerfile'), '');
    const {code, report} = await json(['audit', '.', '--fail-on', 'none'], dir);
    expect(code).toBe(2);
    expect(report.errors.map(e => `${e.file}:${e.line}`)).toEqual([
      'Containerfile:1',
      'Dockerfile:1',
      'Dockerfile.bin:0',
      'compose.yaml:4',
      'deploy.yaml:12',
    ]);
    for (const error of report.errors) expect(error.message).not.toContain('\n');
    expect(report.targets.map(t => t.id)).toEqual(['dockerfile:api/Dockerfile#Dockerfile', 'k8s-container:deploy.yaml#Pod/p/c']);
  });

  it('refuses bad flags with exit 2 and one line', async () => {
    for (const args of [['audit', '--format', 'xml'], ['audit', '--fail-on', 'urgent'], ['audit', '--bogus'], ['audit', '--max-size', '-1']]) {
      const result = await harden(args);
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
      expect(result.stderr).toMatch(/^harden: /);
    }
  });

  it('reports a missing path and exits 2', async () => {
    const {code, report} = await json(['audit', 'no/such/dir']);
    expect(code).toBe(2);
    expect(report.errors).toEqual([{file: 'no/such/dir', line: 0, message: 'cannot read: no such file or directory; check the path'}]);
  });

  it('reports a file over --max-size without reading it whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-big-'));
    await writeFile(join(dir, 'Dockerfile'), 'FROM busybox:1\n' + '# padding\n'.repeat(300_000));
    const {report} = await json(['audit', '.', '--max-size', '1'], dir);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]!.message).toMatch(/over the 1 MiB limit/);
  });

  it('says how large a file over the limit really is, not the limit it read up to', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-big-'));
    await writeFile(join(dir, 'compose.yaml'), 'services:\n' + '#'.repeat(10 * 1024 * 1024 - 10) + '\n');
    const {code, report} = await json(['audit', '.'], dir);
    expect(code).toBe(2);
    expect(report.errors).toEqual([{file: 'compose.yaml', line: 0, message: 'file is 10.0 MiB, over the 4 MiB limit; audit it alone with --max-size if it is really a config file'}]);
  });
});
