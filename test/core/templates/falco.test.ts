import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {normalisePath} from '../../../source/core/paths.js';
import {falcoRules, type FalcoWorkload} from '../../../source/core/templates/falco.js';
import {falcoValue, yamlQuoted} from '../../../source/core/templates/falco-text.js';
import {checkFalcoRules, parseCondition, unescapeFalco, valuesOf, type Expr} from '../../support/falco-grammar.js';

/*
 * Golden files in test/fixtures/templates/falco/ (UPDATE_GOLDEN=1 rewrites them; review the
 * diff), each checked against the Falco grammar in test/support/falco-grammar.ts.
 */

const root = 'test/fixtures/templates/falco';
const update = process.env.UPDATE_GOLDEN === '1';

const demo: FalcoWorkload[] = [
  {name: 'web', image: 'harden-demo:latest', writable: ['/app/logs', '/tmp']},
  {name: 'db', image: 'postgres:16@sha256:' + 'a'.repeat(64), writable: ['/var/lib/postgresql/data', '/var/run/postgresql', '/tmp']},
  {name: 'Deployment/api/api', image: 'ghcr.io/acme/api:1.4.0', writable: []},
  {name: 'worker', image: 'docker.io/library/harden-demo', writable: ['/home/node/.cache/']},
];

function golden(name: string, text: string): void {
  const path = join(root, name);
  if (update) {
    mkdirSync(root, {recursive: true});
    writeFileSync(path, text);
  }
  expect(existsSync(path)).toBe(true);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

function macro(file: ReturnType<typeof checkFalcoRules>['file'], name: string): Expr {
  const expr = file.macros.get(name);
  if (!expr) throw new Error(`no macro ${name}`);
  return expr;
}

describe('falcoRules', () => {
  const text = falcoRules(demo);
  const {problems, file} = checkFalcoRules(text);

  it('matches the golden file', () => {
    golden('demo.yaml', text);
    golden('empty.yaml', falcoRules([]));
  });

  it('is valid: YAML, conditions in Falco\'s grammar, real fields and events, every macro and list defined before use and used', () => {
    expect(problems).toEqual([]);
    expect(checkFalcoRules(falcoRules([])).problems).toEqual([]);
    expect(parse(falcoRules([]))).toEqual([]);
  });

  it('watches writes outside the writable paths, with /run and /var/run as one, for each image', () => {
    // web and worker run the same image (written two ways): one group, the union of their paths.
    expect(valuesOf(macro(file, 'harden_web_container'), 'container.image.repository')).toEqual(['harden-demo:latest'.split(':')[0], 'docker.io/library/harden-demo']);
    expect(valuesOf(macro(file, 'harden_web_writable'), 'fd.name')).toEqual(['/app/logs', '/app/logs/', '/home/node/.cache', '/home/node/.cache/', '/tmp', '/tmp/']);
    expect(valuesOf(macro(file, 'harden_db_writable'), 'fd.name')).toEqual([
      '/run/postgresql', '/run/postgresql/', '/tmp', '/tmp/', '/var/lib/postgresql/data', '/var/lib/postgresql/data/', '/var/run/postgresql', '/var/run/postgresql/',
    ]);
    expect(valuesOf(macro(file, 'harden_db_container'), 'container.image.repository')).toEqual(['postgres', 'docker.io/library/postgres']);
    expect(valuesOf(macro(file, 'harden_deployment_api_api_container'), 'container.image.repository')).toEqual(['ghcr.io/acme/api']);
    expect(file.macros.has('harden_deployment_api_api_writable')).toBe(false);
    const write = file.rules.find(r => r.name === 'harden drift: write outside the writable paths (web, worker)')!;
    expect(write.priority).toBe('ERROR');
    expect(JSON.stringify(write.condition)).toContain('"open_write"');
  });

  it('has the new-executable, chmod and mount rules on real fields', () => {
    const names = file.rules.map(r => r.name);
    expect(names).toEqual([
      'harden drift: write outside the writable paths (web, worker)',
      'harden drift: executable not in the image (web, worker)',
      'harden drift: write outside the writable paths (db)',
      'harden drift: executable not in the image (db)',
      'harden drift: write outside the writable paths (Deployment/api/api)',
      'harden drift: executable not in the image (Deployment/api/api)',
      'harden drift: file mode changed in a hardened container',
      'harden drift: mount in a hardened container',
    ]);
    const exec = file.rules[1]!;
    expect(valuesOf(exec.condition, 'proc.is_exe_upper_layer')).toEqual(['true']);
    expect(valuesOf(file.rules[6]!.condition, 'evt.type', file.lists)).toEqual(['chmod', 'fchmod', 'fchmodat']);
    expect(valuesOf(file.rules[7]!.condition, 'evt.type', file.lists)).toEqual(['mount']);
  });
});

describe('the Falco grammar checker', () => {
  it('accepts conditions from falcosecurity/rules', () => {
    for (const condition of [
      "(evt.type in (open,openat,openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0)",
      '(evt.type in (execve, execveat) and evt.dir=<)',
      '(proc.name!="<NA>")',
      '(fd.name contains \'/.ssh/\' and fd.name glob \'/home/*/.ssh/*\')',
      '(proc.aname[2]=qualys-cloud-ag or proc.aname[3]=qualys-cloud-ag)',
      'not proc.pname exists or proc.pname in (runc:[0:PARENT], runc:[1:CHILD], runc)',
      'spawned_process and container and proc.is_exe_upper_layer=true and not container.image.repository in (known_drop_and_execute_containers)',
      'proc.duration <= 5000000000',
      'not(a and b) or not not c',
    ]) {
      expect(() => parseCondition(condition), condition).not.toThrow();
    }
  });

  it('refuses what Falco refuses', () => {
    for (const condition of ['fd.name = "/a\\\\"', 'fd.name = "/a\u0000"', '(fd.name = "/a"', 'fd.name = "/a" and', 'fd.name startswith', 'fd.name = "a\\qb"', 'fd.name = \'a\\"b\'', 'fd.name ~ x', 'a andb', 'fd.name = "/a" or', 'evt.type in (open', '']) {
      expect(() => parseCondition(condition), condition).toThrow();
    }
  });

  it('finds made-up fields, unknown events, undefined and unused names, and bad YAML', () => {
    const bad = `- list: unused_list
  items: [a]
- macro: uses_later
  condition: later_macro
- macro: later_macro
  condition: container.image.repo = x
- rule: r
  desc: d
  condition: evt.type = chmodd and uses_later and not_defined
  output: "x %proc.nam"
  priority: SEVERE
`;
    expect(checkFalcoRules(bad).problems).toEqual([
      'macro uses_later: undefined macro later_macro',
      'macro later_macro: unknown field container.image.repo',
      'rule r: unknown priority SEVERE',
      'rule r: unknown output field %proc.nam',
      'rule r: unknown event type chmodd',
      'rule r: undefined macro not_defined',
      'later_macro is defined but never used',
      'unused_list is defined but never used',
    ]);
    expect(checkFalcoRules('- rule: [\n').problems[0]).toMatch(/^YAML: /);
  });
});

describe('Falco and YAML quoting', () => {
  it('writes every value so that libsinsp reads it back, or says it cannot', () => {
    fc.assert(
      fc.property(fc.string({unit: 'binary', maxLength: 20}), text => {
        const value = falcoValue(text);
        if (value === undefined) {
          expect(text.includes('\u0000') || /\\$/.test(text)).toBe(true);
          return;
        }
        const expr = parseCondition(`fd.name = ${value}`);
        expect(valuesOf(expr, 'fd.name')).toEqual([text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')]);
        expect(parse(`x: ${yamlQuoted(text)}`)).toEqual({x: text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')});
      }),
      {numRuns: 500},
    );
    expect(falcoValue('/a\\')).toBe('/a\\');
    expect(falcoValue('/a b\\')).toBeUndefined();
    expect(unescapeFalco('"a\\"b\\\\"')).toBe('a"b\\');
  });
});

/* Hostile names, images and paths: quotes, backslashes, newlines, control characters, YAML and Falco syntax, unicode. */

const nasty = fc.oneof(
  fc.string({unit: 'grapheme', maxLength: 30}),
  fc.string({unit: 'binary', maxLength: 30}),
  fc.constantFrom('"', '\\', "'", '\n', '\r\n', '\t', '\u0000', '\u0085', '\u2028', '\uFEFF', '\uD800', ': ', ' #', '- rule: x', '---', '{{ .x }}', '%proc.name', ') or (evt.num=0', '\\"', 'and', 'not', '(', ')', ','),
);
const hostilePath = fc.array(nasty, {maxLength: 4}).map(parts => `/${parts.join('')}`);
const workload = fc.record({
  name: fc.array(nasty, {maxLength: 3}).map(parts => parts.join('')),
  image: fc.oneof(fc.array(nasty, {maxLength: 3}).map(parts => parts.join('')), fc.constantFrom('nginx:1.27', 'ghcr.io/a/b@sha256:' + 'b'.repeat(64))),
  writable: fc.array(fc.oneof(hostilePath, fc.constantFrom('/tmp', '/var/run/x', 'relative', '/', '')), {maxLength: 4}),
});

describe('falcoRules on hostile input', () => {
  it('always writes a valid rules file whose strings read back as the paths given', () => {
    fc.assert(
      fc.property(fc.array(workload, {maxLength: 4}), workloads => {
        const text = falcoRules(workloads);
        const {problems, file} = checkFalcoRules(text);
        expect(problems).toEqual([]);
        const written = new Set([...file.macros.entries()].filter(([name]) => name.endsWith('_writable')).flatMap(([, expr]) => valuesOf(expr, 'fd.name')));
        const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
        // Every absolute path is watched from its directory down (a NUL cannot be written: no path holds one).
        for (const path of workloads.flatMap(w => w.writable).filter(p => p.startsWith('/') && !p.includes('\u0000'))) {
          const normal = wellFormed(normalisePath(path));
          expect(written.has(normal === '/' ? '/' : `${normal}/`)).toBe(true);
        }
        const items = parse(text) as Array<Record<string, unknown>>;
        for (const item of items) {
          for (const key of ['rule', 'desc', 'output']) if (key in item) expect(String(item[key])).not.toMatch(/[\n\r]/);
        }
        expect(file.rules.length).toBe(new Set(file.rules.map(r => r.name)).size);
      }),
      {numRuns: 300},
    );
  });
});
