import {readFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parse, parseAllDocuments} from 'yaml';
import type {AuditReport} from '../../source/core/model/finding.js';
import {harden} from '../support/cli.js';
import {copyFixture, hashTree} from '../support/tree.js';

/*
 * The holes that make a read-only container mutable anyway, on fixture trees written as
 * people write them (test/fixtures/holes): a node agent, a CI runner with the Docker socket
 * in compose and Kubernetes, a web app with a sidecar, a database StatefulSet. Each item is
 * found at its file and line through the real CLI.
 */

const root = resolve('test/fixtures/holes');

/** `rule file:line` of the findings of the given rules, sorted. */
function sites(report: AuditReport, rules: readonly string[]): string[] {
  return report.findings.filter(f => rules.includes(f.rule)).map(f => `${f.rule} ${f.file}:${f.line}${f.fixable ? ' fixable' : ''}`).sort();
}

const holes = ['docker-socket', 'host-mount-writable', 'cap-drop', 'cap-add', 'host-namespace', 'host-port', 'seccomp', 'service-account-token'];

describe('harden audit: the holes around a read-only root', () => {
  it('finds each with file:line, fixable only where harden can fix it safely (--format json)', async () => {
    const run = await harden(['audit', '.', '--format', 'json'], root);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as AuditReport;
    expect(sites(report, holes)).toEqual([
      'cap-add ci/compose.yaml:8',
      'cap-drop agent/node-exporter.yaml:19',
      'cap-drop app/web.yaml:21 fixable',
      'cap-drop app/web.yaml:33 fixable',
      'cap-drop ci/compose.yaml:18 fixable',
      'cap-drop ci/compose.yaml:3 fixable',
      'cap-drop ci/runner.yaml:18 fixable',
      'cap-drop db/postgres.yaml:23 fixable',
      'docker-socket ci/compose.yaml:12',
      'docker-socket ci/runner.yaml:22',
      'host-mount-writable agent/node-exporter.yaml:36',
      'host-mount-writable ci/compose.yaml:13',
      'host-mount-writable ci/compose.yaml:14',
      'host-namespace agent/node-exporter.yaml:16',
      'host-namespace agent/node-exporter.yaml:17',
      'host-namespace ci/compose.yaml:6',
      'host-port agent/node-exporter.yaml:26',
      'seccomp agent/node-exporter.yaml:19',
      'seccomp app/web.yaml:21 fixable',
      'seccomp app/web.yaml:33 fixable',
      'seccomp ci/compose.yaml:10',
      'seccomp ci/runner.yaml:18 fixable',
      'seccomp db/postgres.yaml:23 fixable',
      'service-account-token agent/node-exporter.yaml:16',
      'service-account-token app/web.yaml:16',
      'service-account-token ci/runner.yaml:16',
    ]);
    const message = (rule: string, file: string) => report.findings.find(f => f.rule === rule && f.file === file)!.message;
    // The trade-offs are said where harden leaves a thing alone.
    expect(message('cap-drop', 'agent/node-exporter.yaml')).toContain("harden leaves it: it looks like an agent that watches the node (hostPID: true, the host's /proc mounted)");
    expect(message('docker-socket', 'ci/compose.yaml')).toMatch(/mounts the host's \/var\/run\/docker\.sock .*CI runner/);
    expect(message('host-mount-writable', 'ci/compose.yaml')).toContain('add ":ro"');
    expect(message('host-mount-writable', 'agent/node-exporter.yaml')).toContain('set readOnly: true on the volumeMount');
    expect(message('service-account-token', 'app/web.yaml')).toContain('harden does not: it cannot know whether the app calls the API');
    // The database's data directory is the writable path it needs; its token is off.
    expect(report.findings.filter(f => f.file === 'db/postgres.yaml' && ['host-mount-writable', 'service-account-token'].includes(f.rule))).toEqual([]);
  });

  it('prints them in the text report with file:line and the rule', async () => {
    const run = await harden(['audit', '.', '--verbose'], root);
    expect(run.stdout).toContain('HIGH  ci/compose.yaml:12  docker-socket');
    expect(run.stdout).toContain('HIGH  agent/node-exporter.yaml:16  host-namespace');
    expect(run.stdout).toContain('HIGH  ci/compose.yaml:8  cap-add');
    expect(run.stdout).toContain('MED   ci/compose.yaml:10  seccomp');
    expect(run.stdout).toContain('LOW   agent/node-exporter.yaml:26  host-port');
    expect(run.stdout).toContain('LOW   app/web.yaml:16  service-account-token');
  });

  it('groups them by rule by default, each place under what sets it apart', async () => {
    const {stdout} = await harden(['audit', '.'], root);
    const section = (rule: string) => {
      const lines = stdout.split('\n');
      const start = lines.findIndex(l => new RegExp(`^(HIGH|MED |LOW )  ${rule}: `).test(l));
      expect(start, rule).toBeGreaterThanOrEqual(0);
      return lines.slice(start, lines.indexOf('', start)).join('\n');
    };
    expect(section('docker-socket')).toMatch(/\/var\/run\/docker\.sock at \/var\/run\/docker\.sock: ci\/compose\.yaml:12 /);
    expect(section('host-namespace')).toMatch(/hostPID: true:\s+agent\/node-exporter\.yaml:16 /);
    expect(section('cap-add')).toMatch(/cap_add SYS_ADMIN: ci\/compose\.yaml:8 /);
    expect(section('seccomp')).toMatch(/security_opt seccomp[:=]unconfined: ci\/compose\.yaml:10 /);
    expect(section('host-port')).toMatch(/hostPort \d+:\s+agent\/node-exporter\.yaml:26 /);
    expect(section('service-account-token')).toContain('app/web.yaml:16 ');
    // What harden leaves to a person is said where the place is listed, not only in --verbose.
    expect(section('cap-drop')).toContain('harden leaves it: ');
    expect(stdout).toMatch(/^Pod Security Standards \(\d+ Kubernetes containers?\): /m);
  });

  it('lists every new rule in SARIF and Markdown', async () => {
    const sarif = JSON.parse((await harden(['audit', '.', '--format', 'sarif', '--fail-on', 'none'], root)).stdout) as {runs: Array<{tool: {driver: {rules: Array<{id: string}>}}; results: Array<{ruleId: string}>}>};
    const ids = sarif.runs[0]!.tool.driver.rules.map(r => r.id);
    for (const rule of holes) expect(ids).toContain(rule);
    expect(new Set(sarif.runs[0]!.results.map(r => r.ruleId))).toEqual(expect.objectContaining({size: expect.any(Number)}));
    const markdown = (await harden(['audit', '.', '--format', 'markdown', '--fail-on', 'none'], root)).stdout;
    for (const rule of holes) expect(markdown).toContain(rule);
  });
});

/** The securityContext of each container of the first workload in a manifest, by container name. */
async function contexts(dir: string, file: string): Promise<Record<string, Record<string, unknown>>> {
  const doc = parseAllDocuments(await readFile(join(dir, file), 'utf8'))[0]!.toJS() as {spec: {template: {spec: {containers: Array<{name: string; securityContext?: Record<string, unknown>}>}}}};
  return Object.fromEntries(doc.spec.template.spec.containers.map(c => [c.name, c.securityContext ?? {}]));
}

describe('harden fix: the holes it can close', () => {
  it('brings every non-privileged Kubernetes container it fixes to restricted, drops every compose service\'s capabilities, and leaves the node agent', async () => {
    const dir = await copyFixture('test/fixtures/holes');
    const fix = await harden(['fix', '--no-run', '--yes'], dir);
    expect(fix.stderr).toBe('');
    const report = JSON.parse((await harden(['audit', '.', '--format', 'json', '--fail-on', 'none'], dir)).stdout) as AuditReport;
    const profile = (name: string) => report.targets.find(t => t.name === name)!.podSecurity;
    for (const name of ['Deployment/shop/web', 'Deployment/shop/log-shipper', 'StatefulSet/db/postgres']) expect(profile(name)).toEqual({profile: 'restricted', unmet: []});
    // The runner keeps the socket and the agent its host namespaces: harden does not take them away.
    expect(profile('Deployment/gitlab-runner/runner')).toEqual({profile: 'privileged', unmet: ['a hostPath volume']});
    expect(profile('DaemonSet/node-exporter/node-exporter')!.profile).toBe('privileged');

    const restricted = {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, seccompProfile: {type: 'RuntimeDefault'}};
    const shop = await contexts(dir, 'app/web.yaml');
    // nginx listens on port 80 as uid 101: NET_BIND_SERVICE comes back, nothing else.
    expect(shop['web']).toEqual({...restricted, capabilities: {drop: ['ALL'], add: ['NET_BIND_SERVICE']}});
    expect(shop['log-shipper']).toEqual({...restricted, capabilities: {drop: ['ALL']}});
    expect((await contexts(dir, 'db/postgres.yaml'))['postgres']).toEqual({...restricted, capabilities: {drop: ['ALL']}});
    // The agent gets a read-only root, but its capabilities and seccomp are left to a person.
    expect((await contexts(dir, 'agent/node-exporter.yaml'))['node-exporter']).toEqual({readOnlyRootFilesystem: true, allowPrivilegeEscalation: false});

    const compose = parse(await readFile(join(dir, 'ci/compose.yaml'), 'utf8')) as {services: Record<string, {cap_drop?: string[]; cap_add?: string[]; network_mode?: string; security_opt?: string[]}>};
    for (const service of Object.values(compose.services)) expect(service.cap_drop).toEqual(['ALL']);
    // The runner still runs as root: what its entrypoint needs to step down comes back; its SYS_ADMIN, host network and seccomp:unconfined stay.
    expect(compose.services['runner']!.cap_add).toEqual(['SYS_ADMIN', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'KILL', 'SETGID', 'SETUID']);
    expect(compose.services['runner']!.network_mode).toBe('host');
    expect(compose.services['runner']!.security_opt).toEqual(['seccomp:unconfined', 'no-new-privileges:true']);
    expect(compose.services['web']!.cap_add).toBeUndefined();

    // What is left is what harden said it leaves; a second fix changes nothing.
    const left = new Set(report.findings.filter(f => ['cap-drop', 'seccomp'].includes(f.rule)).map(f => `${f.rule} ${f.file}`));
    expect(left).toEqual(new Set(['cap-drop agent/node-exporter.yaml', 'seccomp agent/node-exporter.yaml', 'seccomp ci/compose.yaml']));
    // The step-down set harden added (DAC_OVERRIDE among it) is no dangerous add of its own making: only the runner's SYS_ADMIN is.
    expect(sites(report, ['cap-add'])).toEqual(['cap-add ci/compose.yaml:8']);
    const before = await hashTree(dir);
    await harden(['fix', '--no-run', '--yes'], dir);
    expect(await hashTree(dir)).toEqual(before);
  });

  it('says what it leaves at the lines the audit names, not where the fixed text moved them', async () => {
    const dir = await copyFixture('test/fixtures/holes');
    const audit = JSON.parse((await harden(['audit', 'ci/compose.yaml', '--format', 'json'], dir)).stdout) as AuditReport;
    const runner = (rule: string) => audit.findings.filter(f => f.rule === rule && f.line < 17).map(f => f.line);
    const plan = (await harden(['fix', '--no-run', 'ci/compose.yaml'], dir)).stdout.replace(/\n\s+/g, ' ');
    const said = (title: string) => [...plan.matchAll(new RegExp(`${title} \\(line (\\d+)\\)`, 'g'))].map(m => Number(m[1]));
    expect(said('Container runtime socket is mounted')).toEqual(runner('docker-socket'));
    expect(said('Dangerous capability is added')).toEqual(runner('cap-add'));
    expect(said('Host directory is mounted writable')).toEqual(runner('host-mount-writable'));
    expect(said('Container shares a host namespace')).toEqual(runner('host-namespace'));
    expect(runner('docker-socket')).toEqual([12]);
  });
});
