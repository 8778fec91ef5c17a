import {execFile} from 'node:child_process';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {VerifyResult} from '../../source/core/model/runtime.js';
import {connectEngine} from '../../source/runtime/docker/engine.js';
import {sessionId, sessionLabel} from '../../source/runtime/docker/labels.js';
import type {ContainerEngine} from '../../source/runtime/ports.js';
import {resolveTargets} from '../../source/runtime/targets/resolve.js';
import {verifyTargets} from '../../source/runtime/verify-targets.js';
import {assertNothingLeft, describeDocker, docker, ensureBaseImages} from '../support/docker.js';

const execFileAsync = promisify(execFile);
const bin = resolve('bin/harden.js');

/*
 * Four busybox services, checked by one probe (`test -f /tmp/ready`): two ready after a
 * second, one after five, and one that writes outside its mounts and dies. Each keeps running
 * for --settle 1 once ready.
 */
const service = (sleep: number, extra = '') => [
  '    image: busybox:latest',
  `    command: ["sh", "-c", "${extra}sleep ${sleep}; touch /tmp/ready; exec sleep 3600"]`,
  '    tmpfs: [/tmp]',
];
const compose = [
  'services:',
  '  fast-a:',
  ...service(1),
  '  fast-b:',
  ...service(1),
  '  slow:',
  ...service(5),
  '  broken:',
  ...service(1, 'mkdir -p /data || exit 1; '),
  '',
].join('\n');
const probe = 'test -f /tmp/ready';

let dir: string;
let engine: ContainerEngine;

/** Volumes this process's runs created and did not remove (assertNothingLeft checks containers and images). */
async function volumesLeft(session: string): Promise<string[]> {
  const {Volumes} = await docker().listVolumes({filters: {label: [`${sessionLabel}=${session}`]}});
  return (Volumes ?? []).map(v => v.Name);
}

describeDocker('harden verify of several targets at once', () => {
  beforeAll(async () => {
    await ensureBaseImages();
    engine = await connectEngine();
    dir = await mkdtemp(join(tmpdir(), 'harden-verify-many-'));
    await writeFile(join(dir, 'compose.yaml'), compose);
  }, 600_000);

  afterAll(async () => {
    if (dir) await rm(dir, {recursive: true, force: true});
  });

  it('runs the services of a compose file concurrently: wall time under the sum, one result each, in order', async () => {
    const {targets, wholeFile} = await resolveTargets('compose.yaml', dir, engine);
    expect(wholeFile).toBe(true);
    expect(targets.map(t => t.label)).toEqual(['compose.yaml:fast-a', 'compose.yaml:fast-b', 'compose.yaml:slow', 'compose.yaml:broken']);
    // Each target's own span: from its first progress line to its last.
    const spans = new Map<string, {first: number; last: number}>();
    const events: string[] = [];
    const start = Date.now();
    const results = await verifyTargets(engine, targets, {
      jobs: 4,
      writable: [],
      settleSeconds: 1,
      readyTimeoutMs: 30_000,
      shadowOnFailure: false,
      probe,
      onProgress: (target, line) => {
        const now = Date.now();
        const span = spans.get(target.label) ?? {first: now, last: now};
        span.last = now;
        spans.set(target.label, span);
        events.push(`${target.label} ${line}`);
      },
    });
    const wall = Date.now() - start;
    const results2 = results.map(r => ({target: r.target, ok: r.ok, failed: r.checks.filter(c => !c.ok).map(c => c.name), missing: r.missing.map(m => m.path)}));
    expect(results2).toEqual([
      {target: 'compose.yaml:fast-a', ok: true, failed: [], missing: []},
      {target: 'compose.yaml:fast-b', ok: true, failed: [], missing: []},
      {target: 'compose.yaml:slow', ok: true, failed: [], missing: []},
      {target: 'compose.yaml:broken', ok: false, failed: ['exit-code', 'no-write-errors'], missing: ['/data']},
    ]);
    // All four were running before the slow one was ready: they ran side by side.
    const running = events.map((e, i) => [e, i] as const).filter(([e]) => / running compose\.yaml:\S+ read-only/.test(e)).map(([, i]) => i);
    const slowReady = events.findIndex(e => e.startsWith('compose.yaml:slow ready;'));
    expect(running).toHaveLength(4);
    expect(Math.max(...running)).toBeLessThan(slowReady);
    const sum = [...spans.values()].reduce((total, s) => total + (s.last - s.first), 0);
    const slowest = Math.max(...[...spans.values()].map(s => s.last - s.first));
    expect(wall).toBeLessThan(sum);
    expect(wall).toBeLessThan(slowest + 5_000);
    await assertNothingLeft(`${sessionLabel}=${sessionId}`);
    expect(await volumesLeft(sessionId)).toEqual([]);
  }, 180_000);

  it('harden verify compose.yaml: an array of results with --json, a summary line, exit 1 when one fails', async () => {
    const json = await execFileAsync('node', [bin, 'verify', 'compose.yaml', '--settle', '1', '--no-shadow', '--probe', probe, '--json'], {cwd: dir}).catch((e: {code: number; stdout: string}) => e);
    expect((json as {code?: number}).code).toBe(1);
    const results = JSON.parse((json as {stdout: string}).stdout) as VerifyResult[];
    expect(results.map(r => [r.target, r.ok])).toEqual([
      ['compose.yaml:fast-a', true],
      ['compose.yaml:fast-b', true],
      ['compose.yaml:slow', true],
      ['compose.yaml:broken', false],
    ]);
    // Two targets named one by one: text, progress lines prefixed by target, exit 0.
    const text = await execFileAsync('node', [bin, 'verify', 'compose.yaml:fast-a', 'compose.yaml:fast-b', '--settle', '1', '--probe', probe], {cwd: dir});
    expect(text.stdout).toMatch(/^== compose\.yaml:fast-a: ok\n/);
    expect(text.stdout).toContain('\n== compose.yaml:fast-b: ok\n');
    expect(text.stdout).toMatch(/\n2 of 2 targets keep working read-only\.\n$/);
    expect(text.stderr).toMatch(/^ {2}\[compose\.yaml:fast-b\] running compose\.yaml:fast-b read-only/m);
  }, 180_000);

  it('runs targets that listen on the same port at once: each has its own network namespace and probe', async () => {
    const web = join(dir, 'web');
    await mkdir(web, {recursive: true});
    await writeFile(join(web, 'Dockerfile'), 'FROM busybox:latest\nEXPOSE 8080\nCMD ["httpd", "-f", "-p", "8080", "-h", "/"]\n');
    await writeFile(join(web, 'compose.yaml'), 'services:\n  one:\n    build: .\n  two:\n    build: .\n');
    const {targets} = await resolveTargets('compose.yaml', web, engine);
    const results = await verifyTargets(engine, targets, {
      jobs: 4,
      writable: [],
      settleSeconds: 1,
      readyTimeoutMs: 30_000,
      shadowOnFailure: false,
      onProgress: () => undefined,
    });
    expect(results.map(r => [r.target, r.ok, r.checks.find(c => c.name === 'ready')?.detail])).toEqual([
      ['compose.yaml:one', true, expect.stringMatching(/^GET \/ on port 8080 answered \d{3} /)],
      ['compose.yaml:two', true, expect.stringMatching(/^GET \/ on port 8080 answered \d{3} /)],
    ]);
    await assertNothingLeft(`${sessionLabel}=${sessionId}`);
  }, 240_000);
});
