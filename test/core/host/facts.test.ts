import {describe, expect, it} from 'vitest';
import {engineSettings} from '../../../source/core/host/docker-info.js';
import {hostFacts, hostTarget, locateDaemon} from '../../../source/core/host/facts.js';
import {parseDaemonArgs} from '../../../source/core/host/dockerd-args.js';
import {hostFixture, infoFixture} from './fixture.js';

describe('engineSettings', () => {
  it('reads a default Docker 20.10 engine', () => {
    expect(engineSettings(infoFixture('default'))).toEqual({
      serverVersion: '20.10.24+dfsg1',
      operatingSystem: 'Debian GNU/Linux 12 (bookworm)',
      dockerRootDir: '/var/lib/docker',
      liveRestore: false,
      securityOptions: ['name=seccomp,profile=default'],
      rootless: false,
      userns: false,
      swarm: false,
      name: 'build-01',
    });
  });

  it('reads rootless and userns-remap engines from SecurityOptions', () => {
    expect(engineSettings(infoFixture('rootless'))).toMatchObject({rootless: true, userns: false, dockerRootDir: '/home/dev/.local/share/docker'});
    expect(engineSettings(infoFixture('userns'))).toMatchObject({rootless: false, userns: true, liveRestore: true, dockerRootDir: '/var/lib/docker/100000.100000'});
  });

  it('reads missing or mistyped fields as neutral values, and refuses what is not an object', () => {
    expect(engineSettings({SecurityOptions: null, LiveRestoreEnabled: 'yes', Swarm: {LocalNodeState: 'active'}})).toEqual({
      serverVersion: '', operatingSystem: '', dockerRootDir: '', liveRestore: false, securityOptions: [], rootless: false, userns: false, swarm: true, name: '',
    });
    expect(engineSettings([])).toEqual({error: expect.stringContaining('not a JSON object')});
    expect(engineSettings('text')).toHaveProperty('error');
  });
});

describe('locateDaemon', () => {
  const plain = {pid: 24, argv: ['dockerd'], uid: 0};

  it('finds the dockerd behind a local socket', () => {
    expect(locateDaemon('unix:///var/run/docker.sock', [plain])).toMatchObject({dockerd: {pid: 24}});
  });

  it('says why the files here are not the engine host\'s', () => {
    expect(locateDaemon('tcp://10.0.0.5:2376', [plain])).toEqual({elsewhere: expect.stringMatching(/^the engine is reached at tcp:\/\/10.0.0.5:2376, so it runs on another machine/)});
    expect(locateDaemon('unix:///home/dev/.docker/desktop/docker.sock', [plain])).toEqual({elsewhere: expect.stringMatching(/^no dockerd process on this machine serves unix:\/\/\/home\/dev\/.docker\/desktop\/docker.sock \(the engine runs in a VM such as Docker Desktop's/)});
  });
});

describe('hostFacts', () => {
  it('makes facts of a general-purpose host with a default engine', () => {
    const {facts, errors} = hostFacts({
      hostname: 'local-name',
      engine: {endpoint: 'unix:///var/run/docker.sock', info: infoFixture('default')},
      daemonArgs: parseDaemonArgs(['dockerd']),
      daemonJson: {file: '/etc/docker/daemon.json', missing: true},
      osRelease: hostFixture('os-release/debian-12'),
      mountinfo: hostFixture('mountinfo/debian'),
    });
    expect(errors).toEqual([]);
    expect(facts.name).toBe('build-01');
    expect(facts.endpoint).toBe('unix:///var/run/docker.sock');
    expect(facts.daemonConfig).toEqual({file: '/etc/docker/daemon.json', state: 'missing', settings: new Map()});
    expect(facts.os?.id).toBe('debian');
    expect(facts.immutable).toBeUndefined();
    expect(facts.mounts?.root.source).toBe('/dev/sda1');
    expect(facts.mounts?.dataRoot?.mountPoint).toBe('/');
    expect(facts.mounts?.usr).toBeUndefined();
    expect(facts.contentTrust).toBeUndefined();
  });

  it('recognises an immutable host from os-release (Flatcar) and from the mount table alone (Fedora CoreOS)', () => {
    const flatcar = hostFacts({hostname: 'node', osRelease: hostFixture('os-release/flatcar'), mountinfo: hostFixture('mountinfo/flatcar')}).facts;
    expect(flatcar.immutable?.name).toBe('Flatcar Container Linux');
    expect(flatcar.mounts?.usr).toMatchObject({readOnly: true});
    const fcos = hostFacts({hostname: 'node', mountinfo: hostFixture('mountinfo/fedora-coreos')}).facts;
    expect(fcos.immutable?.name).toBe('This system (an OSTree deployment)');
  });

  it('uses docker info for the OS of an engine elsewhere, and never this machine\'s files', () => {
    const info = {...infoFixture('default'), OperatingSystem: 'Flatcar Container Linux by Kinvolk 3815.2.0 (Oklo)'};
    const {facts} = hostFacts({hostname: 'laptop', engine: {endpoint: 'tcp://10.0.0.5:2376', info}, elsewhere: 'remote', osRelease: hostFixture('os-release/debian-12')});
    expect(facts.elsewhere).toBe('remote');
    expect(facts.immutable?.name).toBe('Flatcar Container Linux');
    const plain = hostFacts({hostname: 'laptop', engine: {endpoint: 'tcp://10.0.0.5:2376', info: infoFixture('default')}, elsewhere: 'remote', mountinfo: hostFixture('mountinfo/fedora-coreos')}).facts;
    expect(plain.immutable).toBeUndefined();
  });

  it('turns unreadable parts into located errors', () => {
    const {facts, errors} = hostFacts({
      hostname: 'node',
      engine: {endpoint: 'unix:///var/run/docker.sock', info: 'not json'},
      daemonJson: {file: '/etc/docker/daemon.json', error: 'cannot read it: permission denied'},
    });
    expect(facts.engine).toBeUndefined();
    expect(facts.name).toBe('node');
    expect(facts.daemonConfig?.state).toBe('invalid');
    expect(errors).toEqual([
      {file: 'docker', line: 0, message: 'the engine\'s /info answer is not a JSON object'},
      {file: '/etc/docker/daemon.json', line: 0, message: 'cannot read it: permission denied'},
    ]);
    const malformed = hostFacts({hostname: 'node', daemonJson: {file: '/etc/docker/daemon.json', text: hostFixture('daemon/malformed.json')}});
    expect(malformed.errors).toEqual([expect.objectContaining({file: '/etc/docker/daemon.json', line: 5})]);
  });

  it('leaves the mounts out when the table has no /', () => {
    expect(hostFacts({hostname: 'node', mountinfo: 'garbage\n'}).facts.mounts).toBeUndefined();
  });

  it('names the target after the host', () => {
    expect(hostTarget({name: 'build-01'})).toEqual({id: 'host:host:build-01#build-01', kind: 'host', file: 'host:build-01', name: 'build-01', line: 0});
  });
});
