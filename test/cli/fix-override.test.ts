import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {hashTree} from '../support/tree.js';
import {harden} from '../support/cli.js';

/*
 * A compose override that defeats the fix (issue 13, item 10): on real files through the
 * built CLI, the fix edits the override where Compose reads the value, a second audit finds
 * nothing left, a second fix changes nothing, and undo restores both files byte for byte.
 */

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'harden-override-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

interface Finding {
  rule: string;
  target: string;
  file: string;
  line: number;
}

async function findings(dir: string): Promise<Finding[]> {
  const audit = await harden(['audit', '--format', 'json', '--fail-on', 'none'], dir);
  expect(audit.code).toBe(0);
  return (JSON.parse(audit.stdout) as {findings: Finding[]}).findings;
}

const base = 'services:\n  web:\n    image: nginx:1.27\n    read_only: true\n    security_opt:\n      - no-new-privileges:true\n    tmpfs:\n      - /var/cache/nginx\n      - /run\n';

describe('harden fix with compose.override.yaml', () => {
  it('edits the override where it sets read_only: false (CRLF and BOM kept), then reaches a fixed point', async () => {
    const override = '\uFEFFservices:\r\n  web:\r\n    # writable while developing\r\n    read_only: false\r\n    volumes:\r\n      - ./html:/usr/share/nginx/html\r\n';
    const dir = await project({'compose.yaml': base, 'compose.override.yaml': override});
    const before = await hashTree(dir);

    expect(await findings(dir)).toContainEqual(expect.objectContaining({rule: 'read-only-rootfs', target: 'compose-service:compose.yaml#web', file: 'compose.override.yaml', line: 4}));

    const first = await harden(['fix', '--yes', '--only', 'read-only-rootfs,writable-path-unmounted,privilege-escalation'], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('+ read-only-rootfs: the root filesystem becomes read-only');
    expect(first.stdout).toContain('--- a/compose.override.yaml');
    expect(first.stdout).toContain('-    read_only: false');
    expect(first.stdout).toContain('+    read_only: true');
    expect(first.stdout).toContain('wrote compose.override.yaml');
    expect(first.stdout).not.toContain('wrote compose.yaml');
    expect(await readFile(join(dir, 'compose.override.yaml'), 'utf8')).toBe(override.replace('read_only: false', 'read_only: true'));
    expect(await readFile(join(dir, 'compose.yaml'), 'utf8')).toBe(base);

    expect((await findings(dir)).filter(f => f.rule === 'read-only-rootfs')).toEqual([]);
    const fixed = await hashTree(dir);
    const second = await harden(['fix', '--yes', '--only', 'read-only-rootfs,writable-path-unmounted,privilege-escalation'], dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Nothing to change: every fixable finding is fixed already/);
    expect(await hashTree(dir)).toEqual(fixed);

    const undo = await harden(['undo'], dir);
    expect(undo.code).toBe(0);
    expect(await hashTree(dir)).toEqual(before);
  });

  it('docker-compose.override.yml: a !reset and a reset tmpfs list are rewritten there, the base gets the rest, one backup holds both', async () => {
    const dir = await project({
      'docker-compose.yml': 'services:\n  web:\n    image: nginx:1.27\n    read_only: true\n',
      'docker-compose.override.yml': 'services:\n  web:\n    read_only: !reset null\n    tmpfs: !reset []\n',
    });
    const before = await hashTree(dir);
    const first = await harden(['fix', '--yes', '--only', 'read-only-rootfs,writable-path-unmounted,privilege-escalation'], dir);
    expect(first.code).toBe(0);
    expect(await readFile(join(dir, 'docker-compose.override.yml'), 'utf8')).toBe(
      'services:\n  web:\n    read_only: true\n    tmpfs: !override\n      - "/var/cache/nginx:size=64m"\n      - "/run:size=64m"\n',
    );
    expect(await readFile(join(dir, 'docker-compose.yml'), 'utf8')).toBe('services:\n  web:\n    image: nginx:1.27\n    read_only: true\n    security_opt:\n      - no-new-privileges:true\n');
    expect((await findings(dir)).filter(f => ['read-only-rootfs', 'writable-path-unmounted', 'privilege-escalation'].includes(f.rule))).toEqual([]);

    const fixed = await hashTree(dir);
    expect((await harden(['fix', '--yes', '--only', 'read-only-rootfs,writable-path-unmounted,privilege-escalation'], dir)).stdout).toMatch(/Nothing to change/);
    expect(await hashTree(dir)).toEqual(fixed);
    expect((await harden(['undo'], dir)).code).toBe(0);
    expect(await hashTree(dir)).toEqual(before);
  });

  it('does not claim what it cannot edit in the override: not done, with where and why, and exit 1', async () => {
    const dir = await project({'compose.yaml': base, 'compose.override.yaml': 'x-dev: &dev\n  read_only: false\nservices:\n  web: *dev\n'});
    const before = await hashTree(dir);
    const result = await harden(['fix', '--only', 'read-only-rootfs'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('becomes read-only');
    expect(result.stdout.replace(/\n +/g, ' ')).toContain(
      '! not done (read-only-rootfs): read_only: true: compose.override.yaml:2 sets read_only: false, which Compose applies over compose.yaml; its settings are an alias (*dev) of a mapping other keys share; give the service its own mapping',
    );
    expect(result.stdout).toContain('1 change the findings need could not be made where it takes effect, so its finding stays.');
    const json = await harden(['fix', '--json', '--only', 'read-only-rootfs'], dir);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as {plan: {targets: Array<{skipped: Array<{withdrawn?: boolean}>}>}}).plan.targets[0]!.skipped).toContainEqual(expect.objectContaining({withdrawn: true}));
    expect(await hashTree(dir)).toEqual(before);
  });
});
