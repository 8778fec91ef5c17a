import {mkdir, mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {looksLikePath, resolveTarget, resolveTargets} from '../../../source/runtime/targets/resolve.js';
import type {ContainerEngine} from '../../../source/runtime/ports.js';

describe('resolveTarget', () => {
  it('builds a compose service from its context, with the Dockerfile path relative to it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-resolve-'));
    await mkdir(join(dir, 'docker'));
    await writeFile(join(dir, 'docker', 'Dockerfile'), 'FROM busybox:latest\nCOPY app.sh /app.sh\n');
    await writeFile(join(dir, 'compose.yaml'), 'services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n    tmpfs: [/tmp]\n');
    const target = await resolveTarget('compose.yaml:web', dir, undefined);
    expect(target.build).toEqual({context: dir, dockerfile: 'docker/Dockerfile'});
    expect(target.mounts.map(m => m.target)).toEqual(['/tmp']);
  });

  it('names the services a file has when the one asked for is not there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-resolve-'));
    await writeFile(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: busybox:1\n');
    await expect(resolveTarget('compose.yaml:api', dir, undefined)).rejects.toThrow('compose.yaml has no service or container "api"');
  });

  it("runs a compose service with its command: the list as written, a plain string split into words", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-resolve-'));
    await writeFile(join(dir, 'compose.yaml'), 'services:\n  a:\n    image: busybox:1\n    command: ["sh", "-c", "exec sleep 1"]\n  b:\n    image: busybox:1\n    command: sleep 3600\n  c:\n    image: busybox:1\n');
    expect((await resolveTarget('compose.yaml:a', dir, undefined)).command).toEqual(['sh', '-c', 'exec sleep 1']);
    expect((await resolveTarget('compose.yaml:b', dir, undefined)).command).toEqual(['sleep', '3600']);
    expect((await resolveTarget('compose.yaml:c', dir, undefined)).command).toBeUndefined();
  });
});

describe('resolveTargets', () => {
  it('takes a compose file without :SERVICE as every service in it, labelled FILE:SERVICE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-resolve-'));
    await mkdir(join(dir, 'deploy'));
    await writeFile(join(dir, 'deploy', 'compose.yaml'), 'services:\n  web:\n    image: busybox:1\n  db:\n    image: busybox:2\n');
    const all = await resolveTargets('deploy/compose.yaml', dir, undefined);
    expect(all.wholeFile).toBe(true);
    expect(all.targets.map(t => [t.label, t.image])).toEqual([['deploy/compose.yaml:web', 'busybox:1'], ['deploy/compose.yaml:db', 'busybox:2']]);
    const one = await resolveTargets('deploy/compose.yaml:db', dir, undefined);
    expect(one).toMatchObject({wholeFile: false, targets: [{label: 'deploy/compose.yaml:db', image: 'busybox:2'}]});
    await writeFile(join(dir, 'empty.yaml'), 'services: {}\n');
    await expect(resolveTargets('empty.yaml', dir, undefined)).rejects.toThrow('empty.yaml has no service or container to verify');
  });
});

describe('a TARGET that is not a file here', () => {
  it.each([
    ['/nonexistent', true], ['./app', true], ['../app', true], ['.', true], ['~/app', true], ['app/Dockerfile', true],
    ['compose.yaml', true], ['deploy/compose.yml:web', true], ['a//b', true], ['a/../b', true],
    ['nginx', false], ['nginx:1.27', false], ['bitnami/redis:7', false], ['ghcr.io/org/app:v1', false], ['my-container', false], ['Foo:bar', false],
  ])('%s looks like a path: %s', (spec, path) => {
    expect(looksLikePath(spec)).toBe(path);
  });

  /** An engine that records the names it is asked about and has none of them. */
  function fakeEngine(asked: string[]): ContainerEngine {
    return {
      inspectImage: async (ref: string) => void asked.push(`image ${ref}`),
      inspectContainer: async (id: string) => {
        asked.push(`container ${id}`);
        throw Object.assign(new Error('no such container'), {statusCode: 404});
      },
    } as unknown as ContainerEngine;
  }

  it('names a missing path without connecting to the engine', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-resolve-'));
    const connect = () => Promise.reject(new Error('the engine must not be needed'));
    await expect(resolveTarget('/nonexistent', dir, connect)).rejects.toThrow('/nonexistent: no such file or directory');
    await expect(resolveTarget('app/Dockerfile', dir, connect)).rejects.toThrow('app/Dockerfile: no such file or directory');
    await expect(resolveTarget('Foo:bar', dir, connect)).rejects.toThrow('Foo:bar: no such file or directory, and not a name an image or container can have');
  });

  it('asks the engine only for names it can take: an image reference as an image, a container name as a container', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-resolve-'));
    const asked: string[] = [];
    await expect(resolveTarget('nginx:1.27', dir, async () => fakeEngine(asked))).rejects.toThrow('nginx:1.27: no such file, image or container');
    await expect(resolveTarget('MyApp', dir, fakeEngine(asked))).rejects.toThrow('MyApp: no such file, image or container');
    expect(asked).toEqual(['image nginx:1.27', 'container MyApp']);
  });
});
