import {readFile, rm} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {harden} from '../support/cli.js';
import {copyFixture, hashTree} from '../support/tree.js';

/*
 * `fix --yes --user abc` wrote `user: "abc"` although the help promises UID[:GID]: a name
 * Kubernetes cannot use and compose can only if the image has that user. Now only numbers
 * pass, and not UID 0 (root); a bad value is a usage error (exit 2) and nothing is written.
 */

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(dir => rm(dir, {recursive: true, force: true})));
});

async function demo(): Promise<string> {
  const dir = await copyFixture('templates/demo', 'harden-fix-user-');
  dirs.push(dir);
  return dir;
}

describe('harden fix --user', () => {
  it.each([
    ['abc', 'expected UID[:GID] in numbers'],
    ['root', 'expected UID[:GID] in numbers'],
    ['10001:staff', 'expected UID[:GID] in numbers'],
    ['-1', 'expected UID[:GID] in numbers'],
    ['99999999999', 'expected UID[:GID] in numbers'],
    ['0', 'UID 0 is root'],
    ['0:10001', 'UID 0 is root'],
  ])('refuses %s in one line, with exit 2, and writes nothing', async (value, reason) => {
    const dir = await demo();
    const before = await hashTree(dir);
    const result = await harden(['fix', '--yes', '--no-run', `--user=${value}`], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`--user "${value}": ${reason}`);
    expect(lines[0]).toContain('10001:10001');
    expect(await hashTree(dir)).toEqual(before);
  });

  it.each(['10001:10001', '10001', '1001:0'])('writes user: "%s" for the services that run as root', async value => {
    const dir = await demo();
    const result = await harden(['fix', '--yes', '--no-run', '--only', 'root-user', '--user', value, 'compose.yaml'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await readFile(join(dir, 'compose.yaml'), 'utf8')).toContain(`user: "${value}"`);
  });
});
