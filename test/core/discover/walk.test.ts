import {chmod, mkdir, mkdtemp, realpath, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {discover, displayPath} from '../../../source/core/discover/walk.js';
import {nodeFileSystem} from '../../../source/runtime/fs/node-fs.js';

// Real directories: symbolic links, loops and permissions are what this code is about.
let base: string;
let root: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'harden-discover-')));
  root = join(base, 'project');
  await mkdir(root);
});

afterEach(async () => {
  await chmod(base, 0o700).catch(() => undefined);
  await rm(base, {recursive: true, force: true});
});

async function files(tree: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(tree)) {
    await mkdir(dirname(join(root, path)), {recursive: true});
    await writeFile(join(root, path), text);
  }
}

async function found(roots: string[] = ['.'], cwd = root) {
  const result = await discover(nodeFileSystem, roots, cwd);
  return {files: result.files.map(f => [f.file, f.type]), errors: result.errors};
}

describe('discover', () => {
  it('finds Dockerfiles, compose files and YAML by name, sorted, and skips vendored trees', async () => {
    await files({
      'Dockerfile': 'FROM a',
      'compose.yaml': 'services: {}',
      'README.md': '#',
      'api/api.Dockerfile': 'FROM a',
      'api/Dockerfile.dockerignore': 'x',
      'deploy/k8s.yml': 'kind: Pod',
      'deploy/composer.yaml': 'x: 1',
      'node_modules/pkg/Dockerfile': 'FROM a',
      '.git/Dockerfile': 'FROM a',
      'vendor/lib/compose.yaml': 'services: {}',
      'web/sub/docker-compose.prod.yml': 'services: {}',
    });
    expect(await found()).toEqual({
      files: [
        ['Dockerfile', 'dockerfile'],
        ['api/api.Dockerfile', 'dockerfile'],
        ['compose.yaml', 'compose'],
        ['deploy/composer.yaml', 'yaml'],
        ['deploy/k8s.yml', 'yaml'],
        ['web/sub/docker-compose.prod.yml', 'compose'],
      ],
      errors: [],
    });
  });

  it('gives absolute host paths and display paths relative to cwd', async () => {
    await files({'svc/Dockerfile': 'FROM a'});
    const result = await discover(nodeFileSystem, ['project/svc'], base);
    expect(result.files).toEqual([{path: join(root, 'svc', 'Dockerfile'), file: 'project/svc/Dockerfile', type: 'dockerfile'}]);
  });

  it('follows a symlink to a directory inside the root once', async () => {
    await files({'app/Dockerfile': 'FROM a'});
    await symlink(join(root, 'app'), join(root, 'zz-link'));
    expect(await found()).toEqual({files: [['app/Dockerfile', 'dockerfile']], errors: []});
  });

  it('follows a relative symlink inside the root; the file is listed once, under the first path in name order', async () => {
    await files({'real/nested/Dockerfile': 'FROM a', 'other/.keep': ''});
    await symlink('../real', join(root, 'other', 'link'));
    // `other/link` sorts before `real`, so the file is reached, and shown, through the link.
    expect(await found()).toEqual({files: [['other/link/nested/Dockerfile', 'dockerfile']], errors: []});
  });

  it('does not follow a symlink out of the walked root, even into the same project', async () => {
    await files({'real/Dockerfile': 'FROM a', 'other/.keep': ''});
    await symlink('../real', join(root, 'other', 'link'));
    expect(await found(['other'])).toEqual({files: [], errors: []});
  });

  it('does not follow a symlink that points outside the root', async () => {
    await files({'Dockerfile': 'FROM a'});
    await mkdir(join(base, 'outside'));
    await writeFile(join(base, 'outside', 'Dockerfile'), 'FROM a');
    await writeFile(join(base, 'outside', 'compose.yaml'), 'services: {}');
    await symlink(join(base, 'outside'), join(root, 'out-dir'));
    await symlink(join(base, 'outside', 'compose.yaml'), join(root, 'compose.yaml'));
    expect(await found()).toEqual({files: [['Dockerfile', 'dockerfile']], errors: []});
  });

  it('ends a symlink loop', async () => {
    await files({'a/b/Dockerfile': 'FROM a'});
    await symlink(root, join(root, 'a', 'b', 'to-root'));
    await symlink('..', join(root, 'a', 'up'));
    await symlink(join(root, 'loop2'), join(root, 'loop1'));
    await symlink(join(root, 'loop1'), join(root, 'loop2'));
    expect(await found()).toEqual({files: [['a/b/Dockerfile', 'dockerfile']], errors: []});
  });

  it('ignores a dangling symlink', async () => {
    await files({'Dockerfile': 'FROM a'});
    await symlink(join(root, 'missing'), join(root, 'Dockerfile.gone'));
    expect(await found()).toEqual({files: [['Dockerfile', 'dockerfile']], errors: []});
  });

  it('lists a file once when roots overlap or a link names it twice', async () => {
    await files({'svc/Dockerfile': 'FROM a'});
    await symlink(join(root, 'svc', 'Dockerfile'), join(root, 'svc', 'Dockerfile.same'));
    expect(await found(['.', 'svc', 'svc/Dockerfile'])).toEqual({files: [['svc/Dockerfile', 'dockerfile']], errors: []});
  });

  it.each([
    ['build.conf', 'dockerfile'],
    ['manifest.json', 'yaml'],
    ['deploy.yaml', 'yaml'],
    ['docker-compose.yml', 'compose'],
    ['Dockerfile.template', 'dockerfile'],
  ])('classifies a file given as a root explicitly: %s -> %s', async (name, type) => {
    await files({[name]: 'x'});
    expect(await found([name])).toEqual({files: [[name, type]], errors: []});
  });

  it('reports a missing root as an error on line 0 and goes on with the others', async () => {
    await files({'Dockerfile': 'FROM a'});
    expect(await found(['nope', '.'])).toEqual({
      files: [['Dockerfile', 'dockerfile']],
      errors: [{file: 'nope', line: 0, message: 'cannot read: no such file or directory; check the path'}],
    });
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable directory and goes on (skipped as root: root reads any directory)', async () => {
    await files({'Dockerfile': 'FROM a', 'locked/Dockerfile': 'FROM a'});
    await chmod(join(root, 'locked'), 0o000);
    try {
      expect(await found()).toEqual({
        files: [['Dockerfile', 'dockerfile']],
        errors: [{file: 'locked', line: 0, message: 'cannot list directory: permission denied'}],
      });
    } finally {
      await chmod(join(root, 'locked'), 0o700);
    }
  });
});

describe('displayPath', () => {
  it.each([
    ['/w', '/w/a/Dockerfile', 'a/Dockerfile'],
    ['/w/x', '/w/a/Dockerfile', '../a/Dockerfile'],
    ['/w/Dockerfile', '/w/Dockerfile', 'Dockerfile'],
  ])('from %s, %s is %s', (cwd, path, expected) => {
    expect(displayPath(cwd, path)).toBe(expected);
  });
});
