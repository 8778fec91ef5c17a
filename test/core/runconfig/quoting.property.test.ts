import {execFileSync} from 'node:child_process';
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {parseDocument} from 'yaml';
import {composeService, dockerRunArgs, dockerRunScript, qualifiedImage, quadletUnit, runConfigFromInspect, type RunConfig} from '../../../source/core/runconfig/index.js';
import {composeUninterpolate, lookup, lookupAll, parseQuadletUnit, parseShScript, splitWords, systemdExecWord} from './parsers.js';

/*
 * Names, environment values, labels and commands come from whoever started the container.
 * For hostile ones (quotes, `$(...)`, backticks, newlines, `;`, `%`, Unicode line
 * separators, control characters), each output must give back exactly the original values
 * when read the way its consumer reads it: the script by a strict sh parser and, for a
 * sample, by the real /bin/sh; the compose file by the yaml library plus compose's
 * interpolation; the Quadlet unit by a model of Quadlet's and systemd's parsers.
 */

const pieces = [
  "'", '"', '$', '$$', '`', '\\', '\n', '\r', '\t', ';', '&', '|', '<', '>', '(', ')', '{', '}', '#', '%', '%%', '%n', '~', '*', '?', '!', ' ',
  '=', ':', ',', '$(id)', '${HOME}', '`uname`', "'\\''", '\\n', '\u2028', '\u2029', '\u0085', '\u00a0', '\ufeff', '\x7f', '\x01', '\x1b', 'é', '✓', '😀', '-', '--', 'a', 'Z', '0',
];
const piece = fc.oneof(fc.constantFrom(...pieces), fc.string({unit: 'grapheme', maxLength: 3}), fc.string({unit: 'binary', maxLength: 2}));
/** A lone surrogate: not Unicode text, and no file can hold it as UTF-8. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Any text without a NUL (no process argument or environment can hold one), well-formed Unicode. */
const hostile = fc.array(piece, {maxLength: 10}).map(parts => parts.join('')).filter(s => !s.includes('\0') && !loneSurrogate.test(s));
const nonEmpty = hostile.filter(s => s !== '');
/** Environment and label names: not empty, no `=`. */
const key = nonEmpty.filter(s => !s.includes('='));

interface Spec {
  name: string;
  image: string;
  user: string;
  workdir: string;
  entrypoint: string[];
  env: Array<[string, string]>;
  labels: Array<[string, string]>;
  command: string[];
}

const spec: fc.Arbitrary<Spec> = fc.record({
  name: nonEmpty,
  image: nonEmpty,
  // The engine trims Config.User; an empty one means root and is not written.
  user: nonEmpty.filter(u => u === u.trim()),
  workdir: nonEmpty,
  entrypoint: fc.array(nonEmpty, {minLength: 1, maxLength: 3}),
  env: fc.uniqueArray(fc.tuple(key, hostile), {maxLength: 4, selector: ([k]) => k}),
  labels: fc.uniqueArray(fc.tuple(key.filter(k => !/^(com\.docker\.compose\.|harden-wizard\.)/.test(k)), hostile), {maxLength: 3, selector: ([k]) => k}),
  // Quadlet drops an empty argument and systemd reads a lone ";" as a command separator (quadlet.ts notes both).
  command: fc.array(nonEmpty.filter(s => s !== ';'), {minLength: 1, maxLength: 4}),
});

const base = JSON.parse(readFileSync('test/fixtures/inspect/nginx-plain.json', 'utf8')) as Array<Record<string, Record<string, unknown>>>;

/** The config of nginx-plain started with the hostile name, environment, labels and command. */
function configOf(s: Spec): RunConfig {
  const inspect = structuredClone(base);
  const container = inspect[0]!;
  (container as Record<string, unknown>)['Name'] = `/${s.name}`;
  container['Config']!['Env'] = s.env.map(([k, v]) => `${k}=${v}`);
  container['Config']!['Labels'] = Object.fromEntries(s.labels);
  container['Config']!['Cmd'] = s.command;
  container['Config']!['Image'] = s.image;
  container['Config']!['User'] = s.user;
  container['Config']!['WorkingDir'] = s.workdir;
  container['Config']!['Entrypoint'] = s.entrypoint;
  const config = runConfigFromInspect(inspect, [{path: '/tmp/x', kind: 'added'}]);
  if ('error' in config) throw new Error(config.error);
  return config;
}

const labelsOf = (s: Spec) => [...s.labels, ['harden-wizard.generated', 'true'] as [string, string]].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('docker run script quoting', () => {
  it('gives docker exactly the original name, environment, labels and command', () => {
    fc.assert(
      fc.property(spec, s => {
        const config = configOf(s);
        const args = dockerRunArgs(config);
        expect(args).toContain(`--name=${s.name}`);
        for (const [k, v] of s.env) expect(args).toContain(`--env=${k}=${v}`);
        for (const [k, v] of s.labels) expect(args).toContain(`--label=${k}=${v}`);
        expect(args).toEqual(expect.arrayContaining([`--user=${s.user}`, `--workdir=${s.workdir}`, `--entrypoint=${s.entrypoint[0]}`]));
        // docker run --entrypoint takes one word: the rest of the entrypoint leads the arguments.
        expect(args.slice(args.indexOf('--') + 1)).toEqual([s.image, ...s.entrypoint.slice(1), ...s.command]);
        const commands = parseShScript(dockerRunScript(config));
        expect(commands).toEqual([['set', '-eu'], ['docker', ...args]]);
      }),
      {numRuns: 400},
    );
  });

  const dir = mkdtempSync(join(tmpdir(), 'harden-runconfig-sh-'));
  afterAll(() => rmSync(dir, {recursive: true, force: true}));

  it('is read the same by the real /bin/sh (a stub docker prints its arguments)', () => {
    // The stub writes each argument NUL-terminated: the only byte no argument can hold.
    writeFileSync(join(dir, 'docker'), '#!/bin/sh\nprintf \'%s\\0\' "$@" > "$ARGS_OUT"\n');
    chmodSync(join(dir, 'docker'), 0o755);
    fc.assert(
      fc.property(spec, s => {
        const config = configOf(s);
        const script = join(dir, 'run.sh');
        const out = join(dir, 'args');
        writeFileSync(script, dockerRunScript(config));
        execFileSync('/bin/sh', [script], {env: {PATH: `${dir}:/usr/bin:/bin`, ARGS_OUT: out, HOME: '/nonexistent'}, stdio: ['ignore', 'ignore', 'pipe']});
        const got = readFileSync(out, 'utf8').split('\0').slice(0, -1);
        expect(got).toEqual(dockerRunArgs(config));
      }),
      {numRuns: 60},
    );
  });
});

describe('compose service quoting', () => {
  it('parses back, after compose interpolation, to the original values', () => {
    fc.assert(
      fc.property(spec, s => {
        const config = configOf(s);
        const doc = parseDocument(composeService(config));
        expect(doc.errors).toEqual([]);
        const services = (doc.toJS() as {services: Record<string, Record<string, unknown>>}).services;
        expect(Object.keys(services)).toHaveLength(1);
        const service = Object.values(services)[0]!;
        const un = (value: unknown) => composeUninterpolate(value as string);
        expect(un(service['container_name'])).toBe(s.name);
        expect(((service['environment'] as string[] | undefined) ?? []).map(un)).toEqual(s.env.map(([k, v]) => `${k}=${v}`));
        expect((service['labels'] as string[]).map(un)).toEqual(labelsOf(s).map(([k, v]) => `${k}=${v}`));
        expect((service['command'] as string[]).map(un)).toEqual(s.command);
        expect((service['entrypoint'] as string[]).map(un)).toEqual(s.entrypoint);
        expect([service['image'], service['user'], service['working_dir']].map(un)).toEqual([s.image, s.user, s.workdir]);
        expect(service['read_only']).toBe(true);
        const keys = ['image', 'container_name', 'user', 'working_dir', 'entrypoint', 'command', 'environment', 'ports', 'read_only', 'security_opt', 'tmpfs', 'labels'];
        expect(Object.keys(service).filter(k => !keys.includes(k))).toEqual([]);
      }),
      {numRuns: 400},
    );
  });
});

describe('Quadlet unit quoting', () => {
  // Found by the property below (seed -1638790955): the Description line swallowed [Container].
  it.each(['\\ \\', '\\', 'a\\', ' \\', 'x \\ y \\\\ '])('keeps every section for the name %j', name => {
    const unit = parseQuadletUnit(quadletUnit(configOf({name, image: 'nginx:1.27', user: 'nginx', workdir: '/', entrypoint: ['/docker-entrypoint.sh'], env: [], labels: [], command: ['nginx']})));
    expect([...unit.keys()]).toEqual(['Unit', 'Container', 'Install']);
  });

  it('reads back, through Quadlet and then systemd, to the original values, and nothing more', () => {
    fc.assert(
      fc.property(spec, s => {
        const config = configOf(s);
        const unit = parseQuadletUnit(quadletUnit(config));
        expect([...unit.keys()]).toEqual(['Unit', 'Container', 'Install']);
        const pairs = (key: string) =>
          lookupAll(unit, 'Container', key).flatMap(splitWords).map(systemdExecWord).map(word => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]);
        expect(pairs('Environment')).toEqual(s.env);
        expect(pairs('Label')).toEqual(labelsOf(s));
        const exec = lookupAll(unit, 'Container', 'Exec');
        expect(exec).toHaveLength(1);
        expect(splitWords(exec[0]!).map(systemdExecWord)).toEqual(s.command);
        // A value Quadlet cannot take whole (a control character, surrounding space) is left to a comment.
        const whole = (key: string, expected: string) => {
          const value = lookup(unit, 'Container', key);
          if (value !== undefined) expect(systemdExecWord(value), key).toBe(expected);
          else expect(expected === '' || /[\u0000-\u001f\u007f]/.test(expected) || expected !== expected.trim() || expected.endsWith('\\') || /^".*"$/s.test(expected), key).toBe(true);
        };
        whole('ContainerName', s.name);
        whole('Image', qualifiedImage(s.image));
        whole('WorkingDir', s.workdir);
        whole('Entrypoint', JSON.stringify(s.entrypoint));
        const colon = s.user.indexOf(':');
        whole('User', colon < 0 ? s.user : s.user.slice(0, colon));
        if (colon >= 0) whole('Group', s.user.slice(colon + 1));
        const entrypoint = lookup(unit, 'Container', 'Entrypoint');
        if (entrypoint !== undefined) expect(JSON.parse(systemdExecWord(entrypoint))).toEqual(s.entrypoint);
        const keys = new Set((unit.get('Container') ?? []).map(([k]) => k));
        expect([...keys].filter(k => !['Image', 'ContainerName', 'User', 'Group', 'WorkingDir', 'ReadOnly', 'ReadOnlyTmpfs', 'NoNewPrivileges', 'Tmpfs', 'Entrypoint', 'Exec', 'Environment', 'PublishPort', 'Label'].includes(k))).toEqual([]);
        expect(lookup(unit, 'Container', 'ReadOnly')).toBe('true');
      }),
      {numRuns: 400},
    );
  });
});
