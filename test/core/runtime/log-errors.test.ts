import {describe, expect, it} from 'vitest';
import {writeFailures} from '../../../source/core/runtime/log-errors.js';

describe('writeFailures', () => {
  // Lines as the programs print them; the timestamps and pids are from real runs.
  const cases: Array<[string, string, {path: string; dir: string; reason: 'read-only' | 'permission'}]> = [
    ['node fs EROFS', "Error: EROFS: read-only file system, open '/app/logs/access.log'", {path: '/app/logs/access.log', dir: '/app/logs', reason: 'read-only'}],
    ['node fs EACCES mkdir', "Error: EACCES: permission denied, mkdir '/app/cache'", {path: '/app/cache', dir: '/app/cache', reason: 'permission'}],
    ['nginx open()', '2024/05/01 10:00:00 [emerg] 1#1: open() "/var/cache/nginx/client_temp" failed (30: Read-only file system)', {path: '/var/cache/nginx/client_temp', dir: '/var/cache/nginx', reason: 'read-only'}],
    ['nginx mkdir()', '2024/05/01 10:00:00 [emerg] 1#1: mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)', {path: '/var/cache/nginx/client_temp', dir: '/var/cache/nginx', reason: 'read-only'}],
    ['nginx non-root', 'nginx: [alert] could not open error log file: open() "/var/log/nginx/error.log" failed (13: Permission denied)', {path: '/var/log/nginx/error.log', dir: '/var/log/nginx', reason: 'permission'}],
    ['nginx pid as non-root', '2024/05/01 10:00:00 [emerg] 1#1: open() "/run/nginx.pid" failed (13: Permission denied)', {path: '/run/nginx.pid', dir: '/run', reason: 'permission'}],
    ['postgres lock file', '2024-05-01 10:00:00.000 UTC [1] FATAL:  could not create lock file "/var/run/postgresql/.s.PGSQL.5432.lock": Read-only file system', {path: '/var/run/postgresql/.s.PGSQL.5432.lock', dir: '/run', reason: 'read-only'}],
    ['python OSError', "OSError: [Errno 30] Read-only file system: '/app/instance'", {path: '/app/instance', dir: '/app', reason: 'read-only'}],
    ['python PermissionError', "PermissionError: [Errno 13] Permission denied: '/app/data/db.sqlite3'", {path: '/app/data/db.sqlite3', dir: '/app/data', reason: 'permission'}],
    ['java FileNotFoundException', 'java.io.FileNotFoundException: /tmp/tomcat.8080.123/work (Read-only file system)', {path: '/tmp/tomcat.8080.123/work', dir: '/tmp', reason: 'read-only'}],
    ['java nio FileSystemException', '\tat Caused by: java.nio.file.FileSystemException: /opt/app/logs/app.log: Read-only file system', {path: '/opt/app/logs/app.log', dir: '/opt/app/logs', reason: 'read-only'}],
    ['java nio AccessDeniedException', 'java.nio.file.AccessDeniedException: /opt/keycloak/data/tmp/kc-gzip-cache', {path: '/opt/keycloak/data/tmp/kc-gzip-cache', dir: '/opt/keycloak/data/tmp', reason: 'permission'}],
    ['go open', 'level=error msg="failed to persist" err="open /data/state.json: read-only file system"', {path: '/data/state.json', dir: '/data', reason: 'read-only'}],
    ['go mkdir', '2024/05/01 10:00:00 mkdir /data/wal: read-only file system', {path: '/data/wal', dir: '/data/wal', reason: 'read-only'}],
    ['busybox sh redirect', "sh: can't create /usr/share/nginx/html/env.js: Read-only file system", {path: '/usr/share/nginx/html/env.js', dir: '/usr/share/nginx/html', reason: 'read-only'}],
    ['dash redirect', '/docker-entrypoint.sh: 12: cannot create /etc/nginx/conf.d/default.conf: Read-only file system', {path: '/etc/nginx/conf.d/default.conf', dir: '/etc/nginx/conf.d', reason: 'read-only'}],
    ['bash redirect', '/entrypoint.sh: line 7: /app/config.json: Read-only file system', {path: '/app/config.json', dir: '/app', reason: 'read-only'}],
    ['busybox touch', 'touch: /var/www/html/.installed: Read-only file system', {path: '/var/www/html/.installed', dir: '/var/www/html', reason: 'read-only'}],
    ['GNU touch, UTF-8 quotes', 'touch: cannot touch \u2018/app/ready\u2019: Permission denied', {path: '/app/ready', dir: '/app', reason: 'permission'}],
    ['GNU mkdir', "mkdir: cannot create directory '/var/lib/app': Read-only file system", {path: '/var/lib/app', dir: '/var/lib/app', reason: 'read-only'}],
    ['redis RDB', '1:M 01 May 2024 10:00:00.000 # Failed opening the temp RDB file temp-1.rdb (in server root dir /data) for saving: Read-only file system', {path: '/data', dir: '/data', reason: 'read-only'}],
    ['coloured (pino-pretty)', "\u001b[31mERROR\u001b[39m (1 on web): \u001b[36mEROFS: read-only file system, open '/app/.next/cache/images/x.webp'\u001b[39m", {path: '/app/.next/cache/images/x.webp', dir: '/app/.next/cache/images', reason: 'read-only'}],
  ];

  it.each(cases)('%s', (_name, line, expected) => {
    expect(writeFailures(line)).toEqual([{...expected, line: line.replace(/\u001b\[[0-9;]*m/g, '').trim()}]);
  });

  it('reads CRLF logs, keeps the first line per path, and ignores lines with no path', () => {
    const logs = [
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
      '2024/05/01 10:00:00 [emerg] 1#1: mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)',
      'nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)',
      '(30)Read-only file system: AH00058: Error retrieving pid file logs/httpd.pid',
      '(13)Permission denied: AH00072: make_sock: could not bind to address [::]:80',
      'java.nio.file.ReadOnlyFileSystemException',
      "Error: EROFS: read-only file system, open '/app/logs/a.log'",
      '    at Object.openSync (node:fs:596:3) {',
      "  path: '/app/logs/a.log'",
      '',
    ].join('\r\n');
    expect(writeFailures(logs).map(f => [f.path, f.dir, f.line.slice(0, 20)])).toEqual([
      ['/var/cache/nginx/client_temp', '/var/cache/nginx', '2024/05/01 10:00:00 '],
      ['/app/logs/a.log', '/app/logs', "Error: EROFS: read-o"],
    ]);
  });

  it('ignores permission errors that are not writes: running a file, a socket connect', () => {
    const logs = [
      'exec /app/run.sh: permission denied',
      '/bin/sh: 1: /tmp/hook.sh: Permission denied while trying to exec',
      'Error: spawn /app/bin/worker EACCES',
      'Got permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: dial unix /var/run/docker.sock: connect: permission denied',
    ].join('\n');
    expect(writeFailures(logs)).toEqual([]);
  });

  it('gives every path of a rename', () => {
    expect(writeFailures("OSError: [Errno 30] Read-only file system: '/app/tmp/x.part' -> '/app/data/x'").map(f => f.path)).toEqual(['/app/tmp/x.part', '/app/data/x']);
  });

  it('a path with spaces, quoted or not', () => {
    expect(writeFailures("EROFS: read-only file system, open '/app/my logs/a.log'\nopen /data/my state.json: read-only file system").map(f => [f.path, f.dir])).toEqual([
      ['/app/my logs/a.log', '/app/my logs'],
      ['/data/my state.json', '/data'],
    ]);
  });

  it('nothing in, nothing out', () => {
    expect(writeFailures('')).toEqual([]);
    expect(writeFailures('\n\r\n   \n')).toEqual([]);
  });
});

describe('node recursive mkdir on a read-only root', () => {
  it('counts ENOENT from mkdir as a failed write of that directory', () => {
    const failures = writeFailures("harden-demo: cannot write /app/run/app.pid: ENOENT: no such file or directory, mkdir '/app/run'\n");
    expect(failures.map(f => [f.dir, f.reason])).toEqual([['/app/run', 'read-only']]);
  });

  it('does not count ENOENT from open', () => {
    expect(writeFailures("Error: ENOENT: no such file or directory, open '/app/config.json'")).toEqual([]);
  });
});
