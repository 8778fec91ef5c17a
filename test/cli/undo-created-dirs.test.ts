import {mkdir, rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {snapshot} from '../hostile/support.js';
import {harden} from '../support/cli.js';
import {copyFixture} from '../support/tree.js';

/*
 * Undo left behind the empty folders fix had created for its new files (.github/workflows,
 * falco/, signing/). Now the backup records them and undo removes them when empty, so fix
 * then undo gives back the tree as it was, folders included.
 */

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(dir => rm(dir, {recursive: true, force: true})));
});

/** Every file and folder with its mode and bytes, harden's own .harden aside. */
const tree = (dir: string) => snapshot(dir, rel => rel === '.harden' || rel.startsWith('.harden/'));

/** Runs harden undo until there is nothing left to undo; returns how many backups it restored. */
async function undoAll(dir: string): Promise<number> {
  for (let count = 0; count < 10; count++) {
    const result = await harden(['undo'], dir);
    if (result.code !== 0) {
      expect(result.stderr).toMatch(/^harden: nothing to undo/);
      return count;
    }
  }
  throw new Error('undo never ran out of backups');
}

describe('harden undo after fix created folders', () => {
  it('gives back the demo project as it was, with no folder left over', async () => {
    const dir = await copyFixture('templates/demo', 'harden-undo-dirs-');
    dirs.push(dir);
    const before = await tree(dir);
    const first = await harden(['fix', '--yes', '--no-run', '--falco'], dir);
    expect(first.code, first.stderr).toBe(0);
    const second = await harden(['fix', '--yes', '--no-run', '--signing', 'github'], dir);
    expect(second.code, second.stderr).toBe(0);
    const fixed = await tree(dir);
    for (const folder of ['falco', 'signing', '.github', '.github/workflows']) expect(fixed[folder], folder).toMatch(/^dir /);

    const listed = await harden(['undo', '--list'], dir);
    expect(listed.stdout).toContain('  remove  .github/workflows/ (if empty)\n');
    expect(await undoAll(dir)).toBe(2);
    expect(await tree(dir)).toEqual(before);
  });

  it('keeps a created folder someone has put a file in since, and removes the rest', async () => {
    const dir = await copyFixture('templates/demo', 'harden-undo-dirs-');
    dirs.push(dir);
    const before = await tree(dir);
    expect((await harden(['fix', '--yes', '--no-run', '--signing', 'github'], dir)).code).toBe(0);
    await writeFile(join(dir, '.github', 'workflows', 'ci.yml'), 'on: push\n');
    const undone = await harden(['undo'], dir);
    expect(undone.code, undone.stderr).toBe(0);
    expect(undone.stdout).toContain('removed signing/\n');
    expect(undone.stdout).not.toMatch(/^removed \.github\/(workflows\/)?$/m);
    const after = await tree(dir);
    expect(Object.keys(after).filter(rel => !(rel in before)).sort()).toEqual(['.github', '.github/workflows', '.github/workflows/ci.yml']);
  });

  it('records no folder that was there before the fix', async () => {
    const dir = await copyFixture('templates/demo', 'harden-undo-dirs-');
    dirs.push(dir);
    await mkdir(join(dir, '.github'));
    const before = await tree(dir);
    expect((await harden(['fix', '--yes', '--no-run', '--signing', 'github'], dir)).code).toBe(0);
    const undone = await harden(['undo'], dir);
    expect(undone.stdout).toContain('removed .github/workflows/\n');
    expect(undone.stdout).not.toContain('removed .github/\n');
    expect(await tree(dir)).toEqual(before);
  });
});
