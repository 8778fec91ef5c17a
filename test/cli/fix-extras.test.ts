import {execFile} from 'node:child_process';
import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import {parse, parseAllDocuments} from 'yaml';
import {copyFixture, hashTree} from '../support/tree.js';

const execFileAsync = promisify(execFile);
const bin = resolve('bin/harden.js');
const digest = `sha256:${'ab'.repeat(32)}`;

describe('harden fix: digests, drift rules and signing templates', () => {
  it('pins what it was given, writes Falco rules and signing files in the same plan, and undo removes them all', async () => {
    const dir = await copyFixture('templates/demo');
    const before = await hashTree(dir);
    const {stdout} = await execFileAsync('node', [bin, 'fix', '--no-run', '--yes', '--falco', '--signing', 'gitlab', '--digest', `redis:7=${digest}`], {cwd: dir, env: {...process.env, NO_COLOR: '1'}});
    expect(stdout).toContain('wrote falco/harden-drift-rules.yaml');
    const compose = parse(await readFile(join(dir, 'compose.yaml'), 'utf8')) as {services: Record<string, {image: string}>};
    expect(compose.services['cache']!.image).toBe(`redis:7@${digest}`);
    // The web service builds its image: its image: is the build's tag and is never pinned.
    expect(compose.services['web']!.image).toBe('harden-demo:1.0');
    const falco = await readFile(join(dir, 'falco/harden-drift-rules.yaml'), 'utf8');
    expect(parseAllDocuments(falco).every(d => d.errors.length === 0)).toBe(true);
    expect(falco).toContain('fd.name');
    expect(falco).toContain('"/app/logs"');
    const gitlabJob = stdout.match(/wrote (\S*gitlab\S*)/)![1]!;
    const signing = await readFile(join(dir, gitlabJob), 'utf8');
    expect(signing).toContain('cosign sign');
    await execFileAsync('node', [bin, 'undo'], {cwd: dir});
    expect(await hashTree(dir)).toEqual(before);
  });

  it('refuses a malformed --digest with one line', async () => {
    const dir = await copyFixture('templates/demo');
    const result = await execFileAsync('node', [bin, 'fix', '--no-run', '--digest', 'redis:7=sha256:nothex'], {cwd: dir}).catch((e: {code: number; stderr: string}) => e);
    expect(result).toMatchObject({code: 2});
    expect((result as {stderr: string}).stderr).toMatch(/^harden: /);
  });

  it('adds the safe daemon settings to daemon.json only with --yes, keeps the person\'s keys, and undo restores it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-daemon-'));
    const original = '{\n  "log-driver": "journald",\n  "live-restore": false\n}\n';
    await writeFile(join(dir, 'daemon.json'), original);
    const shown = await execFileAsync('node', [bin, 'fix', '--no-run', '--daemon-json', 'daemon.json'], {cwd: dir, env: {...process.env, NO_COLOR: '1'}}).catch((e: {stdout: string; stderr: string}) => e);
    expect(shown.stdout).toContain('+  "no-new-privileges": true');
    expect(shown.stderr).toContain('"live-restore" is already set; kept as it is');
    expect(await readFile(join(dir, 'daemon.json'), 'utf8')).toBe(original);
    await execFileAsync('node', [bin, 'fix', '--no-run', '--daemon-json', 'daemon.json', '--yes'], {cwd: dir}).catch(() => undefined);
    expect(JSON.parse(await readFile(join(dir, 'daemon.json'), 'utf8'))).toEqual({'log-driver': 'journald', 'live-restore': false, 'no-new-privileges': true});
    await execFileAsync('node', [bin, 'undo'], {cwd: dir});
    expect(await readFile(join(dir, 'daemon.json'), 'utf8')).toBe(original);
  });

  it('keeps a byte of daemon.json that is not UTF-8 as it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-daemon-'));
    const original = Buffer.concat([Buffer.from('{\n  "data-root": "/srv/caf'), Buffer.from([0xe9]), Buffer.from('"\n}\n')]);
    await writeFile(join(dir, 'daemon.json'), original);
    const shown = await execFileAsync('node', [bin, 'fix', '--no-run', '--daemon-json', 'daemon.json'], {cwd: dir, env: {...process.env, NO_COLOR: '1'}}).catch((e: {stdout: string}) => e);
    // A diff against the file, not the whole file as new: the line gains a comma.
    expect(shown.stdout).toContain('@@ -1,3 +1,5 @@\n {\n-  "data-root": "/srv/caf\\xe9"\n+  "data-root": "/srv/caf\\xe9",\n');
    await execFileAsync('node', [bin, 'fix', '--no-run', '--daemon-json', 'daemon.json', '--yes'], {cwd: dir}).catch(() => undefined);
    const written = (await readFile(join(dir, 'daemon.json'))).toString('latin1');
    expect(written).toContain('"data-root": "/srv/caf\xe9"');
    expect(written).toContain('"no-new-privileges": true');
  });

  it('leaves a malformed daemon.json untouched and names its line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-daemon-'));
    const broken = '{\n  "debug": true,\n}\n';
    await writeFile(join(dir, 'daemon.json'), broken);
    const result = await execFileAsync('node', [bin, 'fix', '--no-run', '--daemon-json', 'daemon.json', '--yes', '--json'], {cwd: dir}).catch((e: {code: number; stdout: string}) => e);
    expect((result as {code: number}).code).toBe(2);
    const {plan} = JSON.parse((result as {stdout: string}).stdout) as {plan: {errors: Array<{file: string; line: number}>}};
    expect(plan.errors, JSON.stringify(plan.errors)).toEqual([expect.objectContaining({file: 'daemon.json'})]);
    expect(await readFile(join(dir, 'daemon.json'), 'utf8')).toBe(broken);
  });
});
