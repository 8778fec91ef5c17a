import {randomBytes} from 'node:crypto';
import {chmod, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {readFileIfExists, sha256, writeFileAtomic} from '../../../source/runtime/fs/atomic-write.js';

// Lets a test force the temporary name to collide; otherwise the real randomBytes runs.
vi.mock('node:crypto', async importOriginal => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {...actual, randomBytes: vi.fn(actual.randomBytes)};
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'harden-atomic-'));
});
afterEach(async () => {
  vi.mocked(randomBytes).mockClear();
  await rm(dir, {recursive: true, force: true});
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o7777;
const zeros = Buffer.alloc(6);

describe('writeFileAtomic', () => {
  it('creates a new file with the bytes given and leaves no temporary file', async () => {
    await writeFileAtomic(join(dir, 'compose.yaml'), Buffer.from('services: {}\n'));
    expect(await readFile(join(dir, 'compose.yaml'), 'utf8')).toBe('services: {}\n');
    expect(await readdir(dir)).toEqual(['compose.yaml']);
  });

  it.each([0o640, 0o755, 0o600])('keeps the mode %o of the file it replaces', async mode => {
    const path = join(dir, 'Dockerfile');
    await writeFile(path, 'FROM alpine\n');
    await chmod(path, mode);
    await writeFileAtomic(path, Buffer.from('FROM alpine:3.20\nUSER 10001\n'));
    expect(await modeOf(path)).toBe(mode);
    expect(await readFile(path, 'utf8')).toBe('FROM alpine:3.20\nUSER 10001\n');
    expect(await readdir(dir)).toEqual(['Dockerfile']);
  });

  it('sets the mode given, whatever the umask', async () => {
    const path = join(dir, 'run.sh');
    await writeFileAtomic(path, Buffer.from('#!/bin/sh\n'), {mode: 0o777});
    expect(await modeOf(path)).toBe(0o777);
  });

  it('round-trips CRLF, a BOM, no final newline and multi-byte UTF-8 byte for byte', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: 1\r\nb: "ünï € 😀"\r\nc: 3', 'utf8'), Buffer.from([0x00, 0xff, 0x0d])]);
    const path = join(dir, 'x.yaml');
    await writeFileAtomic(path, bytes);
    const back = await readFile(path);
    expect(back.equals(bytes)).toBe(true);
    expect(sha256(back)).toBe(sha256(bytes));
  });

  it('writes through a symbolic link, which stays a link', async () => {
    await mkdir(join(dir, 'real'));
    await writeFile(join(dir, 'real', 'compose.yaml'), 'old\n');
    await symlink(join('real', 'compose.yaml'), join(dir, 'compose.yaml'));
    await writeFileAtomic(join(dir, 'compose.yaml'), Buffer.from('new\n'));
    expect(await readlink(join(dir, 'compose.yaml'))).toBe(join('real', 'compose.yaml'));
    expect(await readFile(join(dir, 'real', 'compose.yaml'), 'utf8')).toBe('new\n');
    expect((await readdir(join(dir, 'real'))).sort()).toEqual(['compose.yaml']);
  });

  it('fails without creating anything when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'compose.yaml'), Buffer.from('x'))).rejects.toMatchObject({code: 'ENOENT'});
    expect(await readdir(dir)).toEqual([]);
  });

  it('fails when the target is a directory, leaving it and no temporary file behind', async () => {
    await mkdir(join(dir, 'compose.yaml'));
    await writeFile(join(dir, 'compose.yaml', 'inside'), 'keep');
    await expect(writeFileAtomic(join(dir, 'compose.yaml'), Buffer.from('x'))).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['compose.yaml']);
    expect(await readFile(join(dir, 'compose.yaml', 'inside'), 'utf8')).toBe('keep');
  });

  it('never opens a file that already has the temporary name: it picks another name', async () => {
    const path = join(dir, 'compose.yaml');
    await writeFile(path, 'old\n');
    const squatter = join(dir, `.compose.yaml.harden-${process.pid}-000000000000.tmp`);
    await writeFile(squatter, 'not ours');
    vi.mocked(randomBytes).mockImplementationOnce((() => zeros) as never);
    await writeFileAtomic(path, Buffer.from('new\n'));
    expect(await readFile(path, 'utf8')).toBe('new\n');
    expect(await readFile(squatter, 'utf8')).toBe('not ours');
    expect((await readdir(dir)).sort()).toEqual([`.compose.yaml.harden-${process.pid}-000000000000.tmp`, 'compose.yaml']);
  });

  it('gives up after repeated collisions, leaving the target and the colliding file untouched', async () => {
    const path = join(dir, 'compose.yaml');
    await writeFile(path, 'old\n');
    await chmod(path, 0o640);
    const squatter = join(dir, `.compose.yaml.harden-${process.pid}-000000000000.tmp`);
    await writeFile(squatter, 'not ours');
    vi.mocked(randomBytes).mockImplementation((() => zeros) as never);
    try {
      await expect(writeFileAtomic(path, Buffer.from('new\n'))).rejects.toMatchObject({code: 'EEXIST'});
    } finally {
      vi.mocked(randomBytes).mockReset();
    }
    expect(await readFile(path, 'utf8')).toBe('old\n');
    expect(await modeOf(path)).toBe(0o640);
    expect(await readFile(squatter, 'utf8')).toBe('not ours');
    expect((await readdir(dir)).length).toBe(2);
  });
});

describe('readFileIfExists', () => {
  it('gives bytes and mode, or undefined for a missing file', async () => {
    const path = join(dir, 'a');
    await writeFile(path, Buffer.from([1, 2, 3]));
    await chmod(path, 0o604);
    const read = await readFileIfExists(path);
    expect(read?.bytes.equals(Buffer.from([1, 2, 3]))).toBe(true);
    expect(read?.mode).toBe(0o604);
    expect(await readFileIfExists(join(dir, 'none'))).toBeUndefined();
    expect(await readFileIfExists(join(dir, 'a', 'below-a-file'))).toBeUndefined();
  });
});

describe('sha256', () => {
  it('is lowercase hex', () => {
    expect(sha256(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
