import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {AuditReport} from '../../source/core/model/finding.js';
import {auditPaths} from '../../source/commands/audit.js';
import {formatText} from '../../source/core/report/text.js';
import {nodeFileSystem} from '../../source/runtime/fs/node-fs.js';
import {allRules} from '../../source/core/rules/index.js';
import {harden} from '../support/cli.js';
import {writeComposeCollection} from '../support/compose-collection.js';

/*
 * The text report of a collection of 40 compose apps. By file, every finding explained
 * itself: 3,073 lines from the build before this layout, the read-only explanation 90
 * times. By rule, each explanation is printed once and the places follow, packed.
 */

let dir: string;
let text: string;
let report: AuditReport;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'harden-collection-'));
  await writeComposeCollection(dir);
  const [plain, json] = await Promise.all([harden(['audit', '.'], dir), harden(['audit', '.', '--format', 'json'], dir)]);
  expect(plain.code).toBe(1);
  text = plain.stdout;
  report = JSON.parse(json.stdout) as AuditReport;
});

afterAll(async () => {
  await rm(dir, {recursive: true, force: true});
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The lines of one rule's section: from its header to the blank line after it. */
function section(rule: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex(l => new RegExp(`^(HIGH|MED |LOW |INFO)  ${escape(rule)}[: ]`).test(l));
  expect(start, `section of ${rule}`).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end);
}

/**
 * The places a section lists, as `file:line name`: a file's first entry names it
 * (`a/compose.yaml:3 web`), the entries after it give only `:line name`. A section that
 * says `every compose service (90 of 95) except` stands for every compose service of the
 * report but the places listed after it.
 */
function places(lines: readonly string[], files: readonly string[]): string[] {
  const every = lines.findIndex(l => / every compose service \(/.test(l));
  if (every < 0) return listed(lines, files);
  const phrase = /every compose service \((?:(\d+) of )?(\d+)\)( except)?/.exec(lines[every]!)!;
  const services = report.targets.filter(t => t.kind === 'compose-service');
  expect(Number(phrase[2])).toBe(services.length);
  const except = new Set(listed(lines.slice(every), files));
  const meant = services.map(t => `${t.file}:${t.line} ${t.name}`).filter(p => !except.has(p));
  expect(meant.length).toBe(Number(phrase[1] ?? phrase[2]));
  expect(phrase[3] === undefined).toBe(except.size === 0);
  return [...listed(lines.slice(0, every), files), ...meant].sort();
}

function listed(lines: readonly string[], files: readonly string[]): string[] {
  const pattern = new RegExp(`(${files.map(escape).join('|')}):(\\d+)(?: ([^;,]+))?|(?:, |^ +):(\\d+)(?: ([^;,]+))?`, 'g');
  const found: string[] = [];
  let file = '';
  for (const line of lines) {
    for (const m of line.matchAll(pattern)) {
      if (m[1] !== undefined) file = m[1];
      found.push(`${file}:${m[2] ?? m[4]} ${(m[3] ?? m[5] ?? '').trim()}`.trim());
    }
  }
  return found.sort();
}

/** Every file with a finding, longest first, so a file is never matched by the end of a longer one. */
function files(): string[] {
  return [...new Set(report.findings.map(f => f.file))].sort((a, b) => b.length - a.length);
}

/** `file:line name` as the text lists it: a Dockerfile's name is its file's and is not repeated. */
function place(f: AuditReport['findings'][number]): string {
  const name = report.targets.find(t => t.id === f.target)!.name;
  return name === f.file.split('/').at(-1) ? `${f.file}:${f.line}` : `${f.file}:${f.line} ${name}`;
}

describe('harden audit of 40 compose apps, as text', () => {
  it('is a collection of about 116 targets with hundreds of findings', () => {
    expect(report.targets.length).toBeGreaterThanOrEqual(110);
    expect(report.targets.length).toBeLessThanOrEqual(125);
    expect(report.findings.length).toBeGreaterThan(400);
    expect(report.errors).toEqual([]);
  });

  it('fits in about 300 lines at 80 columns: 3,073 before', () => {
    const lines = text.trimEnd().split('\n');
    // Listed one by one, the places of 630 findings took 425 lines; a rule that every
    // compose service but a few breaks now names the few.
    expect(lines.length).toBeLessThanOrEqual(330);
    expect(Math.max(...lines.map(l => l.length))).toBeLessThanOrEqual(80);
  });

  it('fits the audit the issue measured (its 525 findings, before cap-drop and host-mount-writable) in about 300 lines: 367 before', async () => {
    // The JSON leaves out each finding's detail, which the text groups by: audit again in-process.
    const full = await auditPaths(nodeFileSystem, ['.'], dir, 4 << 20, '0.0.0');
    const before = {...full, findings: full.findings.filter(f => f.rule !== 'cap-drop' && f.rule !== 'host-mount-writable')};
    expect(before.findings.length).toBe(525);
    const lines = formatText(before, {color: false, rules: allRules}).trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(305);
    expect(Math.max(...lines.map(l => l.length))).toBeLessThanOrEqual(80);
  });

  it('says a rule every compose service breaks but a few as just that', () => {
    const readOnly = section('read-only-rootfs').join('\n');
    expect(readOnly).toContain('every compose service (90 of 95) except');
    expect(section('cap-drop').at(-1)).toBe('  every compose service (95)');
  });

  it('starts with the targets by kind and a table of findings by rule and severity', () => {
    const [targets, findings, header] = text.split('\n');
    expect(targets).toBe(`${report.targets.length} targets: 25 Dockerfiles, 95 compose services`);
    expect(findings).toMatch(new RegExp(`^${report.findings.length} findings \\(\\d+ fixable by "harden fix"\\):$`));
    expect(header).toMatch(/^ {2}rule +high +medium +low +total$/);
    for (const id of new Set(report.findings.map(f => f.rule))) {
      const count = report.findings.filter(f => f.rule === id).length;
      expect(text).toMatch(new RegExp(`^ {2}${escape(id)} .* ${count}$`, 'm'));
    }
  });

  it('explains each rule once', () => {
    const flat = text.replace(/\n +/g, ' ');
    for (const id of new Set(report.findings.map(f => f.rule))) {
      const rule = allRules.find(r => r.id === id)!;
      expect(flat.split(rule.why).length - 1, id).toBe(1);
      expect(flat.split(rule.fix).length - 1, id).toBe(1);
    }
  });

  it('lists every finding of the JSON report, with its file, line and target, under its rule', () => {
    for (const id of new Set(report.findings.map(f => f.rule))) {
      // Details found at the same places share a list, so a place can stand for several findings.
      const expected = [...new Set(report.findings.filter(f => f.rule === id).map(place))].sort();
      expect([...new Set(places(section(id), files()))], id).toEqual(expected);
    }
  });

  it('lists each path to mount above the services that need it', () => {
    // A detail line opens with the path (`  /tmp: tmpfs (...)`); the places follow it.
    const pairs = new Set<string>();
    let paths: string[] = [];
    let listed = false;
    for (const line of section('writable-path-unmounted').slice(1)) {
      const detail = /^ {2}(\/\S*): /.exec(line);
      if (detail) {
        // Details stacked above one list (`...;` then the next) share its places.
        if (listed) paths = [];
        listed = false;
        paths.push(detail[1]!);
      }
      const at = places([line], files());
      if (at.length > 0) listed = true;
      for (const where of at) for (const path of paths) pairs.add(`${path} ${where}`);
    }
    const expected = report.findings.filter(f => f.rule === 'writable-path-unmounted').map(f => `${f.path} ${place(f)}`);
    for (const pair of expected) expect(pairs.has(pair), pair).toBe(true);
  });

  it('keeps what sets each finding apart: the path and its mount, the image', () => {
    const writable = section('writable-path-unmounted').join('\n');
    for (const path of new Set(report.findings.flatMap(f => (f.rule === 'writable-path-unmounted' && f.path ? [f.path] : [])))) expect(writable).toContain(`${path}: `);
    expect(writable).toContain('/var/lib/postgresql/data: a named volume');
    expect(writable).toContain('/var/run/postgresql: tmpfs');
    const images = section('mutable-image-ref').join('\n');
    for (const image of ['image: postgres:16:', 'image: redis:7-alpine:', 'image: nginx (no tag: latest):', 'FROM node:20:', 'FROM python:3.11-slim:']) expect(images).toContain(image);
  });

  it('prints Markdown by rule, under a pull-request comment\'s 65,536 characters, with every place (by file it was 229 KB)', async () => {
    const [markdown, byFile] = await Promise.all([harden(['audit', '.', '--format', 'markdown'], dir), harden(['audit', '.', '--format', 'markdown', '--verbose'], dir)]);
    expect(markdown.code).toBe(1);
    expect(markdown.stdout.length).toBeLessThan(65_536);
    expect(byFile.stdout.length).toBeGreaterThan(4 * markdown.stdout.length);
    const lines = markdown.stdout.split('\n');
    for (const id of new Set(report.findings.map(f => f.rule))) {
      const start = lines.indexOf(lines.find(l => l.startsWith(`### \`${id}\``))!);
      expect(start, id).toBeGreaterThan(0);
      const end = lines.findIndex((l, i) => i > start && /^#{2,3} /.test(l));
      const expected = [...new Set(report.findings.filter(f => f.rule === id).map(place))].sort();
      expect([...new Set(listed(lines.slice(start, end < 0 ? undefined : end), files()))], id).toEqual(expected);
    }
  });

  it('prints the layout by file, with every message whole, under --verbose', async () => {
    const verbose = await harden(['audit', '.', '--verbose'], dir);
    expect(verbose.code).toBe(1);
    const readOnly = report.findings.filter(f => f.rule === 'read-only-rootfs');
    expect(verbose.stdout.match(/^ {4}HIGH {2}\S+:\d+ {2}read-only-rootfs$/gm)).toHaveLength(readOnly.length);
    expect(verbose.stdout).toContain('express-postgres-redis/compose.yaml\n  web (compose-service, line 2)\n    HIGH  express-postgres-redis/compose.yaml:2  read-only-rootfs\n');
    expect(verbose.stdout.split('\n').length).toBeGreaterThan(2500);
  });
});
