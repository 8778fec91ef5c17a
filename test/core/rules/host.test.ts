import {readFileSync} from 'node:fs';
import {Ajv2020} from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import {describe, expect, it} from 'vitest';
import {analyzeFiles} from '../../../source/core/audit.js';
import {hostFacts, hostTarget, type HostInput} from '../../../source/core/host/facts.js';
import {parseDaemonArgs} from '../../../source/core/host/dockerd-args.js';
import type {HostFacts, Subject} from '../../../source/core/model/facts.js';
import type {Finding} from '../../../source/core/model/finding.js';
import {formatReport} from '../../../source/core/report/index.js';
import {allRules, runRules} from '../../../source/core/rules/index.js';
import {hostFixture, infoFixture} from '../host/fixture.js';

/*
 * The host rules over fixture hosts: `docker info` payloads (default, rootless, userns),
 * daemon.json files, os-release and mountinfo of Debian 12, Flatcar and Fedora CoreOS.
 */

const hostRules = ['daemon-no-new-privileges', 'daemon-userns', 'daemon-data-root', 'host-rootfs-writable', 'daemon-live-restore', 'content-trust'];
const etc = '/etc/docker/daemon.json';

/** A Debian 12 host running a default engine with no daemon.json: everything left at Docker's defaults. */
const debian: HostInput = {
  hostname: 'local',
  engine: {endpoint: 'unix:///var/run/docker.sock', info: infoFixture('default')},
  daemonArgs: parseDaemonArgs(['dockerd', '-H', 'fd://']),
  daemonJson: {file: etc, missing: true},
  osRelease: hostFixture('os-release/debian-12'),
  mountinfo: hostFixture('mountinfo/debian'),
};

function facts(input: Partial<HostInput> = {}, base: HostInput = debian): HostFacts {
  return hostFacts({...base, ...input}).facts;
}

function check(host: HostFacts): Finding[] {
  const subject: Subject = {kind: 'host', target: hostTarget(host), host};
  return runRules(subject);
}

const byRule = (findings: Finding[]) => Object.fromEntries(findings.map(f => [f.rule, f]));
const summary = (findings: Finding[]) => findings.map(f => `${f.severity} ${f.rule} ${f.file}:${f.line}`);

describe('host rules on a general-purpose host with a default engine', () => {
  const findings = check(facts());
  const found = byRule(findings);

  it('finds every default left in place', () => {
    expect(summary(findings)).toEqual([
      `medium daemon-no-new-privileges ${etc}:0`,
      `medium daemon-userns ${etc}:0`,
      'low daemon-data-root host:build-01:0',
      'low host-rootfs-writable host:build-01:0',
      `low daemon-live-restore ${etc}:0`,
      'info content-trust host:build-01:0',
    ]);
    expect(findings.every(f => !f.fixable && f.target === 'host:host:build-01#build-01')).toBe(true);
  });

  it('names where each setting lives, the exact line to add and the trade-off', () => {
    expect(found['daemon-no-new-privileges']!.message).toContain(`add the line "no-new-privileges": true to ${etc}`);
    expect(found['daemon-no-new-privileges']!.message).toContain('Trade-off: set-uid programs');
    expect(found['daemon-userns']!.message).toContain(`add the line "userns-remap": "default" to ${etc}`);
    expect(found['daemon-userns']!.message).toMatch(/Trade-off: with userns-remap, .*bind mounts and volumes must be owned by the remapped ids.*rootless Docker cannot publish ports below 1024/);
    expect(found['daemon-live-restore']!.message).toContain(`add the line "live-restore": true to ${etc}`);
    expect(found['daemon-live-restore']!.message).toContain('Trade-off: Swarm mode refuses it');
    expect(found['daemon-data-root']!.message).toMatch(/^The engine's data root \/var\/lib\/docker is on the host's root filesystem \(\/dev\/sda1, ext4\).*without nodev and nosuid; .*\/etc\/fstab.*"\/dev\/sdb1 \/var\/lib\/docker ext4 defaults,nodev,nosuid 0 2".*Trade-off:/);
    expect(found['host-rootfs-writable']!.message).toMatch(/^The host's root filesystem \(\/dev\/sda1, ext4\) is mounted read-write and Debian GNU\/Linux 12 \(bookworm\) is a general-purpose distribution.*templates\/host\/immutable-os\.md.*Trade-off:/);
    expect(found['content-trust']!.message).toMatch(/^DOCKER_CONTENT_TRUST is not set.*CI job's env:.*DOCKER_CONTENT_TRUST=1.*templates\/signing\//);
  });
});

describe('daemon-no-new-privileges', () => {
  const nnp = (host: HostFacts) => check(host).filter(f => f.rule === 'daemon-no-new-privileges');

  it('is satisfied by daemon.json or by the dockerd flag', () => {
    expect(nnp(facts({daemonJson: {file: etc, text: hostFixture('daemon/valid.json')}}))).toEqual([]);
    expect(nnp(facts({daemonJson: {file: etc, text: hostFixture('daemon/bom.json')}}))).toEqual([]);
    expect(nnp(facts({daemonArgs: parseDaemonArgs(['dockerd', '--no-new-privileges'])}))).toEqual([]);
  });

  it('points at the line that turns it off', () => {
    const [finding] = nnp(facts({daemonJson: {file: etc, text: hostFixture('daemon/crlf.json')}}));
    expect(finding).toMatchObject({file: etc, line: 4, severity: 'medium'});
    expect(finding!.message).toMatch(/^"no-new-privileges": false in \/etc\/docker\/daemon.json does not turn the daemon-wide default on.*change line 4 of \/etc\/docker\/daemon.json to "no-new-privileges": true/);
  });

  it('tells to drop a --no-new-privileges=false flag', () => {
    const [finding] = nnp(facts({daemonArgs: parseDaemonArgs(['dockerd', '--no-new-privileges=false'])}));
    expect(finding!.message).toMatch(/^dockerd runs with --no-new-privileges=false.*remove --no-new-privileges=false from dockerd's command line/);
  });

  it('still reports when daemon.json is malformed or the command line unread, and says so', () => {
    const {facts: host, errors} = hostFacts({...debian, daemonJson: {file: etc, text: hostFixture('daemon/malformed.json')}, daemonArgs: undefined});
    expect(errors).toHaveLength(1);
    expect(nnp(host)[0]!.message).toContain(`(${etc} could not be read or parsed, see the errors; dockerd's command line could not be read, so flags set there are not seen)`);
  });

  it('reads the rootless daemon.json path into the message', () => {
    const [finding] = nnp(facts({engine: {endpoint: 'unix:///run/user/1000/docker.sock', info: infoFixture('rootless')}, daemonJson: {file: '/home/dev/.config/docker/daemon.json', missing: true}}));
    expect(finding).toMatchObject({file: '/home/dev/.config/docker/daemon.json', line: 0});
  });
});

describe('daemon-userns', () => {
  const userns = (host: HostFacts) => check(host).filter(f => f.rule === 'daemon-userns');

  it('is satisfied by a rootless or remapped engine, as the engine reports it', () => {
    expect(userns(facts({engine: {endpoint: 'unix:///run/user/1000/docker.sock', info: infoFixture('rootless')}}))).toEqual([]);
    expect(userns(facts({engine: {endpoint: 'unix:///var/run/docker.sock', info: infoFixture('userns')}}))).toEqual([]);
  });

  it('says when daemon.json asks for remapping the running daemon does not do yet', () => {
    const [finding] = userns(facts({daemonJson: {file: etc, text: '{\n  "userns-remap": "default"\n}\n'}}));
    expect(finding).toMatchObject({file: etc, line: 2});
    expect(finding!.message).toContain('(line 2 of /etc/docker/daemon.json sets "userns-remap", but the running daemon does not use it: restart it)');
  });
});

describe('daemon-live-restore', () => {
  it('is judged by what the engine reports, and skipped in Swarm mode', () => {
    expect(check(facts({engine: {endpoint: 'unix:///var/run/docker.sock', info: infoFixture('userns')}})).map(f => f.rule)).not.toContain('daemon-live-restore');
    const swarm = {...infoFixture('default'), Swarm: {LocalNodeState: 'active'}};
    expect(check(facts({engine: {endpoint: 'unix:///var/run/docker.sock', info: swarm}})).map(f => f.rule)).not.toContain('daemon-live-restore');
  });

  it('points at a "live-restore": false line', () => {
    const finding = check(facts({daemonJson: {file: etc, text: hostFixture('daemon/crlf.json')}})).find(f => f.rule === 'daemon-live-restore');
    expect(finding).toMatchObject({file: etc, line: 3});
    expect(finding!.message).toMatch(/^"live-restore" is set to false, so stopping or restarting the daemon/);
  });
});

describe('daemon-data-root', () => {
  const dataRoot = (mountinfo: string) => check(facts({mountinfo})).filter(f => f.rule === 'daemon-data-root');
  const base = '1 0 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n';

  it('passes a data root of its own mounted nodev,nosuid', () => {
    expect(dataRoot(`${base}2 1 8:17 / /var/lib/docker rw,nosuid,nodev,relatime - xfs /dev/sdb1 rw\n`)).toEqual([]);
  });

  it('names the missing option of a separate mount', () => {
    const [finding] = dataRoot(`${base}2 1 8:17 / /var/lib/docker rw,nodev - xfs /dev/sdb1 rw\n`);
    expect(finding!.message).toMatch(/^The engine's data root \/var\/lib\/docker is mounted from \/dev\/sdb1 at \/var\/lib\/docker without nosuid, .*add nodev,nosuid to the options of \/var\/lib\/docker on its \/etc\/fstab line/);
  });

  it('counts a bind mount from the root filesystem as the root filesystem', () => {
    const [finding] = dataRoot(`${base}2 1 8:1 /srv/docker /var/lib/docker rw,nosuid,nodev - ext4 /dev/sda1 rw\n`);
    expect(finding!.message).toMatch(/is on the host's root filesystem \(\/dev\/sda1, ext4\), so images/);
    expect(finding!.message).not.toContain('mounted without');
  });

  it('finds the remapped data root on a separate filesystem (Flatcar fixture)', () => {
    const host = facts({engine: {endpoint: 'unix:///var/run/docker.sock', info: infoFixture('userns')}, osRelease: hostFixture('os-release/flatcar'), mountinfo: hostFixture('mountinfo/flatcar')});
    expect(host.mounts?.dataRoot?.mountPoint).toBe('/var/lib/docker');
    expect(check(host).map(f => f.rule)).not.toContain('daemon-data-root');
  });
});

describe('host-rootfs-writable', () => {
  const rootfs = (host: HostFacts) => check(host).filter(f => f.rule === 'host-rootfs-writable');

  it.each([
    ['flatcar', 'flatcar', 'This host runs Flatcar Container Linux, an immutable OS: its /usr is a read-only, dm-verity-checked partition'],
    ['fedora-coreos', 'fedora-coreos', 'This host runs Fedora CoreOS, an immutable OS: its /usr is a read-only OSTree deployment'],
    ['bottlerocket', 'debian', 'This host runs Bottlerocket, an immutable OS: its root filesystem is read-only'],
  ])('says so, as information, on %s', (os, mounts, start) => {
    const [finding] = rootfs(facts({osRelease: hostFixture(`os-release/${os}`), mountinfo: hostFixture(`mountinfo/${mounts}`)}));
    expect(finding!.severity).toBe('info');
    expect(finding!.message.startsWith(start)).toBe(true);
  });

  it('notes that / stays writable by design on Flatcar', () => {
    const [finding] = rootfs(facts({osRelease: hostFixture('os-release/flatcar'), mountinfo: hostFixture('mountinfo/flatcar')}));
    expect(finding!.message).toContain('/ itself stays writable for /etc and /var by design.');
  });

  it('passes a read-only root on a general-purpose OS', () => {
    expect(rootfs(facts({mountinfo: '1 0 8:1 / / ro,relatime - ext4 /dev/sda1 ro\n'}))).toEqual([]);
  });

  it('mentions a read-only /usr that helps', () => {
    const [finding] = rootfs(facts({mountinfo: '1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 8:2 / /usr ro - ext4 /dev/sda2 ro\n'}));
    expect(finding!.message).toContain('(/usr is a read-only mount, which helps, but the rest of / is not)');
  });

  it('says what it could not check', () => {
    const [noTable] = rootfs(facts({mountinfo: undefined}));
    expect(noTable).toMatchObject({severity: 'info', message: expect.stringMatching(/^Not checked: the mount table/)});
    const [noOs] = rootfs(facts({osRelease: undefined}));
    expect(noOs!.message).toContain('the OS (it has no /etc/os-release) is a general-purpose distribution');
  });
});

describe('an engine on another machine', () => {
  const remote: HostInput = {
    hostname: 'laptop',
    engine: {endpoint: 'tcp://10.0.0.5:2376', info: infoFixture('default')},
    elsewhere: 'the engine is reached at tcp://10.0.0.5:2376, so it runs on another machine whose os-release, mount table and daemon.json harden cannot read from here',
  };

  it('judges what the engine reports, and says what it could not check', () => {
    const findings = check(hostFacts(remote).facts);
    expect(summary(findings)).toEqual([
      'info daemon-no-new-privileges host:build-01:0',
      'medium daemon-userns host:build-01:0',
      'info host-rootfs-writable host:build-01:0',
      'low daemon-live-restore host:build-01:0',
      'info content-trust host:build-01:0',
    ]);
    const found = byRule(findings);
    expect(found['daemon-no-new-privileges']!.message).toMatch(/^Could not check whether the daemon defaults containers to no-new-privileges: the engine is reached at tcp:\/\/10.0.0.5:2376.*make sure \/etc\/docker\/daemon.json on the engine's host has the line "no-new-privileges": true/);
    expect(found['daemon-userns']!.message).toContain('to /etc/docker/daemon.json on the engine\'s host');
    expect(found['host-rootfs-writable']!.message).toMatch(/^Not checked: the engine is reached at tcp:.*Run "harden audit --host" on the engine's host/);
  });

  it('uses a daemon.json the user named with --daemon-config', () => {
    const host = hostFacts({...remote, daemonJson: {file: '/tmp/remote-daemon.json', text: hostFixture('daemon/valid.json')}}).facts;
    expect(check(host).map(f => f.rule)).not.toContain('daemon-no-new-privileges');
  });

  it('recognises an immutable OS from docker info', () => {
    const info = {...infoFixture('default'), OperatingSystem: 'Fedora CoreOS 39.20240210.3.0'};
    const [finding] = check(hostFacts({...remote, engine: {endpoint: 'tcp://10.0.0.5:2376', info}}).facts).filter(f => f.rule === 'host-rootfs-writable');
    expect(finding!.message).toMatch(/^The engine's host runs Fedora CoreOS \(as docker info reports\), an immutable OS/);
  });
});

describe('without an engine', () => {
  it('still checks the OS, mounts and environment; the daemon rules wait for an engine', () => {
    const host = facts({engine: undefined, daemonArgs: undefined});
    expect(host.name).toBe('local');
    expect(summary(check(host))).toEqual(['low host-rootfs-writable host:local:0', 'info content-trust host:local:0']);
  });
});

describe('content-trust', () => {
  const trust = (value: string | undefined) => check(facts({contentTrust: value})).find(f => f.rule === 'content-trust')!;

  it('warns that turning DCT on now breaks pulls of Docker Official Images', () => {
    for (const on of ['1', 'true', 'yes']) expect(trust(on).message).toMatch(new RegExp(`^DOCKER_CONTENT_TRUST=${on} is set.*since 8 August 2025 pulls of Docker Official Images fail`));
  });

  it('counts 0, false and empty as not set, as the docker CLI does', () => {
    for (const off of [undefined, '', '0', 'false', 'F']) expect(trust(off).message).toMatch(/^DOCKER_CONTENT_TRUST is not set/);
  });
});

describe('host subjects and the other rules', () => {
  it('no file or container rule fires on a host, and no host rule on a file', () => {
    expect(new Set(check(facts()).map(f => f.rule))).toEqual(new Set(hostRules));
    const analysis = analyzeFiles([{file: 'Dockerfile', type: 'dockerfile', text: 'FROM node:20\nRUN npm ci\n'}], {version: '0.0.0-test'});
    expect(analysis.report.findings.length).toBeGreaterThan(0);
    expect(analysis.report.findings.filter(f => hostRules.includes(f.rule))).toEqual([]);
  });

  it('registers every host rule in allRules', () => {
    expect(allRules.map(r => r.id)).toEqual(expect.arrayContaining(hostRules));
    expect(allRules.filter(r => hostRules.includes(r.id)).every(r => !r.fixable)).toBe(true);
  });
});

describe('host findings in every report format', () => {
  const host = facts({daemonJson: {file: etc, text: hostFixture('daemon/crlf.json')}});
  const {report} = analyzeFiles([{file: 'Dockerfile', type: 'dockerfile', text: 'FROM node:20@sha256:' + 'a'.repeat(64) + '\nUSER node\n'}], {version: '0.0.0-test', host});

  it('puts the host beside the files as one more target', () => {
    expect(report.targets.map(t => `${t.kind} ${t.name}`)).toEqual(['dockerfile Dockerfile', 'host build-01']);
  });

  it('writes JSON with the same shape as every audit', () => {
    const json = JSON.parse(formatReport(report, 'json', {color: false, rules: allRules})) as typeof report;
    expect(json.targets).toContainEqual({id: 'host:host:build-01#build-01', kind: 'host', file: 'host:build-01', name: 'build-01', line: 0});
    expect(json.findings).toContainEqual(expect.objectContaining({rule: 'daemon-no-new-privileges', file: etc, line: 4, fixable: false}));
  });

  it('writes valid SARIF, with daemon.json as a file: URI at the setting\'s line', () => {
    const schema = JSON.parse(readFileSync(new URL('../../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));
    const ajv = new Ajv2020({allErrors: true, strict: true, strictRequired: false});
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const log = JSON.parse(formatReport(report, 'sarif', {color: false, rules: allRules})) as {runs: Array<{results: Array<{ruleId: string; locations: unknown[]}>; tool: {driver: {rules: Array<{id: string}>}}}>};
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    const result = log.runs[0]!.results.find(r => r.ruleId === 'daemon-no-new-privileges')!;
    expect(result.locations).toEqual([{physicalLocation: {artifactLocation: {uri: 'file:///etc/docker/daemon.json'}, region: {startLine: 4}}}]);
    expect(log.runs[0]!.tool.driver.rules.map(r => r.id)).toEqual(expect.arrayContaining(hostRules));
  });

  it('writes Markdown with a section for daemon.json and the rule descriptions', () => {
    const markdown = formatReport(report, 'markdown', {color: false, rules: allRules, verbose: true});
    expect(markdown).toContain('### /etc/docker/daemon.json');
    expect(markdown).toMatch(/\| Medium \| 4 \| `daemon-no-new-privileges` \| build-01 \(host\) \|/);
    expect(markdown).toContain('### `daemon-userns`: No user-namespace remapping and not rootless');
  });

  it('writes text with the host as a target', () => {
    const verbose = formatReport(report, 'text', {color: false, rules: allRules, verbose: true});
    expect(verbose).toContain('build-01 (host, line 0)');
    expect(verbose).toContain('/etc/docker/daemon.json:4  daemon-no-new-privileges');
    const text = formatReport(report, 'text', {color: false, rules: allRules});
    expect(text).toContain('2 targets: 1 Dockerfile, 1 host\n');
    expect(text).toMatch(/^MED {3}daemon-no-new-privileges \(1\)\n(?: {2}.*\n)*? {4}\/etc\/docker\/daemon\.json:4 build-01\n/m);
  });
});

describe('templates/host/daemon.json', () => {
  const text = readFileSync(new URL('../../../templates/host/daemon.json', import.meta.url), 'utf8');

  it('is a valid daemon.json that turns on what the host rules ask for', () => {
    const made = hostFacts({...debian, daemonJson: {file: etc, text}});
    expect(made.errors).toEqual([]);
    expect(Object.fromEntries([...made.facts.daemonConfig!.settings].map(([key, s]) => [key, s.value]))).toMatchObject({'no-new-privileges': true, 'live-restore': true, 'userns-remap': 'default', icc: false});
    const findings = byRule(check(made.facts));
    expect(findings['daemon-no-new-privileges']).toBeUndefined();
    // Written but not in force until the daemon restarts: the engine still reports no remapping.
    expect(findings['daemon-userns']!.message).toContain('but the running daemon does not use it: restart it');
  });
});
