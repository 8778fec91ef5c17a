import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parse, parseAllDocuments} from 'yaml';
import type {AuditReport} from '../../source/core/model/finding.js';
import {harden} from '../support/cli.js';
import {copyFixture, hashTree} from '../support/tree.js';

/*
 * Issue 16: "readOnly: true on host mounts the app only reads". fix adds `:ro` where that is
 * known (a database's init scripts, nginx's html, a single configuration file), read_only:
 * true in the long syntax and readOnly: true on a Kubernetes volumeMount, and leaves every
 * other host mount to a person, saying why.
 */

const writable = (report: AuditReport) => report.findings.filter(f => f.rule === 'host-mount-writable').map(f => `${f.line}${f.fixable ? ' fixable' : ''}`);

describe('harden fix: host mounts the app only reads become read-only', () => {
  it('adds :ro to those, keeps the others, and a second fix changes nothing', async () => {
    const dir = await copyFixture('test/fixtures/read-only-binds');
    const audit = JSON.parse((await harden(['audit', '.', '--format', 'json', '--fail-on', 'none'], dir)).stdout) as AuditReport;
    expect(writable(audit)).toEqual(['8 fixable', '9 fixable', '10', '11 fixable', '17 fixable']);
    expect(audit.findings.find(f => f.rule === 'host-mount-writable' && f.line === 17)!.message).toContain('harden adds ":ro" (the postgres, mysql, mariadb and mongo images only read their init scripts');
    expect(audit.findings.find(f => f.rule === 'host-mount-writable' && f.line === 10)!.message).toContain('harden does not: only you know whether it writes there');
    expect(audit.findings.find(f => f.rule === 'host-mount-writable' && f.line === 11)!.message).toContain('harden adds "read_only: true" (app.ini is a configuration file');

    const plan = (await harden(['fix', '--no-run'], dir)).stdout.replace(/\n\s+/g, ' ');
    expect(plan).toContain('+ host-mount-writable: the host mount at /etc/nginx/nginx.conf becomes read-only (:ro): nginx.conf is a configuration file');
    const fix = await harden(['fix', '--no-run', '--yes'], dir);
    expect(fix.code, fix.stderr).toBe(0);
    const compose = parse(await readFile(join(dir, 'compose.yaml'), 'utf8')) as {services: Record<string, {volumes: unknown[]}>};
    expect(compose.services['proxy']!.volumes).toEqual([
      './nginx.conf:/etc/nginx/nginx.conf:ro',
      './site:/usr/share/nginx/html:z,ro',
      './uploads:/srv/uploads',
      {type: 'bind', source: './app.ini', target: '/etc/app.ini', read_only: true},
    ]);
    // The long syntax gets its key as the mapping's last line, in its indentation.
    expect(await readFile(join(dir, 'compose.yaml'), 'utf8')).toContain('        target: /etc/app.ini\n        read_only: true\n    read_only: true\n');
    expect(compose.services['db']!.volumes).toEqual(['./init:/docker-entrypoint-initdb.d:ro', './pgdata:/var/lib/postgresql/data']);

    const after = JSON.parse((await harden(['audit', '.', '--format', 'json', '--fail-on', 'none'], dir)).stdout) as AuditReport;
    expect(writable(after)).toEqual(['10']);
    const before = await hashTree(dir);
    await harden(['fix', '--no-run', '--yes'], dir);
    expect(await hashTree(dir)).toEqual(before);
  });

  it('sets readOnly: true on the Kubernetes volumeMounts of those, keeps the others, and a second fix changes nothing', async () => {
    const dir = await copyFixture('test/fixtures/read-only-host-paths');
    const audit = JSON.parse((await harden(['audit', '.', '--format', 'json', '--fail-on', 'none'], dir)).stdout) as AuditReport;
    expect(writable(audit)).toEqual(['18 fixable', '20 fixable', '22', '51 fixable']);
    expect(audit.findings.find(f => f.rule === 'host-mount-writable' && f.line === 51)!.message).toContain('harden sets readOnly: true (the postgres, mysql, mariadb and mongo images only read their init scripts');

    const plan = (await harden(['fix', '--no-run'], dir)).stdout.replace(/\n\s+/g, ' ');
    expect(plan).toContain('+ host-mount-writable: the host mount at /etc/nginx/nginx.conf becomes read-only (readOnly: true): nginx.conf is a configuration file');
    const fix = await harden(['fix', '--no-run', '--yes'], dir);
    expect(fix.code, fix.stderr).toBe(0);
    const [proxy, db] = parseAllDocuments(await readFile(join(dir, 'deploy.yaml'), 'utf8')).map(doc => doc.toJS() as {spec: {template: {spec: {containers: Array<{volumeMounts: unknown[]}>}}}});
    // Each mount keeps its own keys and style; only readOnly is set or turned to true.
    expect(proxy!.spec.template.spec.containers[0]!.volumeMounts.slice(0, 3)).toEqual([
      {name: 'conf', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf', readOnly: true},
      {name: 'site', mountPath: '/usr/share/nginx/html', readOnly: true},
      {name: 'uploads', mountPath: '/srv/uploads', readOnly: false},
    ]);
    expect(db!.spec.template.spec.containers[0]!.volumeMounts[0]).toEqual({name: 'init', mountPath: '/docker-entrypoint-initdb.d/', readOnly: true});
    expect(await readFile(join(dir, 'deploy.yaml'), 'utf8')).toContain('            - {name: site, mountPath: /usr/share/nginx/html, readOnly: true}\n');

    const after = JSON.parse((await harden(['audit', '.', '--format', 'json', '--fail-on', 'none'], dir)).stdout) as AuditReport;
    expect(writable(after)).toEqual(['23']); // the uploads mount, a line lower for the readOnly added above it
    const before = await hashTree(dir);
    await harden(['fix', '--no-run', '--yes'], dir);
    expect(await hashTree(dir)).toEqual(before);
  });
});
