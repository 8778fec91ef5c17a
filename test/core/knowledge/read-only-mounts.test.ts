import {describe, expect, it} from 'vitest';
import {onlyRead} from '../../../source/core/knowledge/read-only-mounts.js';
import {readOnlyEntry} from '../../../source/core/patch/compose/mounts.js';

describe('onlyRead: host mounts an app only reads', () => {
  it('knows the init scripts, nginx html and single configuration files', () => {
    expect(onlyRead('/docker-entrypoint-initdb.d')).toMatch(/init scripts/);
    expect(onlyRead('/docker-entrypoint-initdb.d/01-schema.sql')).toMatch(/init scripts/);
    expect(onlyRead('/usr/share/nginx/html/')).toMatch(/nginx only reads/);
    for (const file of ['/etc/nginx/nginx.conf', '/etc/mysql/my.cnf', '/etc/prometheus/prometheus.yml', '/app/config.YAML', '/etc/grafana/grafana.ini', '/certs/tls.crt']) expect(onlyRead(file), file).toBeDefined();
  });

  it('does not guess for data files, directories of unknown use or look-alikes', () => {
    for (const path of ['/srv/uploads', '/etc/gitlab-runner', '/app/db.json', '/data/app.sqlite', '/etc/nginx/conf.d', '/docker-entrypoint-initdb.d-old', '/usr/share/nginx/html-cache', '/var/lib/app/conf', '/']) expect(onlyRead(path), path).toBeUndefined();
  });
});

describe('readOnlyEntry: the short syntax made read-only', () => {
  it('adds ro to a writable bind at the target, keeping other options', () => {
    expect(readOnlyEntry('./nginx.conf:/etc/nginx/nginx.conf', '/etc/nginx/nginx.conf')).toBe('./nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(readOnlyEntry('./site:/usr/share/nginx/html:rw,z', '/usr/share/nginx/html')).toBe('./site:/usr/share/nginx/html:z,ro');
    expect(readOnlyEntry('./site:/usr/share/nginx/html:rw', '/usr/share/nginx/html/')).toBe('./site:/usr/share/nginx/html:ro');
    expect(readOnlyEntry('C:\\conf\\app.ini:/etc/app.ini', '/etc/app.ini')).toBe('C:\\conf\\app.ini:/etc/app.ini:ro');
    expect(readOnlyEntry('~/init:/docker-entrypoint-initdb.d:cached', '/docker-entrypoint-initdb.d')).toBe('~/init:/docker-entrypoint-initdb.d:cached,ro');
  });

  it('leaves every other entry as written', () => {
    expect(readOnlyEntry('./nginx.conf:/etc/nginx/nginx.conf:ro', '/etc/nginx/nginx.conf')).toBeUndefined();
    expect(readOnlyEntry('./other.conf:/etc/other.conf', '/etc/nginx/nginx.conf')).toBeUndefined();
    expect(readOnlyEntry('config:/etc/nginx/nginx.conf', '/etc/nginx/nginx.conf')).toBeUndefined();
    expect(readOnlyEntry('/etc/nginx/nginx.conf', '/etc/nginx/nginx.conf')).toBeUndefined();
    expect(readOnlyEntry('', '/etc/a.conf')).toBeUndefined();
    expect(readOnlyEntry(':::', '/etc/a.conf')).toBeUndefined();
  });
});
