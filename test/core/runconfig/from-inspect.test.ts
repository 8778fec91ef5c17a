import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import type {FileChangeFact} from '../../../source/core/model/facts.js';
import {dockerRunArgs, runConfigFromInspect, type RunConfig} from '../../../source/core/runconfig/index.js';

type Doc = Record<string, Record<string, unknown>>;

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Doc[];
const nginx = () => read('test/fixtures/inspect/nginx-plain.json');
const nginxImage = read('test/fixtures/inspect/nginx-image.json');

/** nginx-plain with `edit` applied to its inspect document. */
function container(edit: (doc: Doc) => void = () => {}): Doc[] {
  const inspect = nginx();
  edit(inspect[0]!);
  return inspect;
}

function build(inspect: unknown, changes: FileChangeFact[] = [], image?: unknown, options = {}): RunConfig {
  const result = runConfigFromInspect(inspect, changes, image, options);
  if ('error' in result) throw new Error(result.error);
  return result;
}

const added = (...paths: string[]): FileChangeFact[] => paths.map(path => ({path, kind: 'added'}));

describe('runConfigFromInspect', () => {
  it('refuses what is not a container', () => {
    expect(runConfigFromInspect({}, [])).toEqual({error: 'not a container inspect document: it has no "Id"'});
    expect(runConfigFromInspect('x', [])).toHaveProperty('error');
    expect(runConfigFromInspect(container(doc => {
      doc['Config']!['Image'] = '';
      (doc as Record<string, unknown>)['Image'] = '';
    }), [])).toEqual({error: 'container web has no image reference (Config.Image)'});
  });

  it('keeps the image reference as the user typed it, and the name unless another is asked for', () => {
    expect(build(nginx())).toMatchObject({name: 'web', image: 'nginx:1.27', readOnly: true, noNewPrivileges: true});
    expect(build(nginx(), [], undefined, {name: 'web-hardened'}).name).toBe('web-hardened');
  });

  it('with the image known, keeps only the command, entrypoint, environment, workdir and labels that differ from it', () => {
    const same = build(nginx(), [], nginxImage);
    expect(same).not.toHaveProperty('command');
    expect(same).not.toHaveProperty('entrypoint');
    expect(same.env).toEqual([]);
    expect(same.labels).toEqual([{name: 'harden-wizard.generated', value: 'true'}]);
    const changed = build(container(doc => {
      doc['Config']!['Cmd'] = ['nginx', '-g', 'daemon off; worker_processes 2;'];
      doc['Config']!['Env'] = [...(doc['Config']!['Env'] as string[]), 'NGINX_VERSION=1.27.4', 'TZ=UTC'];
      doc['Config']!['WorkingDir'] = '/srv';
    }), [], nginxImage);
    expect(changed.command).toEqual(['nginx', '-g', 'daemon off; worker_processes 2;']);
    expect(changed).not.toHaveProperty('entrypoint');
    expect(changed.env).toEqual([{name: 'NGINX_VERSION', value: '1.27.4'}, {name: 'TZ', value: 'UTC'}]);
    expect(changed.workingDir).toBe('/srv');
  });

  it('writes the command too when the entrypoint changed (docker run --entrypoint clears the image CMD)', () => {
    const config = build(container(doc => {
      doc['Config']!['Entrypoint'] = ['tini', '--', '/docker-entrypoint.sh'];
    }), [], nginxImage);
    expect(config.entrypoint).toEqual(['tini', '--', '/docker-entrypoint.sh']);
    expect(config.command).toEqual(['nginx', '-g', 'daemon off;']);
    // docker run takes one entrypoint word; the rest leads the arguments, so the process argv is the same.
    expect(dockerRunArgs(config).slice(-7)).toEqual(['--', 'nginx:1.27', '--', '/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
    expect(dockerRunArgs(config)).toContain('--entrypoint=tini');
  });

  it('without the image, keeps command, entrypoint and environment as inspected', () => {
    const config = build(nginx());
    expect(config.entrypoint).toEqual(['/docker-entrypoint.sh']);
    expect(config.command).toEqual(['nginx', '-g', 'daemon off;']);
    expect(config.env.map(e => e.name)).toEqual(['PATH', 'NGINX_VERSION', 'NJS_VERSION', 'NJS_RELEASE', 'PKG_RELEASE', 'DYNPKG_RELEASE']);
  });

  it("drops compose's and harden's own labels, adds the generated label and the ones asked for", () => {
    const config = build(read('test/fixtures/inspect/postgres-compose.json'), [], undefined, {labels: {'team': 'db'}});
    expect(config.labels).toEqual([{name: 'harden-wizard.generated', value: 'true'}, {name: 'team', value: 'db'}]);
    expect(config.compose).toEqual({project: 'shop', service: 'db'});
  });

  it('keeps the user as it is and notes when it is root', () => {
    expect(build(nginx())).toMatchObject({runsAsRoot: true});
    expect(build(nginx()).notes[0]).toMatch(/^runs as root: neither the image nor the container sets a user/);
    const root = build(container(doc => void (doc['Config']!['User'] = '0:0')));
    expect(root).toMatchObject({user: '0:0', runsAsRoot: true});
    expect(root.notes[0]).toMatch(/^runs as root \(--user 0:0\)/);
    const app = build(container(doc => void (doc['Config']!['User'] = '1000:1000')));
    expect(app).toMatchObject({user: '1000:1000', runsAsRoot: false});
    expect(app.notes.some(n => n.includes('root'))).toBe(false);
  });

  it('gives each written directory a tmpfs or a volume, never both, named <name>-<dir>', () => {
    const config = build(nginx(), [
      {path: '/tmp', kind: 'modified'}, ...added('/tmp/a'),
      {path: '/var', kind: 'modified'}, ...added('/var/log', '/var/log/app', '/var/log/app/x.log'),
      {path: '/srv', kind: 'modified'}, ...added('/srv/app', '/srv/app/log', '/srv/app/log/y.log'),
    ]);
    expect(config.writable.map(w => [w.path, w.mount, w.name, w.mode, w.sizeMiB])).toEqual([
      ['/srv/app', 'tmpfs', '', undefined, 64],
      ['/tmp', 'tmpfs', '', '1777', 64],
      ['/var/log', 'volume', 'web-log', undefined, undefined],
    ]);
    expect(config.writable[2]!.evidence).toEqual(['A /var/log', 'A /var/log/app', 'A /var/log/app/x.log']);
  });

  it('makes volume names unique and gives a non-root user its tmpfs', () => {
    const config = build(container(doc => void (doc['Config']!['User'] = 'node')), [
      ...added('/data', '/data/x.db'), {path: '/srv', kind: 'modified'}, ...added('/srv/data', '/srv/data/y.db', '/run', '/run/app.pid'),
    ]);
    expect(config.writable.map(w => [w.path, w.mount, w.name, w.uid, w.gid])).toEqual([
      ['/data', 'volume', 'web-data', undefined, undefined],
      ['/run', 'tmpfs', '', 1000, 1000],
      ['/srv/data', 'volume', 'web-data-2', undefined, undefined],
    ]);
  });

  it('leaves out writes under existing mounts and notes writes into system directories', () => {
    const config = build(read('test/fixtures/inspect/postgres-compose.json'), [
      {path: '/var/lib/postgresql/data/base', kind: 'added'},
      {path: '/etc', kind: 'modified'}, ...added('/etc/x.conf'),
    ]);
    expect(config.writable).toEqual([]);
    expect(config.mounts).toEqual([{kind: 'volume', name: '4f2a8d6c0e4b2a8f6d0c4e2b8a6f0d4c2e8b6a0f4d2c8e6b0a4f2d8c6e0b4a2f', target: '/var/lib/postgresql/data', readOnly: false}]);
    expect(config.notes.some(n => n.startsWith('/etc: the app writes straight into /etc'))).toBe(true);
  });

  it('keeps binds, volumes and tmpfs, and notes a mount path no flag can carry', () => {
    const config = build(container(doc => {
      (doc as Record<string, unknown>)['Mounts'] = [
        {Type: 'bind', Source: '/srv/conf', Destination: '/etc/nginx/conf.d', RW: false},
        {Type: 'volume', Name: 'web-html', Destination: '/usr/share/nginx/html', RW: true, Driver: 'local'},
        {Type: 'tmpfs', Destination: '/var/cache/nginx', RW: true},
        {Type: 'bind', Source: '/a', Destination: '/b:c', RW: true},
      ];
      doc['HostConfig']!['Mounts'] = [{Type: 'tmpfs', Target: '/var/cache/nginx', TmpfsOptions: {SizeBytes: 1048576, Mode: 0o1777}}];
      doc['HostConfig']!['Tmpfs'] = {'/run': 'size=1m'};
    }), added('/usr/share/nginx/html/index.html'));
    expect(config.mounts).toEqual([
      {kind: 'bind', source: '/srv/conf', target: '/etc/nginx/conf.d', readOnly: true},
      {kind: 'tmpfs', target: '/run', options: 'size=1m'},
      {kind: 'volume', name: 'web-html', target: '/usr/share/nginx/html', readOnly: false},
      {kind: 'tmpfs', target: '/var/cache/nginx', options: 'mode=1777,size=1048576'},
    ]);
    expect(config.writable).toEqual([]);
    expect(config.notes).toContain('mount /b:c not carried over: its path has a ":", "," or control character, which a mount flag cannot carry');
  });

  it('keeps ports, network, restart policy, capabilities and other security options; leaves out --privileged with a note', () => {
    const config = build(container(doc => {
      doc['HostConfig']!['PortBindings'] = {'443/tcp': [{HostIp: '::1', HostPort: '8443'}], '53/udp': [{HostIp: '127.0.0.1', HostPort: ''}], '80/tcp': [{HostIp: '', HostPort: '8080'}]};
      doc['HostConfig']!['NetworkMode'] = 'host';
      doc['HostConfig']!['RestartPolicy'] = {Name: 'on-failure', MaximumRetryCount: 5};
      doc['HostConfig']!['CapAdd'] = ['NET_BIND_SERVICE'];
      doc['HostConfig']!['CapDrop'] = ['ALL'];
      doc['HostConfig']!['SecurityOpt'] = ['no-new-privileges:false', 'seccomp=unconfined'];
      doc['HostConfig']!['Privileged'] = true;
      doc['HostConfig']!['Memory'] = 268435456;
    }));
    const args = dockerRunArgs(config);
    expect(args.filter(a => a.startsWith('--publish='))).toEqual(['--publish=127.0.0.1::53/udp', '--publish=8080:80/tcp', '--publish=[::1]:8443:443/tcp']);
    expect(args).toEqual(expect.arrayContaining(['--network=host', '--restart=on-failure:5', '--cap-add=NET_BIND_SERVICE', '--cap-drop=ALL', '--security-opt=no-new-privileges', '--security-opt=seccomp=unconfined']));
    expect(args).not.toContain('--security-opt=no-new-privileges:false');
    expect(args.some(a => a.includes('privileged'))).toBe(false);
    expect(config.notes.some(n => n.startsWith('--privileged is not carried over'))).toBe(true);
    expect(config.notes).toContain('not carried over (add back what the app needs): --memory');
  });

  it('leaves the default bridge network and restart policy "no" unsaid', () => {
    const config = build(nginx());
    expect(config).not.toHaveProperty('network');
    expect(config).not.toHaveProperty('restart');
  });
});
