/**
 * `harden undo` reads `.harden/backups`, which a cloned repository can ship. Each case plants
 * a manifest an attacker could write and checks that undo refuses it whole, touches nothing
 * outside (or inside) the project, and does not suggest --force.
 */
import {chmod, mkdir, readFile, stat, symlink, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {backupId, harden, isCleanRefusal, scratch, sha256, snapshot} from './support.js';

let dirs: Awaited<ReturnType<typeof scratch>>;
beforeEach(async () => {
  dirs = await scratch();
  await writeFile(join(dirs.outside, 'victim.txt'), 'precious\n');
  await writeFile(join(dirs.project, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.25\n');
});
afterEach(() => dirs.cleanup());

interface Planted {
  file: string;
  existed: boolean;
  original?: string;
  mode?: number;
  after: string;
}

/** Writes `.harden/backups/<id>` as harden would, with whatever entries the attacker chose. */
async function plant(entries: Planted[], id = backupId(new Date('2026-01-01T00:00:00Z')), extra: Record<string, unknown> = {}): Promise<string> {
  const dir = join(dirs.project, '.harden', 'backups', id);
  await mkdir(dir, {recursive: true});
  const files = [];
  for (const [index, entry] of entries.entries()) {
    if (!entry.existed) {
      files.push({file: entry.file, existed: false, sha256After: sha256(entry.after)});
      continue;
    }
    const backup = `${String(index).padStart(3, '0')}-copy.orig`;
    await writeFile(join(dir, backup), entry.original!);
    files.push({file: entry.file, existed: true, backup, mode: entry.mode ?? 0o644, sha256Before: sha256(entry.original!), sha256After: sha256(entry.after)});
  }
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({id, createdAt: '2026-01-01T00:00:00.000Z', tool: {name: 'harden-wizard', version: '1.0.0'}, cwd: dirs.project, files, ...extra}));
  return id;
}

/** The project apart from harden's own bookkeeping (.harden/tmp and .gitignore, made when the lock is taken). */
const bookkeeping = (rel: string) => rel === '.harden/tmp' || rel === '.harden/.gitignore';
const unchanged = async () => ({outside: await snapshot(dirs.outside), project: await snapshot(dirs.project, bookkeeping)});

describe('harden undo with a planted manifest', () => {
  const outsideCases: Array<[string, () => Planted]> = [
    ['a ../ path that would delete a file outside', () => ({file: '../outside/victim.txt', existed: false, after: 'precious\n'})],
    ['an absolute path that would overwrite a file outside', () => ({file: join(dirs.outside, 'victim.txt'), existed: true, original: 'pwned\n', after: 'precious\n'})],
    ['a path that climbs out midway', () => ({file: 'sub/../../outside/victim.txt', existed: true, original: 'pwned\n', after: 'precious\n'})],
    ['a path into .harden itself', () => ({file: '.harden/lock', existed: true, original: 'x', after: 'y'})],
    ['a backslash path', () => ({file: '..\\outside\\victim.txt', existed: false, after: 'precious\n'})],
    ['a control character in the name', () => ({file: 'a\u001b]52;c;evil\u0007', existed: false, after: 'x'})],
  ];

  for (const [name, entry] of outsideCases) {
    for (const force of [false, true]) {
      it(`refuses ${name}${force ? ', with --force too' : ''}: nothing touched, no --force offered`, async () => {
        await plant([{file: 'compose.yaml', existed: true, original: 'services: {}\n', after: 'services:\n  web:\n    image: nginx:1.25\n'}, entry()]);
        const before = await unchanged();
        const result = await harden(force ? ['undo', '--force'] : ['undo'], dirs.project);
        expect(isCleanRefusal(result), result.stderr).toBe(true);
        expect(result.stderr).toMatch(/^harden: backup \S+ was not made by harden: it names .*; nothing was restored\n/);
        expect(result.stderr).not.toContain('--force');
        expect(result.stderr).not.toMatch(/\u001b/);
        expect(await unchanged()).toEqual(before);
        expect(await readFile(join(dirs.outside, 'victim.txt'), 'utf8')).toBe('precious\n');
      });
    }
  }

  it('refuses a path through a linked folder that leaves the project, even with --force', async () => {
    await symlink(dirs.outside, join(dirs.project, 'linked'));
    await plant([{file: 'linked/victim.txt', existed: true, original: 'pwned\n', after: 'precious\n'}]);
    const before = await unchanged();
    const result = await harden(['undo', '--force'], dirs.project);
    expect(isCleanRefusal(result), result.stderr).toBe(true);
    expect(result.stderr).toMatch(/^harden: linked is a symbolic link; harden follows no link here\n/);
    expect(await unchanged()).toEqual(before);
  });

  it('refuses a path through a linked folder even when the link stays inside: undo writes through no link', async () => {
    await mkdir(join(dirs.project, 'real'));
    await writeFile(join(dirs.project, 'real', 'app.yaml'), 'mine\n');
    await symlink('real', join(dirs.project, 'alias'));
    await plant([{file: 'alias/app.yaml', existed: true, original: 'theirs\n', after: 'mine\n'}]);
    const result = await harden(['undo'], dirs.project);
    expect(isCleanRefusal(result), result.stderr).toBe(true);
    expect(await readFile(join(dirs.project, 'real', 'app.yaml'), 'utf8')).toBe('mine\n');
  });

  it('never restores set-id or sticky bits: a forced restore into a new folder gets 0777 at most', async () => {
    await plant([{file: 'newdir/tool', existed: true, original: '#!/bin/sh\nid\n', mode: 0o7777, after: 'whatever'}]);
    const listed = await harden(['undo', '--list'], dirs.project);
    expect(listed.stdout).toContain('restore newdir/tool (deleted since the fix: needs --force)');
    const result = await harden(['undo', '--force'], dirs.project);
    expect(result, result.stderr).toMatchObject({code: 0, stdout: 'restored newdir/tool\n'});
    expect((await stat(join(dirs.project, 'newdir', 'tool'))).mode & 0o7777).toBe(0o777);
  });

  it('a damaged older backup does not block undoing the newest one', async () => {
    const original = await readFile(join(dirs.project, 'compose.yaml'), 'utf8');
    const fixed = await harden(['fix', '--yes'], dirs.project);
    expect(fixed.code, fixed.stderr).toBe(0);
    const old = backupId(new Date('2025-01-01T00:00:00Z'));
    await mkdir(join(dirs.project, '.harden', 'backups', old));
    await writeFile(join(dirs.project, '.harden', 'backups', old, 'manifest.json'), '{"id": "broken');
    const listed = await harden(['undo', '--list'], dirs.project);
    expect(listed.stdout).toContain(`older backup ${old} cannot be used: backup ${old} is damaged`);
    const result = await harden(['undo'], dirs.project);
    expect(result, result.stderr).toMatchObject({code: 0, stdout: 'restored compose.yaml\n'});
    expect(await readFile(join(dirs.project, 'compose.yaml'), 'utf8')).toBe(original);
  });

  it('a damaged newest backup is refused with a way out that is not --force', async () => {
    await plant([{file: 'compose.yaml', existed: true, original: 'x', after: 'y'}]);
    const id = backupId(new Date('2026-02-01T00:00:00Z'));
    await mkdir(join(dirs.project, '.harden', 'backups', id));
    await writeFile(join(dirs.project, '.harden', 'backups', id, 'manifest.json'), '[]');
    const result = await harden(['undo', '--force'], dirs.project);
    expect(isCleanRefusal(result), result.stderr).toBe(true);
    expect(result.stderr).toContain(`backup ${id} is damaged`);
    expect(result.stderr).not.toContain('--force');
  });

  it('a copy that is a link out of the backup folder is damaged, not followed', async () => {
    const id = await plant([{file: 'compose.yaml', existed: true, original: 'services: {}\n', after: 'services:\n  web:\n    image: nginx:1.25\n'}]);
    const copy = join(dirs.project, '.harden', 'backups', id, '000-copy.orig');
    await writeFile(join(dirs.outside, 'secret'), 'services: {}\n');
    await chmod(join(dirs.outside, 'secret'), 0o600);
    const {rm} = await import('node:fs/promises');
    await rm(copy);
    await symlink(join(dirs.outside, 'secret'), copy);
    const result = await harden(['undo'], dirs.project);
    expect(isCleanRefusal(result), result.stderr).toBe(true);
    expect(result.stderr).toMatch(/damaged: cannot read the copy of compose\.yaml/);
    expect(await readFile(join(dirs.project, 'compose.yaml'), 'utf8')).toContain('nginx');
  });

  it('.harden that is a link, or a file, is a one-line error for fix and undo', async () => {
    await symlink(dirs.outside, join(dirs.project, '.harden'));
    for (const args of [['fix', '--yes'], ['undo']]) {
      const result = await harden(args, dirs.project);
      expect(isCleanRefusal(result), `${args.join(' ')}: ${result.stderr}`).toBe(true);
    }
    expect(await snapshot(dirs.outside)).toEqual({'victim.txt': expect.any(String)});
    const {rm} = await import('node:fs/promises');
    await rm(join(dirs.project, '.harden'));
    await writeFile(join(dirs.project, '.harden'), 'not a folder\n');
    const fixed = await harden(['fix', '--yes'], dirs.project);
    expect(isCleanRefusal(fixed), fixed.stderr).toBe(true);
    expect(fixed.stderr).toMatch(/^harden: \.harden is a file, not a directory/);
    const undone = await harden(['undo'], dirs.project);
    expect(undone.code).toBe(2);
    expect(undone.stderr).not.toMatch(/ENOTDIR|internal error/);
  });
});

/*
 * createdDirs names the folders a fix created, which undo removes when empty. From a planted
 * manifest it could aim at any folder: each entry must be a plain project path, outside
 * .harden, the parent of a file the fix created; undo follows no link to it and never
 * deletes anything but an empty folder.
 */
describe('harden undo with planted createdDirs', () => {
  const id = backupId(new Date('2026-01-01T00:00:00Z'));
  const created: Planted = {file: 'falco/rules.yaml', existed: false, after: 'rules\n'};

  async function plantCreated(createdDirs: unknown, entries: Planted[] = [created]): Promise<void> {
    await mkdir(join(dirs.project, 'falco'), {recursive: true});
    for (const entry of entries) if (!entry.existed) await writeFile(join(dirs.project, entry.file), entry.after);
    await plant(entries, id, {createdDirs});
  }

  const foreign: Array<[string, unknown, RegExp]> = [
    ['a ../ folder', ['falco', '..'], /was not made by harden: it names the folder \.\., which/],
    ['a folder outside through ..', ['falco/../../outside'], /was not made by harden: it names the folder/],
    ['an absolute folder', () => [join(dirs.outside)], /was not made by harden: it names the folder/],
    ['.harden itself', ['.harden'], /was not made by harden: it names the folder \.harden, which is inside \.harden/],
    ['a folder that holds no created file', ['falco', 'src'], /was not made by harden: it names the folder src, which holds no file the fix created/],
    ['a control character', ['falco\u001b[2J'], /was not made by harden: it names the folder falco\\x1b\[2J/],
  ];
  for (const [name, createdDirs, message] of foreign) {
    it(`refuses the whole backup for ${name}, with --force too`, async () => {
      await mkdir(join(dirs.project, 'src'));
      await plantCreated(typeof createdDirs === 'function' ? (createdDirs as () => unknown)() : createdDirs);
      const before = await unchanged();
      for (const args of [['undo'], ['undo', '--force']]) {
        const result = await harden(args, dirs.project);
        expect(isCleanRefusal(result), result.stderr).toBe(true);
        expect(result.stderr).toMatch(message);
        expect(result.stderr).not.toContain('--force');
        expect(result.stderr).not.toMatch(/\u001b/);
      }
      expect(await unchanged()).toEqual(before);
    });
  }

  it.each([
    ['not a list', 'falco'],
    ['an empty list', []],
    ['a folder that is not a name', [7]],
    ['a folder twice', ['falco', 'falco']],
  ])('refuses a createdDirs that is %s as damaged', async (_name, createdDirs) => {
    await plantCreated(createdDirs);
    const before = await unchanged();
    const result = await harden(['undo', '--force'], dirs.project);
    expect(isCleanRefusal(result), result.stderr).toBe(true);
    expect(result.stderr).toMatch(/^harden: backup \S+ is damaged: /);
    expect(await unchanged()).toEqual(before);
  });

  it('refuses a folder reached through a link out of the project before touching anything', async () => {
    await mkdir(join(dirs.outside, 'empty'));
    await symlink(dirs.outside, join(dirs.project, 'linked'));
    await plant([{file: 'compose.yaml', existed: true, original: 'services: {}\n', after: 'services:\n  web:\n    image: nginx:1.25\n'}, {file: 'linked/empty/x', existed: false, after: 'x'}], id, {createdDirs: ['linked/empty']});
    const before = await unchanged();
    const outside = await snapshot(dirs.outside);
    const result = await harden(['undo', '--force'], dirs.project);
    expect(isCleanRefusal(result), result.stderr).toBe(true);
    expect(result.stderr).toMatch(/linked is a symbolic link/);
    expect(await unchanged()).toEqual(before);
    expect(await snapshot(dirs.outside)).toEqual(outside);
  });

  it('removes a listed folder only when it is empty: what someone put there stays', async () => {
    await plantCreated(['falco']);
    await writeFile(join(dirs.project, 'falco', 'mine.yaml'), 'my own rules\n');
    const result = await harden(['undo'], dirs.project);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('removed falco/rules.yaml\n');
    expect(await readFile(join(dirs.project, 'falco', 'mine.yaml'), 'utf8')).toBe('my own rules\n');
  });

  it('removes a listed folder that is empty once its files are gone, and no other', async () => {
    await mkdir(join(dirs.project, 'keep'));
    await plantCreated(['falco']);
    const result = await harden(['undo'], dirs.project);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('removed falco/rules.yaml\nremoved falco/\n');
    expect(Object.keys(await snapshot(dirs.project, rel => rel.startsWith('.harden'))).sort()).toEqual(['compose.yaml', 'keep']);
  });

  it('still undoes a backup written before createdDirs existed, leaving its folders', async () => {
    await plantCreated(undefined);
    const result = await harden(['undo'], dirs.project);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('removed falco/rules.yaml\n');
    expect((await stat(join(dirs.project, 'falco'))).isDirectory()).toBe(true);
  });
});
