import {describe, expect, it} from 'vitest';
import {analyzeFiles, auditFiles, type LoadedFile} from '../../../source/core/audit.js';
import type {ComposeService, Subject} from '../../../source/core/model/facts.js';
import {overrideBase} from '../../../source/core/parse/compose-merge.js';
import {formatSarif} from '../../../source/core/report/sarif.js';
import {allRules} from '../../../source/core/rules/index.js';

const base = `services:
  web:
    image: nginx:1.27
    volumes:
      - cache:/var/cache/nginx
  worker:
    image: busybox:1
    read_only: false
`;

const override = `services:
  web:
    read_only: true
    security_opt: ["no-new-privileges:true"]
    tmpfs: [/var/run, /tmp]
  debug:
    image: busybox:1
`;

function rules(report: ReturnType<typeof auditFiles>, target: string): string[] {
  return report.findings.filter(f => f.target === target).map(f => (f.path ? `${f.rule} ${f.path}` : f.rule)).sort();
}

const compose = (file: string, text: string): LoadedFile => ({file, type: 'compose', text});

/** The merged service `name` of compose.yaml, with compose.override.yaml laid over it. */
function mergedService(baseText: string, overrideText: string, name = 'web'): ComposeService {
  const {subjects} = analyzeFiles([compose('compose.yaml', baseText), compose('compose.override.yaml', overrideText)], {version: 'test'});
  const subject = subjects.find((s): s is Extract<Subject, {kind: 'compose-service'}> => s.kind === 'compose-service' && s.service.name === name);
  return subject!.service;
}

/** `file:line` of the read-only-rootfs finding on compose.yaml#web, or `none`. */
function readOnlyAt(baseText: string, overrideText: string): string {
  const report = auditFiles([compose('compose.yaml', baseText), compose('compose.override.yaml', overrideText)], {version: 'test'});
  const found = report.findings.find(f => f.rule === 'read-only-rootfs' && f.target === 'compose-service:compose.yaml#web');
  return found ? `${found.file}:${found.line}` : 'none';
}

const service = (...lines: string[]) => ['services:', '  web:', '    image: nginx:1.27', ...lines.map(line => `    ${line}`), ''].join('\n');

describe('compose.override.yaml', () => {
  it('is merged over compose.yaml as docker compose does', () => {
    const report = auditFiles([compose('app/compose.yaml', base), compose('app/compose.override.yaml', override)], {version: 'test'});
    expect(report.targets.map(t => t.id)).toEqual([
      'compose-service:app/compose.override.yaml#debug',
      'compose-service:app/compose.yaml#web',
      'compose-service:app/compose.yaml#worker',
    ]);
    // read_only, no-new-privileges and the tmpfs mounts come from the override; the cache volume from the base.
    expect(rules(report, 'compose-service:app/compose.yaml#web')).toEqual(['cap-drop', 'mutable-image-ref', 'root-user']);
    expect(rules(report, 'compose-service:app/compose.yaml#worker')).toContain('read-only-rootfs');
    expect(report.findings.find(f => f.target.endsWith('#worker') && f.rule === 'read-only-rootfs')!.line).toBe(8);
  });

  it('stands alone without a base file, and other variants are never merged', () => {
    const report = auditFiles(
      [compose('compose.override.yaml', override), compose('other/compose.yaml', base), compose('other/docker-compose.prod.yml', override)],
      {version: 'test'},
    );
    expect(report.targets.map(t => t.id)).toContain('compose-service:compose.override.yaml#web');
    expect(report.targets.map(t => t.id)).toContain('compose-service:other/docker-compose.prod.yml#web');
    expect(rules(report, 'compose-service:other/compose.yaml#web')).toContain('read-only-rootfs');
  });
});

describe('read_only across the two files: the finding is where Compose takes the value from', () => {
  it.each([
    ['unset in both', service(), service().replace('    image: nginx:1.27\n', ''), 'compose.yaml:2'],
    ['false in the base only', service('read_only: false'), 'services:\n  web:\n    restart: always\n', 'compose.yaml:4'],
    ['true in the base, false in the override', service('read_only: true'), 'services:\n  web:\n    read_only: false\n', 'compose.override.yaml:3'],
    ['false in the base, true in the override', service('read_only: false'), 'services:\n  web:\n    read_only: true\n', 'none'],
    ['unset in the base, false in the override', service(), 'services:\n  web:\n    read_only: "false"\n', 'compose.override.yaml:3'],
    ['true in both', service('read_only: true'), 'services:\n  web:\n    read_only: true\n', 'none'],
    ['true in the base, !reset null in the override', service('read_only: true'), 'services:\n  web:\n    read_only: !reset null\n', 'compose.override.yaml:3'],
    ['true in the base, a bare !reset in the override', service('read_only: true'), 'services:\n  web:\n    read_only: !reset\n', 'compose.override.yaml:3'],
    ['true in the base, !reset true in the override (the value is ignored)', service('read_only: true'), 'services:\n  web:\n    read_only: !reset true\n', 'compose.override.yaml:3'],
    ['false in the base, !override true in the override', service('read_only: false'), 'services:\n  web:\n    read_only: !override true\n', 'none'],
    ['!reset in the base file itself', service('read_only: !reset true'), 'services: {}\n', 'compose.yaml:4'],
    ['true in the base, the service reset whole', service('read_only: true'), 'services:\n  web: !reset {}\n', 'none'],
  ])('%s', (_name, baseText, overrideText, expected) => {
    expect(readOnlyAt(baseText, overrideText)).toBe(expected);
  });

  it('SARIF points at the override\'s line, the result still naming the base\'s target', () => {
    const report = auditFiles([compose('compose.yaml', service('read_only: true')), compose('compose.override.yaml', 'services:\n  web:\n    read_only: false\n')], {version: 'test'});
    const log = JSON.parse(formatSarif(report, allRules)) as {runs: Array<{results: Array<{ruleId: string; locations: unknown[]; properties: {target: string}}>}>};
    const result = log.runs[0]!.results.find(r => r.ruleId === 'read-only-rootfs')!;
    expect(result.locations).toEqual([{physicalLocation: {artifactLocation: {uri: 'compose.override.yaml', uriBaseId: '%SRCROOT%'}, region: {startLine: 3}}}]);
    expect(result.properties.target).toBe('compose-service:compose.yaml#web');
  });

  it('names the override in the message', () => {
    const report = auditFiles([compose('compose.yaml', service('read_only: true')), compose('compose.override.yaml', 'services:\n  web:\n    read_only: false\n')], {version: 'test'});
    const found = report.findings.find(f => f.rule === 'read-only-rootfs')!;
    expect(found.message).toMatch(/^"read_only: false" in compose\.override\.yaml \(which Compose applies over compose\.yaml\) leaves the root filesystem writable/);
    expect(found.target).toBe('compose-service:compose.yaml#web');
  });
});

describe('merge rules, key by key', () => {
  const mounts = (s: ComposeService) => s.mounts.map(m => `${m.key}:${m.target}@${m.file ?? 'compose.yaml'}:${m.line}`);

  it.each([
    ['volumes merge by target, the override taking the base\'s place', ['volumes:', '  - data:/data', '  - logs:/logs'], ['volumes:', '  - ./src:/data', '  - new:/new'],
      ['volumes:/data@compose.override.yaml:4', 'volumes:/logs@compose.yaml:6', 'volumes:/new@compose.override.yaml:5']],
    ['tmpfs merges by path, a string and a list alike', ['tmpfs: /run'], ['tmpfs: [/tmp, /run]'], ['tmpfs:/run@compose.override.yaml:3', 'tmpfs:/tmp@compose.override.yaml:3']],
    ['volumes: !reset [] drops the base\'s volumes, not its tmpfs', ['volumes: [data:/data]', 'tmpfs: [/tmp]'], ['volumes: !reset []'], ['tmpfs:/tmp@compose.yaml:5']],
    ['volumes: !override replaces the base\'s volumes', ['volumes: [data:/data, logs:/logs]'], ['volumes: !override', '  - cache:/cache'], ['volumes:/cache@compose.override.yaml:4']],
    ['tmpfs: !reset drops the base\'s tmpfs', ['tmpfs: [/tmp]', 'volumes: [data:/data]'], ['tmpfs: !reset'], ['volumes:/data@compose.yaml:5']],
    ['tmpfs: !override replaces the base\'s tmpfs', ['tmpfs: [/tmp, /run]'], ['tmpfs: !override [/cache]'], ['tmpfs:/cache@compose.override.yaml:3']],
  ])('%s', (_name, baseLines, overrideLines, expected) => {
    const top = ['services:', '  web:', ...overrideLines.map(line => `    ${line}`), ''].join('\n');
    expect(mounts(mergedService(service(...baseLines), top)).sort()).toEqual([...expected].sort());
  });

  it.each([
    ['security_opt is appended to, so the override\'s option is the last one', ['security_opt: ["no-new-privileges:true"]'], ['security_opt: ["no-new-privileges:false"]'],
      ['no-new-privileges:true', 'no-new-privileges:false'], 'compose.override.yaml:3'],
    ['security_opt: !reset [] drops the base\'s options', ['security_opt: ["no-new-privileges:true"]'], ['security_opt: !reset []'], [], 'compose.override.yaml:3'],
    ['security_opt: !override replaces them', ['security_opt: ["no-new-privileges:false", "label:disable"]'], ['security_opt: !override ["no-new-privileges:true"]'],
      ['no-new-privileges:true'], 'none'],
  ])('%s', (_name, baseLines, overrideLines, options, finding) => {
    const top = ['services:', '  web:', ...overrideLines.map(line => `    ${line}`), ''].join('\n');
    const files = [compose('compose.yaml', service(...baseLines)), compose('compose.override.yaml', top)];
    expect(mergedService(service(...baseLines), top).securityOpt.map(o => o.value)).toEqual(options);
    const found = auditFiles(files, {version: 'test'}).findings.find(f => f.rule === 'privilege-escalation');
    expect(found ? `${found.file}:${found.line}` : 'none').toBe(finding);
  });

  it('cap_drop keeps one entry per capability; !reset empties it', () => {
    expect(mergedService(service('cap_drop: [NET_RAW, ALL]'), 'services:\n  web:\n    cap_drop: [ALL, MKNOD]\n').capDrop.map(c => c.value)).toEqual(['NET_RAW', 'ALL', 'MKNOD']);
    expect(mergedService(service('cap_drop: [ALL]'), 'services:\n  web:\n    cap_drop: !reset []\n').capDrop).toEqual([]);
  });

  it('single values are replaced, with the override\'s file and line; !reset unsets them', () => {
    const merged = mergedService(service('user: "1000"', 'command: [a, b]', 'privileged: true'), 'services:\n  web:\n    image: nginx:1.28\n    command: c\n    privileged: !reset null\n');
    expect(merged.image).toMatchObject({raw: 'nginx:1.28', file: 'compose.override.yaml', line: 3});
    expect(merged.command).toEqual({value: 'c', argv: ['c'], line: 4, file: 'compose.override.yaml'});
    expect(merged.user).toEqual({value: '1000', line: 4});
    expect(merged.privileged).toBeUndefined();
    expect(merged.override).toEqual({file: 'compose.override.yaml', line: 2});
    expect(merged.tags).toEqual([{key: 'privileged', tag: 'reset', line: 5, file: 'compose.override.yaml'}]);
  });

  it('a service tagged !override replaces the base\'s whole and is audited in the override', () => {
    const report = auditFiles([compose('compose.yaml', service('read_only: true', 'user: "1000"')), compose('compose.override.yaml', 'services:\n  web: !override\n    image: nginx:1.27\n')], {version: 'test'});
    expect(report.targets.map(t => t.id)).toEqual(['compose-service:compose.override.yaml#web']);
    expect(report.findings.find(f => f.rule === 'read-only-rootfs')).toMatchObject({file: 'compose.override.yaml', line: 2});
  });
});

describe('override files as Compose finds them', () => {
  it.each([
    ['compose.override.yaml over compose.yaml', ['compose.yaml', 'compose.override.yaml'], 'compose.override.yaml', 'compose.yaml'],
    ['docker-compose.override.yml over docker-compose.yml', ['docker-compose.yml', 'docker-compose.override.yml'], 'docker-compose.override.yml', 'docker-compose.yml'],
    ['either override name goes with either base name', ['compose.yaml', 'docker-compose.override.yml'], 'docker-compose.override.yml', 'compose.yaml'],
    ['compose.yaml is the base when docker-compose.yml is there too', ['docker-compose.yml', 'compose.yaml', 'compose.override.yml'], 'compose.override.yml', 'compose.yaml'],
    ['compose.override.yml wins over compose.override.yaml', ['compose.yaml', 'compose.override.yml', 'compose.override.yaml'], 'compose.override.yml', 'compose.yaml'],
    ['the other override name is not read', ['compose.yaml', 'compose.override.yml', 'compose.override.yaml'], 'compose.override.yaml', undefined],
    ['no base file, no merge', ['compose.override.yaml'], 'compose.override.yaml', undefined],
    ['other directories do not count', ['a/compose.yaml', 'compose.override.yaml'], 'compose.override.yaml', undefined],
    ['in a subdirectory', ['a/compose.yml', 'a/compose.override.yaml'], 'a/compose.override.yaml', 'a/compose.yml'],
    ['a variant is never an override', ['compose.yaml', 'compose.prod.yaml'], 'compose.prod.yaml', undefined],
  ])('%s', (_name, files, file, expected) => {
    expect(overrideBase(file, new Set(files))).toBe(expected);
  });

  it('docker-compose.override.yml beside docker-compose.yml is merged', () => {
    const report = auditFiles([compose('docker-compose.yml', service('read_only: true')), compose('docker-compose.override.yml', 'services:\n  web:\n    read_only: false\n')], {version: 'test'});
    expect(report.findings.find(f => f.rule === 'read-only-rootfs')).toMatchObject({target: 'compose-service:docker-compose.yml#web', file: 'docker-compose.override.yml', line: 3});
  });
});

describe('override files that are odd', () => {
  const audit = (overrideFile: LoadedFile) => auditFiles([compose('compose.yaml', service('read_only: true')), overrideFile], {version: 'test'});

  it('an override that only adds a service leaves the base\'s services alone', () => {
    const report = audit(compose('compose.override.yaml', 'services:\n  debug:\n    image: busybox:1\n    read_only: true\n'));
    expect(report.targets.map(t => t.id)).toEqual(['compose-service:compose.override.yaml#debug', 'compose-service:compose.yaml#web']);
    expect(report.findings.filter(f => f.rule === 'read-only-rootfs')).toEqual([]);
  });

  it.each([['an empty file', ''], ['a comment only', '# nothing yet\n'], ['an empty services:', 'services:\n'], ['services: {}', 'services: {}\n']])('%s changes nothing', (_name, text) => {
    const report = audit(compose('compose.override.yaml', text));
    expect(report.errors).toEqual([]);
    expect(report.targets.map(t => t.id)).toEqual(['compose-service:compose.yaml#web']);
    expect(report.findings.filter(f => f.rule === 'read-only-rootfs')).toEqual([]);
  });

  it('an override that does not parse is an error, and the base is still audited alone', () => {
    const report = audit(compose('compose.override.yaml', 'services:\n  web:\n    read_only: [false\n'));
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({file: 'compose.override.yaml'});
    expect(report.targets.map(t => t.id)).toEqual(['compose-service:compose.yaml#web']);
  });

  it('an unreadable override is an error, and no other override name takes its place', () => {
    const report = auditFiles([
      compose('compose.yaml', service('read_only: true')),
      {file: 'compose.override.yml', type: 'compose', error: 'cannot read file'},
      compose('compose.override.yaml', 'services:\n  web:\n    read_only: false\n'),
    ], {version: 'test'});
    expect(report.errors.map(e => e.file)).toEqual(['compose.override.yml']);
    expect(report.targets.map(t => t.id)).toContain('compose-service:compose.override.yaml#web');
    expect(report.findings.find(f => f.target === 'compose-service:compose.yaml#web' && f.rule === 'read-only-rootfs')).toBeUndefined();
  });

  it('CRLF line endings and a BOM read the same, with the same lines', () => {
    const text = 'services:\n  web:\n    # dev\n    read_only: !reset null\n';
    for (const variant of [text.replaceAll('\n', '\r\n'), `\uFEFF${text}`]) {
      const report = audit(compose('compose.override.yaml', variant));
      expect(report.errors).toEqual([]);
      expect(report.findings.find(f => f.rule === 'read-only-rootfs')).toMatchObject({file: 'compose.override.yaml', line: 4});
    }
  });

  it('!reset and !override are read without errors', () => {
    const report = audit(compose('compose.override.yaml', 'services:\n  web:\n    read_only: !reset null\n    volumes: !override\n      - a:/data\n    tmpfs: !reset []\n    user: !reset\n'));
    expect(report.errors).toEqual([]);
  });
});
