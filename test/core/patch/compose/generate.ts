import fc from 'fast-check';
import type {PlannedChange} from '../../../../source/core/model/plan.js';
import {capDropAll, noNewPrivileges, readOnly, runAs, tmpfs, volume} from './make.js';

/*
 * Arbitrary compose files in the style of real ones (awesome-compose: ports,
 * environment maps, depends_on, healthchecks), with the settings the patch edits
 * written in every style it must handle, random comments, 2 or 4 spaces, indented or
 * indentless lists, LF or CRLF, with or without a final newline; and random changes.
 */

/** Service names as written: plain, odd, quoted. */
const names: Array<{name: string; key: string}> = [
  {name: 'web', key: 'web'},
  {name: 'api-1', key: 'api-1'},
  {name: 'my.app', key: 'my.app'},
  {name: 'db_2', key: 'db_2'},
  {name: 'with space', key: '"with space"'},
  {name: 'x:y', key: "'x:y'"},
  {name: '8080', key: '"8080"'},
  {name: 'Worker', key: "'Worker'"},
];

type Setting = 'image' | 'ports' | 'portsFlow' | 'environment' | 'dependsOn' | 'healthcheck' | 'command' | 'readOnly' | 'tmpfs' | 'volumes' | 'securityOpt' | 'capDrop' | 'user' | 'merge';

interface ServiceSpec {
  index: number;
  flow: boolean;
  settings: Setting[];
  /** Which spelling of a setting: picks among the variants below. */
  variant: number;
  commentAbove: boolean[];
  trailing: boolean;
}

export interface FileSpec {
  unit: 2 | 4;
  indentless: boolean;
  crlf: boolean;
  finalNewline: boolean;
  defaults: number;
  topVolumes: number;
  headerComment: boolean;
  services: ServiceSpec[];
}

const settings: Setting[] = ['image', 'ports', 'portsFlow', 'environment', 'dependsOn', 'healthcheck', 'command', 'readOnly', 'tmpfs', 'volumes', 'securityOpt', 'capDrop', 'user', 'merge'];

const service = (index: number) =>
  fc.record({
    index: fc.constant(index),
    flow: fc.nat(4).map(n => n === 0),
    settings: fc.subarray(settings, {minLength: 1}),
    variant: fc.nat(11),
    commentAbove: fc.array(fc.boolean(), {minLength: settings.length, maxLength: settings.length}),
    trailing: fc.boolean(),
  });

export const fileSpec: fc.Arbitrary<FileSpec> = fc
  .uniqueArray(fc.nat(names.length - 1), {minLength: 1, maxLength: 4})
  .chain(indices =>
    fc.record({
      unit: fc.constantFrom<2 | 4>(2, 4),
      indentless: fc.boolean(),
      crlf: fc.boolean(),
      finalNewline: fc.boolean(),
      defaults: fc.nat(3),
      topVolumes: fc.nat(2),
      headerComment: fc.boolean(),
      services: fc.tuple(...indices.map(service)),
    }),
  );

export function serviceNames(spec: FileSpec): string[] {
  return spec.services.map(s => names[s.index]!.name);
}

/** The file text; every comment is unique (`# cN`) so tests can find each one again. */
export function render(spec: FileSpec): string {
  let comments = 0;
  const comment = () => `# c${++comments}`;
  const sp = (levels: number) => ' '.repeat(spec.unit * levels);
  const item = sp(2) + (spec.indentless ? '' : sp(1)) + '- ';
  const lines: string[] = [];
  if (spec.headerComment) lines.push(comment());
  if (spec.defaults > 0) {
    lines.push('x-defaults: &defaults', `${sp(1)}restart: unless-stopped`);
    if (spec.defaults === 1) lines.push(`${sp(1)}read_only: false`, `${sp(1)}tmpfs: [/run]`);
    if (spec.defaults === 2) lines.push(`${sp(1)}security_opt:`, `${sp(1)}${spec.indentless ? '' : sp(1)}- no-new-privileges:false`, `${sp(1)}cap_drop: [NET_RAW]`);
    lines.push('');
  }
  lines.push('services:');
  for (const s of spec.services) {
    const {key} = names[s.index]!;
    const tail = () => (s.trailing ? ` ${comment()}` : '');
    if (s.flow) {
      const parts = ['image: redis:7'];
      if (s.settings.includes('tmpfs')) parts.push(s.variant % 2 ? 'tmpfs: /run' : 'tmpfs: [/run]');
      if (s.settings.includes('readOnly')) parts.push('read_only: false');
      if (s.settings.includes('ports')) parts.push('ports: ["6379:6379"]');
      lines.push(`${sp(1)}${key}: {${parts.join(', ')}}${tail()}`);
      continue;
    }
    lines.push(`${sp(1)}${key}:${tail()}`);
    s.settings.forEach((setting, i) => {
      if (setting === 'merge' && spec.defaults === 0) return;
      if (s.commentAbove[i]) lines.push(`${sp(2)}${comment()}`);
      lines.push(...settingLines(setting, s.variant, sp, item, tail));
    });
  }
  if (spec.topVolumes === 1) lines.push('volumes:', `${sp(1)}data: {}`);
  if (spec.topVolumes === 2) lines.push('volumes: {logs: {}}');
  if (spec.headerComment) lines.push(comment());
  const eol = spec.crlf ? '\r\n' : '\n';
  return lines.join(eol) + (spec.finalNewline ? eol : '');
}

function settingLines(setting: Setting, variant: number, sp: (levels: number) => string, item: string, tail: () => string): string[] {
  const k = sp(2);
  switch (setting) {
    case 'image': return [`${k}image: nginx:1.27-alpine${tail()}`];
    case 'ports': return [`${k}ports:`, `${item}"8080:80"${tail()}`, `${item}443:443`];
    case 'portsFlow': return [`${k}expose: [80, "443"]${tail()}`];
    case 'environment': return [`${k}environment:`, `${k}${sp(1)}NODE_ENV: production${tail()}`, `${k}${sp(1)}DEBUG: "false"`];
    case 'dependsOn': return [`${k}depends_on:`, `${item}db`];
    case 'healthcheck': return [`${k}healthcheck:`, `${k}${sp(1)}test: ["CMD", "curl", "-f", "http://localhost"]`, `${k}${sp(1)}interval: 30s${tail()}`];
    case 'command': return [`${k}command: >`, `${k}${sp(1)}npm run start`, `${k}${sp(1)}-- --port 3000`];
    case 'readOnly': return [`${k}read_only: ${['false', '"false"', 'true', 'no'][variant % 4]}${tail()}`];
    case 'tmpfs': return [[`${k}tmpfs: /run${tail()}`], [`${k}tmpfs: [/run, "/tmp:mode=1777"]${tail()}`], [`${k}tmpfs:`, `${item}/var/run${tail()}`], [`${k}tmpfs: []`]][variant % 4]!;
    case 'volumes': return [
      [`${k}volumes:`, `${item}data:/var/lib/data${tail()}`, `${item}./conf:/etc/conf:ro`],
      [`${k}volumes: ["logs:/logs"]`],
      [`${k}volumes:`, `${item}type: tmpfs`, `${item.replace('-', ' ')}target: /tmp`],
      [`${k}volumes:`, `${item}./app.ini:/etc/app.ini${tail()}`, `${item}type: bind`, `${item.replace('-', ' ')}source: ./conf`, `${item.replace('-', ' ')}target: /etc/app.conf${tail()}`],
      [`${k}volumes: [{type: bind, source: ./conf, target: /etc/app.conf, read_only: false}]`],
    ][variant % 5]!;
    case 'securityOpt': return [[`${k}security_opt:`, `${item}no-new-privileges:false${tail()}`], [`${k}security_opt: [label:disable]`], [`${k}security_opt: ["no-new-privileges:true"]`]][variant % 3]!;
    case 'capDrop': return [[`${k}cap_drop: [NET_RAW]${tail()}`], [`${k}cap_drop:`, `${item}ALL`], [`${k}cap_drop:`, `${item}MKNOD`]][variant % 3]!;
    case 'user': return [[`${k}user: root${tail()}`], [`${k}user: "1000:1000"`], [`${k}user: 0`]][variant % 3]!;
    case 'merge': return [`${k}<<: *defaults`];
  }
}

const change: fc.Arbitrary<PlannedChange> = fc.oneof(
  fc.constant(readOnly()),
  fc.record({
    path: fc.constantFrom('/tmp', '/run', '/var/run', '/var/cache/app', '/home/app/.cache', '/data'),
    mode: fc.option(fc.constant('1777'), {nil: undefined}),
    uid: fc.option(fc.constantFrom(0, 1000), {nil: undefined}),
    size: fc.option(fc.constantFrom(16, 64), {nil: undefined}),
    exec: fc.boolean(),
  }).map(o => tmpfs(o.path, {...(o.mode ? {mode: o.mode} : {}), ...(o.uid !== undefined ? {uid: o.uid, gid: o.uid} : {}), ...(o.size ? {sizeMiB: o.size} : {}), ...(o.exec ? {exec: true} : {})})),
  fc.tuple(fc.constantFrom('data', 'logs', 'cache-vol'), fc.constantFrom('/var/lib/data', '/logs', '/data', '/tmp')).map(([n, p]) => volume(n, p)),
  fc.constant(noNewPrivileges()),
  fc.constant(capDropAll()),
  fc.constantFrom('1000:1000', 'app', '10001').map(runAs),
  fc.constantFrom('/etc/app.conf', '/etc/app.ini', '/etc/conf').map((target): PlannedChange => ({kind: 'mount-read-only', target, rule: 'host-mount-writable', reason: 'generated'})),
);

/** Changes for some of the file's services, and sometimes for one it lacks. */
export function changesFor(spec: FileSpec): fc.Arbitrary<Map<string, PlannedChange[]>> {
  const targets = [...serviceNames(spec), 'missing'];
  return fc.array(fc.tuple(fc.constantFrom(...targets), fc.array(change, {maxLength: 6})), {maxLength: 5}).map(entries => new Map(entries));
}
