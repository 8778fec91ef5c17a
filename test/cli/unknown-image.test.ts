import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {harden} from '../support/cli.js';

/*
 * An image harden knows nothing about (issue 15: dpage/pgadmin4) used to get read_only: true
 * and "only the mounts below stay writable" with nothing below. The plan says that nothing is
 * known and how to find the writes; a known image keeps its proposed mounts and no such note.
 */
describe('harden fix of an image it knows nothing about', () => {
  it('says so and offers paths / --discover, and a known image does not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-unknown-'));
    await writeFile(join(dir, 'compose.yaml'), 'services:\n  admin:\n    image: dpage/pgadmin4:8.12\n    ports:\n      - "5050:80"\n  cache:\n    image: redis:7.2\n');
    const run = await harden(['fix', '--no-run'], dir);
    expect(run.code).toBe(0);
    const text = run.stdout.replace(/\n +/g, ' ');
    expect(text).toContain('harden knows nothing of where dpage/pgadmin4:8.12 writes, so no mount is proposed: find its writes with "harden paths compose.yaml:admin" or "harden fix --discover"');
    expect(text.match(/knows nothing of where/g)).toHaveLength(1);
    expect(text).toMatch(/cache \(compose-service\) \+ read-only-rootfs: the root filesystem becomes read-only; only the mounts below stay writable/);
  });
});
