import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {harden} from '../support/cli.js';

/* `fix --skip RULE,...`: every rule but these, as `audit --skip` reports every rule but these. */

const dockerfile = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n';
const compose = 'services:\n  web:\n    build: .\n    ports:\n      - "8080:8080"\n';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'harden-fix-skip-'));
  await writeFile(join(dir, 'Dockerfile'), dockerfile);
  await writeFile(join(dir, 'compose.yaml'), compose);
});
afterEach(async () => {
  await rm(dir, {recursive: true, force: true});
});

interface Planned {
  plan: {targets: Array<{target: {file: string}; changes: Array<{rule: string}>; skipped: Array<{rule: string}>}>};
}

async function rules(args: string[]): Promise<{changed: string[]; notDone: string[]}> {
  const run = await harden(['fix', '--no-run', '--json', ...args], dir);
  expect(run.code, run.stderr).toBe(0);
  const {plan} = JSON.parse(run.stdout) as Planned;
  const sorted = (ids: string[]) => [...new Set(ids)].sort();
  return {changed: sorted(plan.targets.flatMap(t => t.changes.map(c => c.rule))), notDone: sorted(plan.targets.flatMap(t => t.skipped.map(s => s.rule)))};
}

describe('harden fix --skip', () => {
  it('plans every rule but the skipped ones, and does not list them as not done', async () => {
    const all = await rules([]);
    expect(all.changed).toEqual(expect.arrayContaining(['single-stage-build', 'read-only-rootfs', 'cap-drop']));
    const skipped = await rules(['--skip', 'single-stage-build', '--skip', 'cap-drop']);
    expect(skipped.changed).toEqual(all.changed.filter(r => r !== 'single-stage-build' && r !== 'cap-drop'));
    expect(skipped.notDone).not.toContain('single-stage-build');
    expect(skipped.notDone).not.toContain('cap-drop');
    const both = await rules(['--only', 'read-only-rootfs,single-stage-build', '--skip', 'single-stage-build']);
    // A read-only root brings the mounts it needs, as with --only alone.
    expect(both.changed).toEqual(['read-only-rootfs', 'writable-path-unmounted']);
  });

  it('writes nothing for a skipped rule: the Dockerfile stays as it was', async () => {
    const run = await harden(['fix', '--yes', '--no-run', '--skip', 'single-stage-build'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toBe(dockerfile);
    expect(await readFile(join(dir, 'compose.yaml'), 'utf8')).toContain('read_only: true');
  });

  it('refuses a rule id it does not know, in one line, and writes nothing', async () => {
    const run = await harden(['fix', '--yes', '--no-run', '--skip', 'single-stage-bild'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('harden: --skip: unknown rule single-stage-bild');
    expect(await readFile(join(dir, 'compose.yaml'), 'utf8')).toBe(compose);
  });
});
