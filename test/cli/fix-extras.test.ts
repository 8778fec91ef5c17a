import {execFile} from 'node:child_process';
import {readFile} from 'node:fs/promises';
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
    const {stdout} = await execFileAsync('node', [bin, 'fix', '--yes', '--falco', '--signing', 'gitlab', '--digest', `redis:7=${digest}`], {cwd: dir, env: {...process.env, NO_COLOR: '1'}});
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
    const result = await execFileAsync('node', [bin, 'fix', '--digest', 'redis:7=sha256:nothex'], {cwd: dir}).catch((e: {code: number; stderr: string}) => e);
    expect(result).toMatchObject({code: 2});
    expect((result as {stderr: string}).stderr).toMatch(/^harden: /);
  });
});
