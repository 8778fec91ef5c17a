import {describe, expect, it} from 'vitest';
import {daemonSockets, dockerdServing, parseDaemonArgs} from '../../../source/core/host/dockerd-args.js';

describe('parseDaemonArgs', () => {
  it('reads the flag forms pflag accepts', () => {
    const args = parseDaemonArgs(['/usr/bin/dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock', '--no-new-privileges', '--live-restore=false', '--userns-remap', 'default', '-Hunix:///tmp/x.sock', '--data-root=/srv/docker', '--config-file', '/etc/docker/custom.json']);
    expect(Object.fromEntries(args.settings)).toEqual({
      host: 'unix:///tmp/x.sock',
      containerd: '/run/containerd/containerd.sock',
      'no-new-privileges': true,
      'live-restore': false,
      'userns-remap': 'default',
      'data-root': '/srv/docker',
      'config-file': '/etc/docker/custom.json',
    });
    expect(args.hosts).toEqual(['fd://', 'unix:///tmp/x.sock']);
    expect(args.configFile).toBe('/etc/docker/custom.json');
  });

  it('reads Go booleans (1, t, TRUE, 0, f) and keeps other values as text', () => {
    const args = parseDaemonArgs(['--no-new-privileges=1', '--live-restore=F', '--icc=TRUE', '--log-level=warn']);
    expect(Object.fromEntries(args.settings)).toEqual({'no-new-privileges': true, 'live-restore': false, icc: true, 'log-level': 'warn'});
  });

  it('maps old names and short flags: -g and --graph are --data-root, -H is --host, -D is --debug', () => {
    expect(parseDaemonArgs(['dockerd', '-g', '/old']).settings.get('data-root')).toBe('/old');
    expect(parseDaemonArgs(['dockerd', '--graph=/older']).settings.get('data-root')).toBe('/older');
    expect(parseDaemonArgs(['dockerd', '-D', '-H=tcp://0.0.0.0:2376']).settings).toEqual(new Map<string, string | boolean>([['debug', true], ['host', 'tcp://0.0.0.0:2376']]));
  });

  it('ends at "--" and ignores stray words', () => {
    expect(parseDaemonArgs(['dockerd', 'stray', '--icc', '--', '--no-new-privileges']).settings).toEqual(new Map([['icc', true]]));
    expect(parseDaemonArgs([])).toEqual({settings: new Map(), hosts: []});
  });
});

describe('dockerdServing', () => {
  const systemd = {pid: 812, argv: ['/usr/bin/dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock'], uid: 0};
  const plain = {pid: 24, argv: ['dockerd', '--bridge=none'], uid: 0};
  const second = {pid: 4242, argv: ['dockerd', '--no-new-privileges', '--host', 'unix:///tmp/h/docker.sock', '--data-root', '/tmp/h/root'], uid: 0};
  const rootless = {pid: 3100, argv: ['dockerd'], uid: 1000, runtimeDir: '/run/user/1000'};

  it('matches a daemon without -H to the default socket, /var/run and /run being one', () => {
    expect(dockerdServing([second, plain], 'unix:///var/run/docker.sock')?.pid).toBe(24);
    expect(dockerdServing([plain], 'unix:///run/docker.sock')?.pid).toBe(24);
  });

  it('matches -H fd:// (systemd socket activation) to /run/docker.sock', () => {
    expect(dockerdServing([systemd], 'unix:///var/run/docker.sock')?.pid).toBe(812);
  });

  it('matches an explicit --host, and returns the parsed arguments', () => {
    const found = dockerdServing([plain, second], 'unix:///tmp/h/docker.sock');
    expect(found?.pid).toBe(4242);
    expect(found?.args.settings.get('no-new-privileges')).toBe(true);
  });

  it('matches a rootless daemon by its XDG_RUNTIME_DIR, and not the rootful default', () => {
    expect(dockerdServing([rootless], 'unix:///run/user/1000/docker.sock')?.pid).toBe(3100);
    expect(dockerdServing([rootless], 'unix:///var/run/docker.sock')).toBeUndefined();
    expect(daemonSockets({pid: 3100, argv: ['dockerd'], uid: 1000})).toEqual([]);
  });

  it('finds nothing for tcp:// or ssh:// endpoints, or when no daemon serves the socket', () => {
    expect(dockerdServing([plain], 'tcp://127.0.0.1:2375')).toBeUndefined();
    expect(dockerdServing([plain], 'ssh://user@host')).toBeUndefined();
    expect(dockerdServing([plain], 'unix:///home/dev/.docker/desktop/docker.sock')).toBeUndefined();
    expect(dockerdServing([], 'unix:///var/run/docker.sock')).toBeUndefined();
  });
});
