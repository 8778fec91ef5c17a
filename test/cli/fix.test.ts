import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {copyFixture, hashTree} from '../support/tree.js';
import {harden} from '../support/cli.js';

describe('harden fix on the demo project', () => {
  it('shows diffs and writes nothing without --yes', async () => {
    const dir = await copyFixture('templates/demo');
    const before = await hashTree(dir);
    const result = await harden(['fix', '--no-run'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('+++ b/compose.yaml');
    expect(result.stdout).toContain('+    read_only: true');
    expect(result.stdout).toContain('+++ b/k8s/deployment.yaml');
    expect(result.stdout).toContain('Nothing was written. Run again with --yes');
    expect(await hashTree(dir)).toEqual(before);
  });

  it('writes with --yes, then a second fix changes nothing, and undo restores every byte', async () => {
    const dir = await copyFixture('templates/demo');
    const before = await hashTree(dir);
    const first = await harden(['fix', '--no-run', '--yes'], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/wrote compose\.yaml/);
    const compose = parse(await readFile(join(dir, 'compose.yaml'), 'utf8')) as {services: Record<string, Record<string, unknown>>};
    expect(compose.services['web']!['read_only']).toBe(true);
    expect(compose.services['web']!['security_opt']).toEqual(['no-new-privileges:true']);
    const audit = await harden(['audit', '--format', 'json', '--fail-on', 'none'], dir);
    const remaining = (JSON.parse(audit.stdout) as {findings: Array<{rule: string; target: string}>}).findings;
    expect(remaining.filter(f => f.rule === 'read-only-rootfs' || f.rule === 'writable-path-unmounted' || f.rule === 'privilege-escalation')).toEqual([]);

    const afterFirst = await hashTree(dir);
    const second = await harden(['fix', '--no-run', '--yes'], dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Nothing to change/);
    expect(await hashTree(dir)).toEqual(afterFirst);

    const undo = await harden(['undo'], dir);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toMatch(/restored compose\.yaml/);
    expect(await hashTree(dir)).toEqual(before);
  });

  it('saves a plan and replays it', async () => {
    const dir = await copyFixture('templates/demo');
    const planFile = join(dir, '..', `plan-${Date.now()}.json`);
    expect((await harden(['fix', '--no-run', '--plan-out', planFile], dir)).code).toBe(0);
    const plan = JSON.parse(await readFile(planFile, 'utf8')) as {files: Array<{file: string}>};
    expect(plan.files.map(f => f.file)).toContain('compose.yaml');
    const replay = await harden(['fix', '--no-run', '--plan', planFile, '--yes'], dir);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/wrote compose\.yaml/);
  });

  it('refuses to write a file that changed since the plan was made', async () => {
    const dir = await copyFixture('templates/demo');
    const planFile = join(dir, '..', `plan-stale-${Date.now()}.json`);
    await harden(['fix', '--no-run', '--plan-out', planFile], dir);
    await writeFile(join(dir, 'compose.yaml'), (await readFile(join(dir, 'compose.yaml'), 'utf8')) + '# edited\n');
    const before = await hashTree(dir);
    const replay = await harden(['fix', '--no-run', '--plan', planFile, '--yes'], dir);
    expect(replay.code).toBe(2);
    expect(replay.stderr).toMatch(/compose\.yaml changed since it was read/);
    expect(await hashTree(dir)).toEqual(before);
  });

  it('--not-writable leaves a proposed path read-only, says so with the evidence, and refuses relative paths', async () => {
    const dir = await copyFixture('templates/demo');
    const result = await harden(['fix', '--no-run', '--yes', '--json', '--not-writable', '/app/cache', '--not-writable', '/var/run'], dir);
    expect(result.code).toBe(0);
    const compose = await readFile(join(dir, 'compose.yaml'), 'utf8');
    expect(compose).toContain('read_only: true');
    expect(compose).not.toContain('/app/cache');
    expect(compose).toContain('/app/logs');
    expect(await readFile(join(dir, 'k8s/deployment.yaml'), 'utf8')).not.toContain('/app/cache');
    const plan = JSON.parse(result.stdout).plan as {targets: Array<{target: {name: string}; skipped: Array<{what: string; reason: string}>}>};
    const web = plan.targets.find(t => t.target.name === 'web')!;
    expect(web.skipped).toContainEqual({rule: 'writable-path-unmounted', what: '/app/cache', reason: expect.stringMatching(/^left read-only as you asked, although .*CACHE_DIR/)});
    for (const bad of ['app/cache', '/app/../cache']) {
      const refused = await harden(['fix', '--no-run', '--not-writable', bad], dir);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^harden: --not-writable /);
    }
  });

  it('refuses system paths in --writable with one line', async () => {
    const dir = await copyFixture('templates/demo');
    for (const path of ['/', '/proc', '/sys/fs', '/dev', '/var/run/docker.sock', 'relative/path', '/tmp/../etc']) {
      const result = await harden(['fix', '--no-run', '--writable', path], dir);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^harden: --writable /);
    }
  });

  it('--writable NAME:PATH adds the path to that service only; an unknown name is a one-line error', async () => {
    const dir = await copyFixture('templates/demo');
    const result = await harden(['fix', '--no-run', '--json', '--writable', 'web:/app/run=tmpfs', '--writable', '/var/cache/shared'], dir);
    expect(result.code, result.stderr).toBe(0);
    const {plan} = JSON.parse(result.stdout) as {plan: {targets: Array<{target: {name: string; kind: string}; changes: Array<{kind: string; mount?: {path: string}}>}>}};
    const mounts = (name: string) => plan.targets.filter(t => t.target.kind === 'compose-service' && t.target.name === name).flatMap(t => t.changes).filter(c => c.kind === 'writable').map(c => c.mount!.path);
    expect(mounts('web')).toContain('/app/run');
    expect(mounts('cache')).not.toContain('/app/run');
    // Untargeted: every service.
    expect(mounts('web')).toContain('/var/cache/shared');
    expect(mounts('cache')).toContain('/var/cache/shared');
    const typo = await harden(['fix', '--no-run', '--writable', 'wbe:/app/run'], dir);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^harden: --writable wbe:\/app\/run: no compose service or Kubernetes container is named wbe/);
    expect(typo.stderr).toContain('web');
    for (const bad of ['web:relative', 'web:/proc', 'web:/app/run=disk']) {
      const refused = await harden(['fix', '--no-run', '--writable', bad], dir);
      expect(refused.code, bad).toBe(2);
      expect(refused.stderr).toMatch(/^harden: --writable /);
    }
  });
});
