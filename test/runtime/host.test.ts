import {describe, expect, it} from 'vitest';
import type {DockerdProcess} from '../../source/core/host/dockerd-args.js';
import type {ContainerEngine, EngineInfo} from '../../source/runtime/ports.js';
import {readHost, type HostIo} from '../../source/runtime/host.js';
import {hostFixture, infoFixture} from '../core/host/fixture.js';

/*
 * readHost over fake files and a fake engine: which files it reads for which endpoint, how
 * it decodes them, and what becomes an error. The real machine is host.docker.test.ts.
 */

function engine(endpoint: string, info: unknown = infoFixture('default')): ContainerEngine {
  const unused = () => {
    throw new Error('not used by readHost');
  };
  return {
    info: async (): Promise<EngineInfo> => ({endpoint, source: 'test', apiVersion: '1.41', serverVersion: '20.10.24', podman: false}),
    systemInfo: async () => info,
    listContainers: unused, inspectContainer: unused, inspectImage: unused, changes: unused, build: unused, pull: unused, run: unused, sweep: unused, removeImage: unused, removeBuildLayers: unused,
  };
}

const text = (value: string) => new TextEncoder().encode(value);

/** Files by path (a string, bytes, or an Error to throw) and the dockerd processes; records what was read. */
function io(files: Record<string, string | Uint8Array | Error>, processes: DockerdProcess[] = []): Partial<HostIo> & {reads: string[]} {
  const reads: string[] = [];
  return {
    reads,
    async read(path) {
      reads.push(path);
      const file = files[path];
      if (file instanceof Error) throw file;
      return typeof file === 'string' ? text(file) : file;
    },
    dockerdProcesses: async () => processes,
    hostname: () => 'this-machine',
  };
}

const debianFiles = {'/etc/os-release': hostFixture('os-release/debian-12'), '/proc/self/mountinfo': hostFixture('mountinfo/debian')};

describe('readHost', () => {
  it('reads the daemon.json the local dockerd was started with, its flags, the OS and the mounts', async () => {
    const files = io({...debianFiles, '/srv/docker/daemon.json': hostFixture('daemon/valid.json')}, [
      {pid: 10, argv: ['dockerd', '--host', 'unix:///tmp/other.sock'], uid: 0},
      {pid: 24, argv: ['/usr/bin/dockerd', '-H', 'fd://', '--config-file', '/srv/docker/daemon.json', '--userns-remap=default'], uid: 0},
    ]);
    const {facts, errors} = await readHost({engine: engine('unix:///var/run/docker.sock'), env: {DOCKER_CONTENT_TRUST: '1'}, io: files});
    expect(errors).toEqual([]);
    expect(facts.elsewhere).toBeUndefined();
    expect(facts.daemonArgs?.settings.get('userns-remap')).toBe('default');
    expect(facts.daemonConfig).toMatchObject({file: '/srv/docker/daemon.json', state: 'found'});
    expect(facts.os?.id).toBe('debian');
    expect(facts.mounts?.dataRoot?.mountPoint).toBe('/');
    expect(facts.contentTrust).toBe('1');
    expect(facts.name).toBe('build-01');
  });

  it('reads --daemon-config over everything, and falls back to /usr/lib/os-release', async () => {
    const files = io({'/usr/lib/os-release': hostFixture('os-release/flatcar'), '/proc/self/mountinfo': hostFixture('mountinfo/flatcar'), '/tmp/mine.json': '{"no-new-privileges": true}'}, [{pid: 24, argv: ['dockerd'], uid: 0}]);
    const {facts} = await readHost({engine: engine('unix:///var/run/docker.sock'), daemonConfig: '/tmp/mine.json', env: {}, io: files});
    expect(facts.daemonConfig?.settings.get('no-new-privileges')?.value).toBe(true);
    expect(facts.immutable?.name).toBe('Flatcar Container Linux');
    expect(files.reads).toEqual(['/tmp/mine.json', '/etc/os-release', '/usr/lib/os-release', '/proc/self/mountinfo']);
  });

  it('reads the rootless daemon.json under XDG_CONFIG_HOME for a rootless engine', async () => {
    const files = io(debianFiles, [{pid: 3100, argv: ['dockerd'], uid: 1000, runtimeDir: '/run/user/1000'}]);
    const {facts} = await readHost({engine: engine('unix:///run/user/1000/docker.sock', infoFixture('rootless')), env: {XDG_CONFIG_HOME: '/home/dev/.config'}, io: files});
    expect(facts.daemonConfig).toEqual({file: '/home/dev/.config/docker/daemon.json', state: 'missing', settings: new Map()});
  });

  it('reads none of this machine\'s files for an engine elsewhere', async () => {
    const files = io(debianFiles, [{pid: 24, argv: ['dockerd'], uid: 0}]);
    const {facts, errors} = await readHost({engine: engine('tcp://10.0.0.5:2376'), env: {}, io: files});
    expect(errors).toEqual([]);
    expect(facts.elsewhere).toMatch(/^the engine is reached at tcp:\/\/10.0.0.5:2376/);
    expect(files.reads).toEqual([]);
    expect(facts.daemonConfig).toBeUndefined();
    expect(facts.os).toBeUndefined();
  });

  it('treats a socket no dockerd here serves (Docker Desktop) as elsewhere', async () => {
    const files = io(debianFiles, [{pid: 24, argv: ['dockerd'], uid: 0}]);
    const {facts} = await readHost({engine: engine('unix:///home/dev/.docker/desktop/docker.sock'), env: {}, io: files});
    expect(facts.elsewhere).toMatch(/^no dockerd process on this machine serves/);
    expect(files.reads).toEqual([]);
  });

  it('without an engine reads the default daemon.json, the OS and the mounts', async () => {
    const files = io({...debianFiles, '/etc/docker/daemon.json': hostFixture('daemon/malformed.json')});
    const {facts, errors} = await readHost({env: {}, io: files});
    expect(facts.engine).toBeUndefined();
    expect(facts.name).toBe('this-machine');
    expect(facts.os?.id).toBe('debian');
    expect(errors).toEqual([{file: '/etc/docker/daemon.json', line: 5, message: expect.stringContaining('trailing comma')}]);
  });

  it('decodes UTF-16 with a BOM and keeps a UTF-8 BOM for the parser to drop', async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...'{"icc": false}'].flatMap(c => [c.charCodeAt(0), 0])]);
    const first = await readHost({env: {}, daemonConfig: '/d.json', io: io({'/d.json': utf16})});
    expect(first.errors).toEqual([]);
    expect(first.facts.daemonConfig?.settings.get('icc')?.value).toBe(false);
    const bom = await readHost({env: {}, daemonConfig: '/d.json', io: io({'/d.json': hostFixture('daemon/bom.json')})});
    expect(bom.errors).toEqual([]);
  });

  it('reports an unreadable or oversized daemon.json at line 0', async () => {
    const denied = Object.assign(new Error('EACCES: permission denied, open \'/etc/docker/daemon.json\''), {code: 'EACCES'});
    const {errors} = await readHost({env: {}, io: io({'/etc/docker/daemon.json': denied})});
    expect(errors).toEqual([{file: '/etc/docker/daemon.json', line: 0, message: 'cannot read it: permission denied (run harden as root, or as the user the daemon runs as)'}]);
    const huge = await readHost({env: {}, io: io({'/etc/docker/daemon.json': new Uint8Array(1024 * 1024 + 1)})});
    expect(huge.errors).toEqual([{file: '/etc/docker/daemon.json', line: 0, message: 'larger than 1 MiB, so not read as a daemon configuration'}]);
  });

  it('reports an engine that fails to give its settings, and goes on without it', async () => {
    const broken = {...engine('unix:///var/run/docker.sock'), systemInfo: async () => {
      throw new Error('socket hang up\nstack');
    }};
    const {facts, errors} = await readHost({engine: broken, env: {}, io: io(debianFiles)});
    expect(facts.engine).toBeUndefined();
    expect(errors[0]).toEqual({file: 'docker', line: 0, message: 'could not read the engine\'s settings: socket hang up'});
  });
});
