import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseAllDocuments} from 'yaml';
import {copyFixture} from '../support/tree.js';
import {harden} from '../support/cli.js';

/*
 * Non-root without --user (issue 15): where the image's user is known to be non-root
 * (grafana 472, prometheus nobody = 65534, memcached memcache = 11211), fix sets
 * runAsNonRoot: true and the numeric runAsUser, so the kubelet enforces what the image
 * only promises. Where it is root (nginx), fix says what to pass instead.
 */
interface Container {name: string; securityContext?: {runAsNonRoot?: boolean; runAsUser?: number}}

describe('harden fix makes a known non-root image enforced non-root in Kubernetes', () => {
  it('writes runAsNonRoot and the uid for grafana, prometheus and memcached, and asks for --user for nginx', async () => {
    const dir = await copyFixture('test/fixtures/non-root');
    const before = await harden(['audit', '--format', 'json', '--fail-on', 'none'], dir);
    const rootFindings = (JSON.parse(before.stdout) as {findings: Array<{rule: string; target: string; severity: string}>}).findings.filter(f => f.rule === 'root-user');
    expect(rootFindings.map(f => f.target.split('/').at(-1)).sort()).toEqual(['cache', 'grafana', 'prometheus', 'web']);
    expect(rootFindings.find(f => f.target.endsWith('/grafana'))!.severity).toBe('low');

    const fix = await harden(['fix', '--yes', '--no-run'], dir);
    expect(fix.code).toBe(0);
    expect(fix.stdout.replace(/\n +/g, ' ')).toContain('no non-root user is known for this image; pass --user UID:GID');
    const doc = parseAllDocuments(await readFile(join(dir, 'monitoring.yaml'), 'utf8'))[0]!.toJS() as {spec: {template: {spec: {containers: Container[]}}}};
    const byName = new Map(doc.spec.template.spec.containers.map(c => [c.name, c.securityContext ?? {}]));
    expect(byName.get('grafana')).toMatchObject({runAsNonRoot: true, runAsUser: 472});
    expect(byName.get('prometheus')).toMatchObject({runAsNonRoot: true, runAsUser: 65534});
    expect(byName.get('cache')).toMatchObject({runAsNonRoot: true, runAsUser: 11211});
    expect(byName.get('web')?.runAsNonRoot).toBeUndefined();

    const after = await harden(['audit', '--format', 'json', '--fail-on', 'none'], dir);
    const left = (JSON.parse(after.stdout) as {findings: Array<{rule: string; target: string}>}).findings.filter(f => f.rule === 'root-user');
    expect(left.map(f => f.target.split('/').at(-1))).toEqual(['web']);
  });
});
