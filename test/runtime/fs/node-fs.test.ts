import {chmod, mkdir, mkdtemp, realpath, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {nodeFileSystem as fs} from '../../../source/runtime/fs/node-fs.js';

let dir: string;

beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'harden-node-fs-')));
});

afterEach(async () => {
  await rm(dir, {recursive: true, force: true});
});

describe('nodeFileSystem.read', () => {
  it.each([
    [10, 11],
    [99, 100],
    [100, 100],
    [1000, 100],
    [0, 1],
  ])('with maxBytes %i returns %i bytes of a 100-byte file (at most maxBytes + 1)', async (maxBytes, length) => {
    const content = Buffer.from('x'.repeat(50) + 'y'.repeat(50));
    await writeFile(join(dir, 'f'), content);
    const bytes = await fs.read(join(dir, 'f'), maxBytes);
    expect(bytes.length).toBe(length);
    expect(Buffer.from(bytes).equals(content.subarray(0, length))).toBe(true);
  });

  it('reads an empty file as no bytes', async () => {
    await writeFile(join(dir, 'empty'), '');
    expect((await fs.read(join(dir, 'empty'), 10)).length).toBe(0);
  });

  it('rejects a missing file with ENOENT', async () => {
    await expect(fs.read(join(dir, 'missing'), 10)).rejects.toMatchObject({code: 'ENOENT'});
  });

  it.skipIf(process.getuid?.() === 0)('rejects an unreadable file with EACCES (skipped as root: root reads a mode-000 file)', async () => {
    await writeFile(join(dir, 'locked'), 'FROM a');
    await chmod(join(dir, 'locked'), 0o000);
    await expect(fs.read(join(dir, 'locked'), 10)).rejects.toMatchObject({code: 'EACCES'});
  });
});

describe('nodeFileSystem.list, stat, realpath', () => {
  it('lists entries with their own kind, not following links', async () => {
    await writeFile(join(dir, 'file'), 'x');
    await mkdir(join(dir, 'sub'));
    await symlink(join(dir, 'sub'), join(dir, 'link'));
    const entries = await fs.list(dir);
    expect(entries.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      {name: 'file', kind: 'file'},
      {name: 'link', kind: 'symlink'},
      {name: 'sub', kind: 'directory'},
    ]);
  });

  it('stat follows links and gives the size', async () => {
    await writeFile(join(dir, 'file'), 'hello');
    await symlink(join(dir, 'file'), join(dir, 'link'));
    expect(await fs.stat(join(dir, 'link'))).toEqual({kind: 'file', size: 5});
    expect((await fs.stat(dir)).kind).toBe('directory');
  });

  it('stat rejects a dangling link; realpath resolves a live one', async () => {
    await symlink(join(dir, 'missing'), join(dir, 'dangling'));
    await expect(fs.stat(join(dir, 'dangling'))).rejects.toMatchObject({code: 'ENOENT'});
    await mkdir(join(dir, 'sub'));
    await symlink('sub', join(dir, 'rel'));
    expect(await fs.realpath(join(dir, 'rel'))).toBe(join(dir, 'sub'));
  });
});
