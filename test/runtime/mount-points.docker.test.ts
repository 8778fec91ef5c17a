/**
 * The mount points the engine makes are not writes of the app (issue 15): for `VOLUME
 * /srv/uploads` `docker diff` lists `A /srv`, which the engine created to mount the volume;
 * `harden paths` proposes the volume and what the app wrote, and no tmpfs on /srv (the old build
 * proposed one, which would hide whatever the image ships beside the volume).
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {PathsResult} from '../../source/core/model/runtime.js';
import {harden} from '../support/cli.js';
import {describeDocker, ensureBaseImages} from '../support/docker.js';

const minute = 60_000;
let dir = '';

describeDocker('harden paths and the mount points the engine makes', () => {
  beforeAll(async () => {
    await ensureBaseImages();
    dir = await mkdtemp(join(tmpdir(), 'harden-mount-points-'));
    await writeFile(join(dir, 'Dockerfile'), 'FROM busybox:latest\nVOLUME /srv/uploads\nCMD ["sh", "-c", "mkdir -p /app/cache && echo x > /app/cache/a && exec sleep 600"]\n');
  }, 15 * minute);

  afterAll(async () => {
    await rm(dir, {recursive: true, force: true});
  });

  it('proposes the VOLUME and the app\'s own writes, not the parent the engine created for the volume', async () => {
    const result = await harden(['paths', '--json', '--duration', '1', '.'], dir, {}, 5 * minute);
    expect(result.code, result.stderr).toBe(0);
    const paths = (JSON.parse(result.stdout) as PathsResult).paths.map(p => `${p.path} ${p.mount}`);
    expect(paths).toEqual(['/app tmpfs', '/srv/uploads volume']);
  }, 5 * minute);
});
