import {describe, expect, it} from 'vitest';
import type {FileChangeFact, MountFact} from '../../../source/core/model/facts.js';
import {collapseChanges, isSystemDir, pathToMount} from '../../../source/core/runtime/writable-dirs.js';

/** `docker diff` text to changes: `C /run` -> {path: '/run', kind: 'modified'}. */
function diff(text: string): FileChangeFact[] {
  const kinds = {A: 'added', C: 'modified', D: 'deleted'} as const;
  return text.trim().split('\n').map(line => ({kind: kinds[line[0] as 'A' | 'C' | 'D'], path: line.slice(2)}));
}

const mount = (target: string, kind: MountFact['kind'] = 'volume'): MountFact => ({target, kind, readOnly: false, line: 0});

describe('collapseChanges', () => {
  it('nginx run plainly: its cache, its pid file, and the default.conf its entrypoint edits', () => {
    // `docker run -d nginx:1.27`, then `docker diff`.
    const changes = diff(`
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
    expect(collapseChanges(changes)).toEqual([
      {path: '/etc/nginx/conf.d', mount: 'volume', shipped: 'files', evidence: ['C /etc/nginx/conf.d', 'C /etc/nginx/conf.d/default.conf']},
      {path: '/run', mount: 'tmpfs', evidence: ['C /run', 'A /run/nginx.pid']},
      {path: '/var/cache/nginx', mount: 'tmpfs', evidence: [
        'C /var/cache/nginx', 'A /var/cache/nginx/client_temp', 'A /var/cache/nginx/fastcgi_temp',
        'A /var/cache/nginx/proxy_temp', 'A /var/cache/nginx/scgi_temp', 'A /var/cache/nginx/uwsgi_temp',
      ]},
    ]);
  });

  it('nginx already hardened: only the mount points Docker created, so nothing', () => {
    // `docker run --read-only --tmpfs /run --tmpfs /var/cache/nginx ...` on an image without those directories.
    const changes = diff(`
A /run
A /var
A /var/cache
A /var/cache/nginx`);
    expect(collapseChanges(changes, {mounts: [mount('/run', 'tmpfs'), mount('/var/cache/nginx', 'tmpfs')]})).toEqual([]);
  });

  it('a node app: logs to keep, a cache, a pid file, npm\'s cache and /tmp', () => {
    const changes = diff(`
C /app
C /app/logs
A /app/logs/access.log
A /app/logs/error.log
A /app/cache
A /app/cache/pages
A /app/cache/pages/index.html
A /app/run
A /app/run/app.pid
C /root
A /root/.npm
A /root/.npm/_logs
A /root/.npm/_logs/2024-05-01T10_00_00_000Z-debug-0.log
C /tmp
A /tmp/v8-compile-cache-0
A /tmp/v8-compile-cache-0/11.3.244.8-node.19`);
    expect(collapseChanges(changes)).toEqual([
      {path: '/app/cache', mount: 'tmpfs', evidence: ['A /app/cache', 'A /app/cache/pages', 'A /app/cache/pages/index.html']},
      {path: '/app/logs', mount: 'volume', shipped: 'directory', evidence: ['C /app/logs', 'A /app/logs/access.log', 'A /app/logs/error.log']},
      {path: '/app/run', mount: 'tmpfs', evidence: ['A /app/run', 'A /app/run/app.pid']},
      {path: '/root/.npm', mount: 'tmpfs', evidence: ['A /root/.npm', 'A /root/.npm/_logs', 'A /root/.npm/_logs/2024-05-01T10_00_00_000Z-debug-0.log']},
      {path: '/tmp', mount: 'tmpfs', evidence: ['C /tmp', 'A /tmp/v8-compile-cache-0', 'A /tmp/v8-compile-cache-0/11.3.244.8-node.19']},
    ]);
  });

  it('the same app as a bare list, without the parents docker diff would add', () => {
    const changes = diff(`
A /app/logs/access.log
A /app/cache/index.html
A /app/run/app.pid
C /tmp`);
    expect(collapseChanges(changes).map(d => [d.path, d.mount])).toEqual([
      ['/app/cache', 'tmpfs'], ['/app/logs', 'volume'], ['/app/run', 'tmpfs'], ['/tmp', 'tmpfs'],
    ]);
  });

  it('the parents Docker creates for a VOLUME or a mount are not writes of the app (issue 15: A /srv for VOLUME /srv/uploads)', () => {
    // `docker diff` of an image with VOLUME /srv/uploads: the engine made /srv for the mount point, the app wrote nothing there.
    expect(collapseChanges(diff('A /srv'), {ignore: ['/srv/uploads']})).toEqual([]);
    expect(collapseChanges(diff('A /srv\nA /srv/uploads'), {ignore: ['/srv/uploads']})).toEqual([]);
    expect(collapseChanges(diff('A /data\nA /data/db'), {mounts: [mount('/data/db')]})).toEqual([]);
    // What the app writes beside the mount point is still its own.
    expect(collapseChanges(diff('A /srv\nA /srv/uploads\nA /srv/cache\nA /srv/cache/x.bin'), {ignore: ['/srv/uploads']}).map(d => d.path)).toEqual(['/srv/cache']);
  });

  it('postgres: its socket directory under /run; PGDATA is an anonymous volume', () => {
    const changes = diff(`
C /run
C /run/postgresql
A /run/postgresql/.s.PGSQL.5432
A /run/postgresql/.s.PGSQL.5432.lock
C /var/lib/postgresql/data`);
    expect(collapseChanges(changes, {mounts: [mount('/var/lib/postgresql/data')]})).toEqual([
      {path: '/run', mount: 'tmpfs', evidence: ['C /run', 'C /run/postgresql', 'A /run/postgresql/.s.PGSQL.5432', 'A /run/postgresql/.s.PGSQL.5432.lock']},
    ]);
  });

  it('a tree the app created is mounted at its top, since it may create more below', () => {
    const changes = diff(`
C /srv
A /srv/uploads
A /srv/uploads/u1
A /srv/uploads/u1/a.png
A /srv/uploads/u2
A /srv/uploads/u2/b.png`);
    expect(collapseChanges(changes)).toEqual([
      {path: '/srv/uploads', mount: 'volume', evidence: ['A /srv/uploads', 'A /srv/uploads/u1', 'A /srv/uploads/u1/a.png', 'A /srv/uploads/u2', 'A /srv/uploads/u2/b.png']},
    ]);
  });

  it('a busybox container that created its directories from scratch', () => {
    // Captured from Docker 20.10: `sh -c 'mkdir -p /var/cache/nginx/client_temp /app/logs; echo y > /app/logs/access.log; rm /bin/vi'`.
    const changes = [
      {path: '/app', kind: 'added'}, {path: '/app/logs', kind: 'added'}, {path: '/app/logs/access.log', kind: 'added'},
      {path: '/var', kind: 'added'}, {path: '/var/cache', kind: 'added'}, {path: '/var/cache/nginx', kind: 'added'},
      {path: '/var/cache/nginx/client_temp', kind: 'added'}, {path: '/bin', kind: 'modified'}, {path: '/bin/vi', kind: 'deleted'},
    ] as const satisfies FileChangeFact[];
    const result = collapseChanges(changes);
    expect(result.map(d => d.path)).toEqual(['/app', '/bin', '/var/cache/nginx']);
    expect(result[1]).toMatchObject({system: true, evidence: ['C /bin', 'D /bin/vi']});
    expect(result[1]!.reason).toContain('/bin');
  });

  it('ignores what Docker manages and what is mounted', () => {
    const changes = diff(`
C /etc
A /etc/hosts
A /etc/hostname
A /etc/resolv.conf
C /etc/mtab
A /.dockerenv
C /dev
A /dev/console
C /proc
A /proc/1
A /sys/fs/cgroup
A /data
A /data/db/WiredTiger
A /host
C /var/log
A /var/log/app.log`);
    expect(collapseChanges(changes, {mounts: [mount('/data'), mount('/host', 'bind')], ignore: ['/var/log']})).toEqual([]);
  });

  it('keeps /dev/shm, which Docker mounts but a runtime might not', () => {
    expect(collapseChanges(diff('C /dev\nC /dev/shm\nA /dev/shm/sem.lock'))).toEqual([
      {path: '/dev/shm', mount: 'tmpfs', evidence: ['C /dev/shm', 'A /dev/shm/sem.lock']},
    ]);
  });

  it('canonicalises /var/run and /var/lock to /run', () => {
    expect(collapseChanges(diff('A /var/run/app.pid\nA /var/lock/app.lock'))).toEqual([
      {path: '/run', mount: 'tmpfs', evidence: ['A /var/run/app.pid', 'A /var/lock/app.lock']},
    ]);
  });

  it('writes straight into a system directory are reported, never proposed', () => {
    const result = collapseChanges(diff(`
C /etc
A /etc/app.conf
C /etc/passwd
A /healthcheck.txt
C /usr
C /usr/local
A /usr/local/app.sock`));
    expect(result.map(d => [d.path, d.system])).toEqual([['/', true], ['/etc', true], ['/usr/local', true]]);
    expect(result[0]).toMatchObject({evidence: ['A /healthcheck.txt']});
    expect(result[0]!.reason).toContain('the root directory');
    expect(result[1]).toMatchObject({evidence: ['C /etc', 'A /etc/app.conf', 'C /etc/passwd']});
  });

  it('a deeper directory under a system one is proposed on its own', () => {
    const result = collapseChanges(diff('C /etc\nC /etc/ssl\nA /etc/app.conf\nC /etc/ssl/certs\nA /etc/ssl/certs/ca.pem'));
    expect(result.map(d => [d.path, d.system ?? false])).toEqual([['/etc', true], ['/etc/ssl/certs', false]]);
  });

  it('a lone top-level directory is a directory, and a child folds into a proposed parent', () => {
    expect(collapseChanges(diff('A /data\nC /app\nA /app/app.pid\nC /app/logs\nC /app/logs/app.log'))).toEqual([
      {path: '/app', mount: 'volume', shipped: 'files', evidence: ['C /app', 'A /app/app.pid', 'C /app/logs', 'C /app/logs/app.log']},
      {path: '/data', mount: 'volume', evidence: ['A /data']},
    ]);
  });

  it('is deterministic whatever the order of the input', () => {
    const changes = diff('C /run\nA /run/nginx.pid\nC /var/cache/nginx\nA /var/cache/nginx/a\nA /app/x/y.log\nC /tmp');
    const expected = collapseChanges(changes);
    expect(collapseChanges([...changes].reverse())).toEqual(expected);
    expect(collapseChanges([...changes.slice(3), ...changes.slice(0, 3)])).toEqual(expected);
  });

  it('survives a hostile list: 10,000 entries, spaces, newlines, traversal, junk', () => {
    const changes: FileChangeFact[] = [];
    for (let i = 0; i < 9_950; i++) changes.push({path: `/tmp/build-${i % 100}/chunk ${i}.bin`, kind: 'added'});
    changes.push(
      {path: '/app/my logs/a b.log', kind: 'added'},
      {path: '/srv/evil\ndir/x', kind: 'added'},
      {path: '/app/../etc/shadow', kind: 'modified'},
      {path: 'relative/path', kind: 'added'},
      {path: '/', kind: 'modified'},
      {path: '', kind: 'added'},
      {path: `/${'a'.repeat(5000)}`, kind: 'added'},
      {path: '/nul\u0000byte', kind: 'added'},
      {path: '/app/cache/x', kind: 'renamed' as FileChangeFact['kind']},
      {path: '/app/my logs/a b.log', kind: 'deleted'},
      {path: `/deep${'/d'.repeat(1500)}/f`, kind: 'added'},
    );
    const started = performance.now();
    const result = collapseChanges(changes);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(result.map(d => [d.path, d.system ?? false])).toEqual([
      ['/app/my logs', false],
      [`/deep${'/d'.repeat(1500)}`, false],
      ['/etc', true],
      ['/srv', false],
      ['/tmp', false],
    ]);
    expect(result[0]!.evidence).toEqual(['A /app/my logs/a b.log']);
    expect(result[3]!.evidence).toEqual(['A /srv/evil\\x0adir/x']);
    const tmp = result.at(-1)!;
    expect(tmp.evidence).toHaveLength(21);
    expect(tmp.evidence.at(-1)).toBe('... and 9930 more');
  });

  it('nothing in, nothing out', () => {
    expect(collapseChanges([])).toEqual([]);
  });
});

describe('pathToMount', () => {
  it.each([
    ['/var/log/app/access.log', {}, '/var/log/app'],
    ['/tmp/x/y', {}, '/tmp'],
    ['/run/app.pid', {}, '/run'],
    ['/var/run/postgresql/.s.PGSQL.5432.lock', {}, '/run'],
    ['/var/cache/nginx/client_temp', {directory: true}, '/var/cache/nginx'],
    ['/app/cache', {directory: true}, '/app/cache'],
    ['/app/cache', {}, '/app'],
    ['/home/node/.npm/_cacache/index', {}, '/home/node/.npm'],
    ['/app/bad\ndir/file', {}, '/app'],
  ])('%s %j -> %s', (path, options, expected) => {
    expect(pathToMount(path, options)).toBe(expected);
  });
});

describe('isSystemDir', () => {
  it.each([['/', true], ['/etc', true], ['/usr/lib', true], ['/proc/1', true], ['/var/run', false], ['/etc/nginx', false], ['/var/lib/app', false]])('%s', (path, expected) => {
    expect(isSystemDir(path)).toBe(expected);
  });
});

describe('collapseChanges, known roots', () => {
  it('a program\'s cache directory under /var/cache is its own root, even with nothing listed below', () => {
    expect(collapseChanges(diff('C /var/cache\nC /var/cache/nginx\nA /var/cache/app'))).toEqual([
      {path: '/var/cache/app', mount: 'tmpfs', evidence: ['A /var/cache/app']},
      {path: '/var/cache/nginx', mount: 'tmpfs', evidence: ['C /var/cache/nginx']},
    ]);
  });
});

describe('directories the engine confirmed', () => {
  it('mounts an empty directory the app created, not its parent', () => {
    const dirs = collapseChanges([
      {path: '/app', kind: 'modified'},
      {path: '/app/cache', kind: 'added', directory: true},
      {path: '/app/logs', kind: 'added'},
      {path: '/app/logs/access.log', kind: 'added', directory: false},
      {path: '/app/run', kind: 'added'},
      {path: '/app/run/app.pid', kind: 'added', directory: false},
    ]);
    expect(dirs.map(d => d.path)).toEqual(['/app/cache', '/app/logs', '/app/run']);
  });
});
