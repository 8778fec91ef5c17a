import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {containerFacts, containerTarget, imageConfigFacts} from '../../../source/core/discover/container.js';
import type {ContainerFacts, FileChangeFact, Subject} from '../../../source/core/model/facts.js';
import {allRules, runRules} from '../../../source/core/rules/index.js';
import {mutableImageRef} from '../../../source/core/rules/mutable-image-ref.js';

/*
 * Inspect JSON as `docker inspect` (Docker 20.10) prints it, in test/fixtures/inspect:
 *   nginx-plain       docker run -d --name web -p 8080:80 nginx:1.27
 *   nginx-read-only   docker run -d --name web-ro --read-only --tmpfs /run --tmpfs /var/cache/nginx
 *                       -u 101 --security-opt no-new-privileges -p 8081:80 nginx:1.27
 *   nginx-privileged  docker run -d --name web-priv --privileged nginx:1.27
 *   postgres-compose  service db (postgres:16, restart: unless-stopped) of compose project shop
 *   nginx-image       docker image inspect nginx:1.27
 */
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/inspect/${name}.json`, import.meta.url), 'utf8'));

function diff(text: string): FileChangeFact[] {
  const kinds = {A: 'added', C: 'modified', D: 'deleted'} as const;
  return text.trim().split('\n').map(line => ({kind: kinds[line[0] as 'A' | 'C' | 'D'], path: line.slice(2)}));
}

/** `docker diff` of a plain nginx:1.27 container after its first request. */
const nginxDiff = diff(`
C /etc
C /etc/nginx
C /etc/nginx/conf.d
C /etc/nginx/conf.d/default.conf
C /run
A /run/nginx.pid
C /var
C /var/cache
C /var/cache/nginx
A /var/cache/nginx/client_temp
A /var/cache/nginx/fastcgi_temp
A /var/cache/nginx/proxy_temp
A /var/cache/nginx/scgi_temp
A /var/cache/nginx/uwsgi_temp`);

/** `docker diff` of the read-only one: only the tmpfs mount points Docker created. */
const readOnlyDiff = diff('A /run\nC /var\nC /var/cache\nA /var/cache/nginx');

const postgresDiff = diff(`
C /run
C /run/postgresql
A /run/postgresql/.s.PGSQL.5432
A /run/postgresql/.s.PGSQL.5432.lock`);

function facts(name: string, changes?: FileChangeFact[], image?: unknown): ContainerFacts {
  const result = containerFacts(fixture(name), changes, image);
  if ('error' in result) throw new Error(result.error);
  return result;
}

function subject(container: ContainerFacts): Subject {
  return {kind: 'container', target: containerTarget(container), container};
}

const rulesOf = (s: Subject) => runRules(s).map(f => f.path ? `${f.rule} ${f.path}` : f.rule);

describe('containerFacts', () => {
  it('maps a plain nginx container', () => {
    expect(facts('nginx-plain', nginxDiff.slice(0, 2))).toEqual({
      id: '5f1b3c9e2a7d4e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f',
      name: 'web',
      image: {raw: 'nginx:1.27', repository: 'nginx', tag: '1.27', unresolved: false, line: 0},
      state: 'running',
      readOnly: false,
      user: '',
      noNewPrivileges: false,
      privileged: false,
      capDrop: [],
      mounts: [],
      imageVolumes: [],
      changes: [{path: '/etc', kind: 'modified'}, {path: '/etc/nginx', kind: 'modified'}],
    });
  });

  it('maps --read-only, --tmpfs, -u and --security-opt', () => {
    expect(facts('nginx-read-only')).toMatchObject({
      name: 'web-ro',
      readOnly: true,
      user: '101',
      noNewPrivileges: true,
      mounts: [
        {target: '/run', kind: 'tmpfs', readOnly: false, line: 0},
        {target: '/var/cache/nginx', kind: 'tmpfs', readOnly: false, line: 0},
      ],
    });
  });

  it('maps --privileged', () => {
    expect(facts('nginx-privileged')).toMatchObject({name: 'web-priv', privileged: true, noNewPrivileges: false});
  });

  it('maps a compose container: its anonymous volume, VOLUME and labels', () => {
    const db = facts('postgres-compose');
    expect(db).toMatchObject({
      name: 'shop-db-1',
      image: {raw: 'postgres:16', repository: 'postgres', tag: '16'},
      mounts: [{target: '/var/lib/postgresql/data', kind: 'volume', readOnly: false, line: 0}],
      imageVolumes: ['/var/lib/postgresql/data'],
      compose: {project: 'shop', service: 'db'},
    });
  });

  it('reads the API object as well as the array docker inspect prints', () => {
    expect(containerFacts((fixture('nginx-plain') as unknown[])[0])).toEqual(facts('nginx-plain'));
  });

  it('takes the image user from the image inspect JSON', () => {
    expect(facts('nginx-plain', undefined, fixture('nginx-image')).imageUser).toBe('');
  });

  it('reads every mount kind Docker reports, sorted by target', () => {
    // `-v data:/data -v /srv/site:/host:ro -v /anon --mount type=tmpfs,destination=/scratch --tmpfs /tmp:rw,size=64m --tmpfs /ro:ro`
    const inspect = {
      Id: 'c0ffee',
      Name: '/mounts',
      HostConfig: {Tmpfs: {'/tmp': 'rw,size=64m', '/ro': 'ro', '/scratch': '', relative: ''}, CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges:true']},
      Mounts: [
        {Type: 'tmpfs', Source: '', Destination: '/scratch', Mode: '', RW: true, Propagation: ''},
        {Type: 'volume', Name: '4449395a2acf', Source: '/var/lib/docker/volumes/4449395a2acf/_data', Destination: '/anon', Driver: 'local', Mode: '', RW: true, Propagation: ''},
        {Type: 'volume', Name: 'data', Source: '/var/lib/docker/volumes/data/_data', Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: ''},
        {Type: 'bind', Source: '/srv/site', Destination: '/host', Mode: 'ro', RW: false, Propagation: 'rprivate'},
        {Type: 'bind', Source: '/srv/old', Destination: '/old/', Mode: 'ro'},
        {Type: 'npipe', Source: '\\\\.\\pipe\\docker_engine', Destination: '/pipe', RW: true},
      ],
      Config: {Volumes: {'/anon': {}}},
    };
    expect(containerFacts(inspect)).toMatchObject({
      capDrop: ['ALL'],
      noNewPrivileges: true,
      imageVolumes: ['/anon'],
      mounts: [
        {target: '/anon', kind: 'volume', readOnly: false},
        {target: '/data', kind: 'volume', readOnly: false},
        {target: '/host', kind: 'bind', readOnly: true},
        {target: '/old', kind: 'bind', readOnly: true},
        {target: '/pipe', kind: 'other', readOnly: false},
        {target: '/ro', kind: 'tmpfs', readOnly: true},
        {target: '/scratch', kind: 'tmpfs', readOnly: false},
        {target: '/tmp', kind: 'tmpfs', readOnly: false},
      ],
    });
  });

  it('the last no-new-privileges option wins', () => {
    const inspect = {Id: 'x', HostConfig: {SecurityOpt: ['no-new-privileges', 'seccomp=unconfined', 'no-new-privileges:false']}};
    expect(containerFacts(inspect)).toMatchObject({noNewPrivileges: false});
  });

  it('an image id in Config.Image is a digest, not a name', () => {
    const id = 'sha256:66f8bdd3810c96dc5c28aec39583af731b34a2cd99471530f53c8794ed5b423e';
    expect(containerFacts({Id: 'x', Config: {Image: id}})).toMatchObject({image: {raw: id, repository: '', digest: id}});
  });

  it('never throws on junk: an error for what is not a container, defaults for missing fields', () => {
    for (const junk of [null, undefined, 'text', 42, [], [{}, {}], {}, {Id: ''}, {Id: 7}]) {
      expect(containerFacts(junk)).toHaveProperty('error');
    }
    const odd = {
      Id: 'abcdef0123456789',
      Name: 42,
      State: 'running',
      Config: {User: 1000, Volumes: ['not', 'a', 'map'], Labels: null, Image: null},
      HostConfig: {ReadonlyRootfs: 'true', Privileged: 1, CapDrop: 'ALL', SecurityOpt: [null, 'no-new-privileges'], Tmpfs: null},
      Mounts: [null, 'x', {Destination: 5}, {Type: 'bind', Destination: 'relative'}],
    };
    const changes = [{path: '/ok', kind: 'added'}, {path: 5, kind: 'added'}, {path: '/x', kind: 'renamed'}, null] as unknown as FileChangeFact[];
    expect(containerFacts(odd, changes)).toEqual({
      id: 'abcdef0123456789',
      name: 'abcdef012345',
      image: {raw: '', repository: '', unresolved: false, line: 0},
      state: 'unknown',
      readOnly: false,
      user: '',
      noNewPrivileges: true,
      privileged: false,
      capDrop: [],
      mounts: [],
      imageVolumes: [],
      changes: [{path: '/ok', kind: 'added'}],
    });
  });
});

describe('containerTarget', () => {
  it('names the container; line 0 means the whole target', () => {
    expect(containerTarget(facts('nginx-plain'))).toEqual({id: 'container:container:web#web', kind: 'container', file: 'container:web', name: 'web', line: 0});
  });
});

describe('imageConfigFacts', () => {
  it('reads what verification needs from an image', () => {
    expect(imageConfigFacts(fixture('nginx-image'))).toEqual({user: '', volumes: [], exposedPorts: ['80/tcp']});
    expect(imageConfigFacts({Config: {User: 'postgres', Volumes: {'/var/lib/postgresql/data': {}}, Healthcheck: {Test: ['CMD-SHELL', 'pg_isready']}}})).toEqual({
      user: 'postgres', volumes: ['/var/lib/postgresql/data'], exposedPorts: [], healthcheck: ['CMD-SHELL', 'pg_isready'],
    });
    expect(imageConfigFacts('junk')).toBeUndefined();
  });
});

describe('rules on containers', () => {
  it('a plain nginx: writable root, root user, escalation, and what it wrote', () => {
    const findings = runRules(subject(facts('nginx-plain', nginxDiff)));
    expect(findings.map(f => f.path ? `${f.rule} ${f.path}` : f.rule)).toEqual([
      'read-only-rootfs',
      'writable-path-unmounted /etc/nginx/conf.d',
      'writable-path-unmounted /run',
      'writable-path-unmounted /var/cache/nginx',
      'root-user',
      'privilege-escalation',
    ]);
    for (const f of findings) expect(f).toMatchObject({target: 'container:container:web#web', file: 'container:web', line: 0, fixable: false});
    const [readOnly, conf, run] = findings;
    expect(readOnly!.message).toBe('Container "web" runs with a writable root filesystem (HostConfig.ReadonlyRootfs is false), so an attacker or a bug can change its binaries and config at run time; recreate it with "docker run --read-only -v web-conf.d:/etc/nginx/conf.d --tmpfs /run --tmpfs /var/cache/nginx ..." (it wrote /etc/nginx/conf.d, /run, /var/cache/nginx outside its mounts so far).');
    expect(conf!.message).toContain('(C /etc/nginx/conf.d, C /etc/nginx/conf.d/default.conf)');
    expect(conf!.message).toContain('-v web-conf.d:/etc/nginx/conf.d');
    expect(conf!.message).toContain('the image ships files there that a tmpfs would hide');
    expect(run!.message).toBe('Container "web" wrote to /run (C /run, A /run/nginx.pid) and no writable mount covers it, so those writes fail once the root filesystem is read-only; recreate it with "docker run --tmpfs /run ...".');
    expect(findings[4]!.message).toContain('neither "docker run --user" nor the image nginx:1.27 sets a user, so it runs as root');
    expect(findings[5]!.message).toContain('"docker run --security-opt no-new-privileges ..."');
  });

  it('a plain nginx whose changes were not read: the well-known paths instead', () => {
    expect(rulesOf(subject(facts('nginx-plain')))).toEqual([
      'read-only-rootfs', 'writable-path-unmounted /var/cache/nginx', 'writable-path-unmounted /var/run', 'root-user', 'privilege-escalation',
    ]);
    const [readOnly] = runRules(subject(facts('nginx-plain')));
    expect(readOnly!.message).toContain('"docker run --read-only ..." and a tmpfs or volume for each path it writes.');
  });

  it('the hardened nginx passes; its diff holds only its mount points', () => {
    expect(runRules(subject(facts('nginx-read-only', readOnlyDiff)))).toEqual([]);
  });

  it('the hardened nginx without its diff: the table still wants /tmp for a non-root nginx', () => {
    const findings = runRules(subject(facts('nginx-read-only')));
    expect(findings.map(f => `${f.rule} ${f.path}`)).toEqual(['writable-path-unmounted /tmp']);
    expect(findings[0]!.message).toContain('Container "web-ro" must keep /tmp writable');
    expect(findings[0]!.message).toContain('"docker run --tmpfs /tmp ..."');
  });

  it('a privileged nginx', () => {
    const findings = runRules(subject(facts('nginx-privileged')));
    expect(findings[0]).toMatchObject({rule: 'privileged', severity: 'high', line: 0, fixable: false});
    expect(findings[0]!.message).toBe('Container "web-priv" runs with --privileged, so it can remount its root filesystem writable and reach the host\'s devices, and a read-only root protects nothing; recreate it without --privileged, adding only the --cap-add or --device flags it needs.');
  });

  it('a compose container: fixes name the service too, and its VOLUME is not reported', () => {
    const db = subject(facts('postgres-compose', postgresDiff));
    expect(rulesOf(db)).toEqual(['read-only-rootfs', 'writable-path-unmounted /run', 'root-user', 'privilege-escalation']);
    const [readOnly, run] = runRules(db);
    expect(readOnly!.message).toContain('Container "shop-db-1" (service "db" of compose project "shop") runs with a writable root filesystem');
    expect(readOnly!.message).toContain('(it wrote /run outside its mounts so far), or set "read_only: true" with tmpfs or volumes for the paths it writes on service "db" and run "docker compose up -d"');
    expect(run!.message).toContain('or set tmpfs: ["/run"] on service "db"');
  });

  it('a compose container without its diff: the table, PGDATA covered by its volume', () => {
    expect(rulesOf(subject(facts('postgres-compose')))).toEqual([
      'read-only-rootfs', 'writable-path-unmounted /var/run/postgresql', 'writable-path-unmounted /tmp', 'root-user', 'privilege-escalation',
    ]);
  });

  it('an image VOLUME that is missing from Mounts[] still counts as writable', () => {
    const db = facts('postgres-compose', diff('C /var/lib/postgresql/data\nA /var/lib/postgresql/data/PG_VERSION'));
    db.mounts = [];
    expect(rulesOf(subject(db))).not.toContain('writable-path-unmounted /var/lib/postgresql/data');
  });

  it('writes straight into a system directory are reported as needing an image change', () => {
    const findings = runRules(subject(facts('nginx-plain', diff('C /etc\nA /etc/app.conf'))));
    const system = findings.find(f => f.rule === 'writable-path-unmounted')!;
    expect(system).toMatchObject({path: '/etc'});
    expect(system.message).toContain('Container "web" wrote into /etc (C /etc, A /etc/app.conf): the app writes straight into /etc');
    expect(findings[0]!.message).toContain('"docker run --read-only ..."');
  });

  it('--user root or 0 is root; a named or numeric user is not', () => {
    const user = (value: string, imageUser?: string) => {
      const container = {...facts('nginx-read-only'), user: value};
      if (imageUser !== undefined) container.imageUser = imageUser;
      return runRules(subject(container)).filter(f => f.rule === 'root-user');
    };
    expect(user('root')[0]!.message).toContain('"--user root" runs it as root');
    expect(user('0:0')).toHaveLength(1);
    expect(user('nginx')).toEqual([]);
    expect(user('', 'nginx')).toEqual([]);
    expect(user('', '')).toHaveLength(1);
  });

  it('mutable-image-ref does not apply: a container runs one resolved image', () => {
    const latest = {...facts('nginx-plain'), image: {raw: 'nginx', repository: 'nginx', unresolved: false, line: 0}};
    expect(mutableImageRef.check(subject(latest))).toEqual([]);
  });

  it('every rule accepts a container subject', () => {
    for (const rule of allRules) expect(() => rule.check(subject(facts('nginx-plain', nginxDiff)))).not.toThrow();
  });
});
