import {describe, expect, it} from 'vitest';
import {analyzeFiles, type LoadedFile} from '../../../source/core/audit.js';
import type {Plan, TargetPlan} from '../../../source/core/model/plan.js';
import {buildPlan} from '../../../source/core/plan/build.js';
import {checkMerged} from '../../../source/core/plan/compose.js';
import type {FixOptions} from '../../../source/core/plan/options.js';

/*
 * A service merged with compose.override.yaml is fixed where Compose reads each value:
 * exact texts of both files, what is withdrawn and why, and a second plan over the
 * result that changes nothing.
 */

const options: FixOptions = {writable: [], capDrop: false, only: new Set(['read-only-rootfs', 'writable-path-unmounted', 'privilege-escalation'])};

function files(base: string, override: string, names = ['compose.yaml', 'compose.override.yaml']): LoadedFile[] {
  return [
    {file: names[0]!, type: 'compose', text: base},
    {file: names[1]!, type: 'compose', text: override},
  ];
}

function plan(loaded: LoadedFile[], fix: FixOptions = options): Plan {
  return buildPlan({analysis: analyzeFiles(loaded, {version: 'test'}), files: loaded, cwd: '/project', version: 'test'}, fix);
}

/** The new text of each file the plan changes (unchanged files keep theirs). */
function after(loaded: LoadedFile[], result: Plan): Record<string, string> {
  return Object.fromEntries(loaded.map(f => [f.file, result.files.find(p => p.file === f.file)?.text ?? f.text!]));
}

function web(result: Plan): TargetPlan {
  return result.targets.find(t => t.target.name === 'web')!;
}

/** Plans again over the patched texts: nothing more to write, nothing withdrawn, no read-only finding left. */
function expectFixedPoint(loaded: LoadedFile[], result: Plan, fix: FixOptions = options): void {
  const texts = after(loaded, result);
  const again = loaded.map(f => ({...f, text: texts[f.file]!}));
  const second = plan(again, fix);
  expect(second.files).toEqual([]);
  expect(second.targets.flatMap(t => t.skipped.filter(s => s.withdrawn))).toEqual([]);
  expect(analyzeFiles(again, {version: 'test'}).report.findings.filter(f => f.rule === 'read-only-rootfs')).toEqual([]);
}

const base = `services:
  web:
    image: busybox:1
    read_only: true
    security_opt: ["no-new-privileges:true"]
    tmpfs:
      - /tmp
`;

describe('the fix edits the file where Compose reads the value', () => {
  it.each([
    ['read_only: false', '    read_only: false\n', '    read_only: true\n'],
    ['read_only: !reset null', '    read_only: !reset null\n', '    read_only: true\n'],
    ['a bare read_only: !reset, with a comment after it', '    read_only: !reset # writable in dev\n', '    read_only: true # writable in dev\n'],
    ['read_only: !reset false', '    read_only: !reset false\n', '    read_only: true\n'],
    ['read_only: "false" in a flow mapping', '', ''],
  ])('%s', (name, line, fixed) => {
    const override = name.includes('flow') ? 'services: {web: {read_only: "false", restart: always}}\n' : `services:\n  web:\n${line}    restart: always\n`;
    const expected = name.includes('flow') ? 'services: {web: {read_only: true, restart: always}}\n' : `services:\n  web:\n${fixed}    restart: always\n`;
    const loaded = files(base, override);
    const result = plan(loaded);
    expect(result.files.map(f => f.file)).toEqual(['compose.override.yaml']);
    expect(result.files[0]!.text).toBe(expected);
    expect(web(result).changes.map(c => c.rule)).toEqual(['read-only-rootfs']);
    expect(web(result).skipped).toEqual([]);
    expectFixedPoint(loaded, result);
  });

  it('mounts go to the base, unless the override resets or replaces that list', () => {
    const baseText = 'services:\n  web:\n    image: nginx:1.27\n    read_only: true\n    security_opt: ["no-new-privileges:true"]\n    volumes:\n      - cache:/var/cache/nginx\nvolumes:\n  cache:\n';
    const override = 'services:\n  web:\n    volumes: !reset []\n    tmpfs: !override\n      - /tmp\n';
    const loaded = files(baseText, override);
    const result = plan(loaded);
    expect(result.files.map(f => f.file)).toEqual(['compose.override.yaml']);
    expect(result.files[0]!.text).toBe('services:\n  web:\n    volumes: !reset []\n    tmpfs: !override\n      - /tmp\n      - "/var/cache/nginx:size=64m"\n      - "/run:size=64m"\n');
    expectFixedPoint(loaded, result);
  });

  it('a named volume for a reset volumes: list goes into the override, declared there', () => {
    const loaded = files(
      'services:\n  web:\n    image: redis:7\n    read_only: true\n    security_opt: ["no-new-privileges:true"]\n    volumes: [data:/data]\nvolumes:\n  data:\n',
      'services:\n  web:\n    volumes: !reset []\n',
    );
    const result = plan(loaded);
    expect(result.files.map(f => f.file)).toEqual(['compose.override.yaml']);
    expect(result.files[0]!.text).toBe('services:\n  web:\n    volumes: !override\n      - web-data:/data\nvolumes:\n  web-data:\n');
    expectFixedPoint(loaded, result);
  });

  it('no-new-privileges:false in the override is turned on there; one !reset becomes !override', () => {
    for (const [override, expected] of [
      ['services:\n  web:\n    security_opt:\n      - no-new-privileges:false\n', 'services:\n  web:\n    security_opt:\n      - no-new-privileges:true\n'],
      ['services:\n  web:\n    security_opt: !reset []\n', 'services:\n  web:\n    security_opt: !override\n      - no-new-privileges:true\n'],
    ] as const) {
      const loaded = files(base, override);
      const result = plan(loaded);
      expect(result.files.map(f => [f.file, f.text])).toEqual([['compose.override.yaml', expected]]);
      expectFixedPoint(loaded, result);
    }
  });

  it('user: !reset gets --user in the override', () => {
    const fix = {...options, user: '10001:10001', only: new Set(['read-only-rootfs', 'root-user'])};
    const loaded = files(base.replace('    read_only: true\n', '    read_only: true\n    user: "1000"\n'), 'services:\n  web:\n    user: !reset\n');
    const result = plan(loaded, fix);
    expect(result.files.map(f => [f.file, f.text])).toEqual([['compose.override.yaml', 'services:\n  web:\n    user: "10001:10001"\n']]);
    expectFixedPoint(loaded, result, fix);
  });

  it('both files change in one plan when both decide something', () => {
    const loaded = files('services:\n  web:\n    image: busybox:1\n', 'services:\n  web:\n    read_only: false\n');
    const result = plan(loaded);
    expect(result.files.map(f => [f.file, f.text])).toEqual([
      ['compose.override.yaml', 'services:\n  web:\n    read_only: true\n'],
      ['compose.yaml', 'services:\n  web:\n    image: busybox:1\n    security_opt:\n      - no-new-privileges:true\n'],
    ]);
    expect(web(result).target.file).toBe('compose.yaml');
    expectFixedPoint(loaded, result);
  });

  it('docker-compose.override.yml beside docker-compose.yml, with CRLF and a BOM kept', () => {
    const override = 'services:\r\n  web:\r\n    read_only: !reset null\r\n';
    const loaded: LoadedFile[] = [
      {file: 'docker-compose.yml', type: 'compose', text: base},
      {file: 'docker-compose.override.yml', type: 'compose', text: override, bom: true, sha256: 'abc'},
    ];
    const result = plan(loaded);
    expect(result.files).toEqual([{file: 'docker-compose.override.yml', sha256: 'abc', bom: true, created: false, text: 'services:\r\n  web:\r\n    read_only: true\r\n'}]);
    expectFixedPoint(loaded, result);
  });
});

describe('what cannot be edited in the override is withdrawn, never claimed', () => {
  it.each([
    ['the service is an alias of a shared mapping', 'x-dev: &dev\n  read_only: false\nservices:\n  web: *dev\n',
      'compose.override.yaml:2 sets read_only: false, which Compose applies over compose.yaml; its settings are an alias (*dev) of a mapping other keys share; give the service its own mapping'],
    ['the value carries an anchor', 'services:\n  web:\n    read_only: &writable false\n  other:\n    image: busybox:1\n    read_only: *writable\n',
      'compose.override.yaml:3 sets read_only: false, which Compose applies over compose.yaml; its read_only carries anchor &writable, which other places may share; change it by hand'],
    ['a reset block mapping', 'services:\n  web:\n    read_only: !reset\n      x: 1\n',
      'compose.override.yaml:3 resets read_only (!reset), which Compose applies over compose.yaml; its read_only: !reset cannot be rewritten in place; set read_only: true there by hand'],
  ])('%s', (_name, override, reason) => {
    const loaded = files(base, override);
    const result = plan(loaded);
    expect(web(result).changes.filter(c => c.rule === 'read-only-rootfs')).toEqual([]);
    expect(web(result).skipped).toContainEqual({rule: 'read-only-rootfs', what: 'read_only: true', reason, withdrawn: true});
  });

  it('a list reset with entries Compose ignores is left to a person', () => {
    const loaded = files(base.replace('busybox:1', 'nginx:1.27'), 'services:\n  web:\n    tmpfs: !reset [/ignored]\n');
    const result = plan(loaded);
    expect(result.files).toEqual([]);
    expect(web(result).changes).toEqual([]);
    expect(web(result).skipped).toEqual(['/var/cache/nginx', '/run'].map(what => ({
      rule: 'writable-path-unmounted', what, withdrawn: true,
      reason: 'compose.override.yaml:3 resets tmpfs (!reset), which Compose applies over compose.yaml; its tmpfs: !reset lists entries Compose ignores; write the list (tagged !override) by hand',
    })));
  });

  it('the merged files are read back: a change Compose would not see is withdrawn', () => {
    const target: TargetPlan = {target: {id: 'compose-service:compose.yaml#web', kind: 'compose-service', file: 'compose.yaml', name: 'web', line: 2}, changes: [], skipped: []};
    const change = {kind: 'read-only' as const, rule: 'read-only-rootfs', reason: 'the root filesystem becomes read-only'};
    target.changes.push(change);
    const texts: Record<string, string> = {'compose.yaml': base, 'compose.override.yaml': 'services:\n  web:\n    read_only: false\n'};
    checkMerged('compose.yaml', 'compose.override.yaml', file => texts[file], new Map([['web', target]]));
    expect(target.changes).toEqual([]);
    expect(target.skipped).toEqual([{rule: 'read-only-rootfs', what: 'read_only: true', withdrawn: true,
      reason: 'compose.override.yaml:3 sets read_only: false, which Compose applies over compose.yaml; change it there'}]);
  });
});
