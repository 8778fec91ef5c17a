import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {AuditReport} from '../../source/core/model/finding.js';
import {harden} from '../support/cli.js';

/*
 * `audit --only` and `--skip`: a one-off audit that looks at one rule, or a CI job that has
 * accepted one, reports the rest; the counts and the exit code follow what is reported.
 */

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'harden-audit-rules-'));
  await writeFile(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.25\n  cache:\n    image: redis:7.2\n    read_only: true\n');
});

afterAll(async () => {
  await rm(dir, {recursive: true, force: true});
});

async function rules(args: string[]): Promise<{code: number; rules: string[]}> {
  const run = await harden(['audit', '--format', 'json', ...args], dir);
  const report = JSON.parse(run.stdout) as AuditReport;
  return {code: run.code, rules: [...new Set(report.findings.map(f => f.rule))].sort()};
}

describe('harden audit --only / --skip', () => {
  it('reports only the rules named, and exits by what it reports', async () => {
    const all = await rules([]);
    expect(all.rules).toContain('read-only-rootfs');
    expect(all.rules).toContain('cap-drop');
    expect(all.code).toBe(1);
    const only = await rules(['--only', 'cap-drop,mutable-image-ref']);
    expect(only.rules).toEqual(['cap-drop', 'mutable-image-ref']);
    // No high finding is reported, so the default --fail-on high passes.
    expect(only.code).toBe(0);
  });

  it('leaves the skipped rules out; repeated flags add up', async () => {
    const all = await rules([]);
    const skipped = await rules(['--skip', 'read-only-rootfs', '--skip', 'cap-drop, root-user']);
    expect(skipped.rules).toEqual(all.rules.filter(r => !['read-only-rootfs', 'cap-drop', 'root-user'].includes(r)));
    expect(skipped.code).toBe(0);
    const both = await rules(['--only', 'cap-drop,read-only-rootfs', '--skip', 'cap-drop']);
    expect(both.rules).toEqual(['read-only-rootfs']);
    expect(both.code).toBe(1);
  });

  it('says first what it leaves out, in the text and the Markdown, and counts only what it reports', async () => {
    const run = await harden(['audit', '--only', 'read-only-rootfs'], dir);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual(['Only findings of read-only-rootfs are reported (--only).', '']);
    expect(run.stdout).toContain('1 finding (1 fixable by "harden fix"):');
    const skipped = await harden(['audit', '--skip', 'root-user,cap-drop', '--format', 'markdown'], dir);
    expect(skipped.stdout).toContain('\n\n**Findings of cap-drop, root-user are left out (--skip).**\n\n## Summary\n');
    const none = await harden(['audit', '--only', 'cap-drop', '--skip', 'cap-drop'], dir);
    expect(none.stdout.split('\n')[0]).toBe('No findings are reported: --skip leaves out every rule --only names.');
    expect(none.code).toBe(0);
    expect((await harden(['audit'], dir)).stdout).not.toContain('reported');
    expect(run.stdout).not.toContain('cap-drop');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('2 targets, 1 finding (1 high)');
  });

  it('refuses a rule id it does not know, in one line that lists the ids, and reports nothing', async () => {
    for (const args of [['--skip', 'cap-dorp'], ['--only', 'read-only-rootfs,nope'], ['--only', ' , ']]) {
      const run = await harden(['audit', ...args], dir);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      const [first, hint] = run.stderr.trimEnd().split('\n');
      expect(first).toMatch(/^harden: --(skip|only)(: unknown rule (cap-dorp|nope)| needs rule ids, such as --only cap-drop)$/);
      expect(hint).toContain('rules: privileged, docker-socket,');
      expect(hint).toContain('read-only-rootfs');
    }
  });
});
