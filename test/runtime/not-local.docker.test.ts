/**
 * Images that are not on the machine (issue 15), on the real engine: `verify` and `paths` of a
 * service whose image the engine lacks say "not verified" with its own exit code (4) and offer
 * --pull, and never ask a registry unless --pull is given (DEBUG=harden:docker shows every engine
 * call, the pull included). A target that really fails still makes verify exit 1, and the fix it
 * suggests names that service (`--writable broken:/app/data=...`).
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {VerifyResult} from '../../source/core/model/runtime.js';
import {harden} from '../support/cli.js';
import {describeDocker, docker, ensureBaseImages} from '../support/docker.js';

const minute = 60_000;
// A name no registry has: with a network the pull is refused, without one it cannot resolve.
const absent = 'harden-wizard-test/absent-image:never';
let dir = '';

describeDocker('an image that is not on this machine', () => {
  beforeAll(async () => {
    await ensureBaseImages();
    dir = await mkdtemp(join(tmpdir(), 'harden-not-local-'));
    await writeFile(join(dir, 'Dockerfile'), 'FROM busybox:latest\nCMD ["sh", "-c", "echo up; exec sleep 600"]\n');
    await writeFile(join(dir, 'broken.Dockerfile'), 'FROM busybox:latest\nRUN mkdir -p /app/data\nCMD ["sh", "-c", "echo hi > /app/data/note && sleep 600"]\n');
    await writeFile(join(dir, 'compose.yaml'), [
      'services:',
      '  app:',
      '    build: .',
      '    read_only: true',
      '  cache:',
      `    image: ${absent}`,
      '    read_only: true',
      '  broken:',
      '    build: {context: ., dockerfile: broken.Dockerfile}',
      '    read_only: true',
      '',
    ].join('\n'));
    expect(await docker().getImage(absent).inspect().then(() => true, () => false)).toBe(false);
  }, 15 * minute);

  afterAll(async () => {
    await rm(dir, {recursive: true, force: true});
  });

  it('verify says "not verified", offers --pull, exits 4, and never pulls unasked', async () => {
    const result = await harden(['verify', 'compose.yaml:cache'], dir, {DEBUG: 'harden:docker'}, 5 * minute);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stdout).toContain(`not verified: ${absent} is not on this machine; harden verify --pull compose.yaml:cache pulls it`);
    expect(result.stdout).not.toMatch(/FAIL/);
    expect(result.stderr).not.toMatch(/doing pull/);
    const json = await harden(['verify', '--json', 'compose.yaml:cache'], dir, {}, 5 * minute);
    expect(json.code).toBe(4);
    expect((JSON.parse(json.stdout) as VerifyResult).notVerified).toEqual({image: absent, why: `${absent} is not on this machine`});
  }, 5 * minute);

  it('with --pull asks the engine to pull, and a pull that fails is still "not verified", with the registry\'s reason', async () => {
    const result = await harden(['verify', '--pull', 'compose.yaml:cache'], dir, {DEBUG: 'harden:docker'}, 5 * minute);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain(`doing pull {${absent}}`);
    expect(result.stdout).toContain(`not verified: could not pull ${absent}: `);
    expect(await docker().getImage(absent).inspect().then(() => true, () => false)).toBe(false);
  }, 5 * minute);

  it('paths says "not run" with exit 4 and the --pull way on', async () => {
    const result = await harden(['paths', 'compose.yaml:cache'], dir, {DEBUG: 'harden:docker'}, 5 * minute);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stdout).toContain(`compose.yaml:cache: not run: ${absent} is not on this machine; harden paths --pull compose.yaml:cache pulls it`);
    expect(result.stderr).not.toMatch(/doing pull/);
  }, 5 * minute);

  it('a whole compose file: the working service passes, the absent image is not verified, and a real failure still exits 1', async () => {
    const all = await harden(['verify', 'compose.yaml'], dir, {}, 10 * minute);
    expect(all.stdout).toContain('== compose.yaml:app: ok');
    expect(all.stdout).toContain('== compose.yaml:cache: not verified');
    expect(all.stdout).toContain('== compose.yaml:broken: FAIL');
    expect(all.stdout).toMatch(/1 of 3 targets keep working read-only; not: compose\.yaml:broken; not verified \(image not on this machine\): compose\.yaml:cache\./);
    expect(all.code).toBe(1);
    // The fix it suggests names the service, so the path is not added to every service of the file.
    expect(all.stdout).toMatch(/Fix: harden fix --writable broken:\/app\/data=(tmpfs|volume)/);
    const two = await harden(['verify', 'compose.yaml:app', 'compose.yaml:cache'], dir, {}, 10 * minute);
    expect(two.code, two.stdout).toBe(4);
  }, 15 * minute);
});
