import {mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {extract} from 'tar-stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {contextEntries, packContext} from '../../../source/runtime/docker/build-context.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'harden-context-'));
});
afterEach(async () => {
  await rm(dir, {recursive: true, force: true});
});

async function files(entries: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(entries)) {
    await mkdir(join(dir, path, '..'), {recursive: true});
    await writeFile(join(dir, path), text);
  }
}

describe('contextEntries', () => {
  it('sends everything, sorted, directories before their files, when there is no .dockerignore', async () => {
    await files({Dockerfile: 'FROM x', 'src/b.js': '', 'src/a.js': '', 'README.md': ''});
    expect(await contextEntries(dir, 'Dockerfile')).toEqual(['Dockerfile', 'README.md', 'src', 'src/a.js', 'src/b.js']);
  });

  it('leaves out what .dockerignore excludes, keeps exceptions, and always sends the Dockerfile and .dockerignore', async () => {
    await files({
      '.dockerignore': '# comment\n.git\nnode_modules\n*.env\n!keep.env\nDockerfile\n.dockerignore\nbuild/**\n!build/dist\n',
      Dockerfile: 'FROM x',
      '.git/HEAD': '',
      'node_modules/a/index.js': '',
      'secret.env': '',
      'keep.env': '',
      'app.js': '',
      'build/tmp/x.o': '',
      'build/dist/app.js': '',
    });
    expect(await contextEntries(dir, 'Dockerfile')).toEqual([
      '.dockerignore',
      'Dockerfile',
      'app.js',
      'build', // `build/**` matches what is in build, not build itself: the engine's rule too
      'build/dist',
      'build/dist/app.js',
      'keep.env',
    ]);
  });

  it('sends a Dockerfile in an excluded directory', async () => {
    await files({'.dockerignore': 'docker\n', 'docker/app.Dockerfile': 'FROM x', 'docker/other': '', 'a.txt': ''});
    expect(await contextEntries(dir, './docker/app.Dockerfile')).toEqual(['.dockerignore', 'a.txt', 'docker/app.Dockerfile']);
  });

  it('keeps a symbolic link as a link, without following it', async () => {
    await files({Dockerfile: 'FROM x', 'real/file': ''});
    await symlink('real', join(dir, 'link'));
    expect(await contextEntries(dir, 'Dockerfile')).toEqual(['Dockerfile', 'link', 'real', 'real/file']);
  });

  it('rejects a missing Dockerfile and one outside the context', async () => {
    await expect(contextEntries(dir, 'Dockerfile')).rejects.toThrow(`no Dockerfile at ${join(dir, 'Dockerfile')}`);
    await expect(contextEntries(dir, '../Dockerfile')).rejects.toThrow(/outside the build context/);
  });
});

describe('packContext', () => {
  it('packs exactly the entries given, without recursing into listed directories', async () => {
    await files({Dockerfile: 'FROM x', 'src/a.js': 'a', 'src/b.js': 'b'});
    const names: string[] = [];
    const tar = extract();
    tar.on('entry', (header, stream, next) => {
      names.push(`${header.type} ${header.name}`);
      stream.on('end', next);
      stream.resume();
    });
    await new Promise((resolve, reject) => {
      tar.on('finish', resolve);
      tar.on('error', reject);
      packContext(dir, ['Dockerfile', 'src', 'src/a.js']).pipe(tar);
    });
    expect(names).toEqual(['file Dockerfile', 'directory src', 'file src/a.js']);
  });
});
