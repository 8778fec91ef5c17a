import {mkdir, mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {resolveTarget} from '../../../source/runtime/targets/resolve.js';

describe('resolveTarget', () => {
  it('builds a compose service from its context, with the Dockerfile path relative to it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-resolve-'));
    await mkdir(join(dir, 'docker'));
    await writeFile(join(dir, 'docker', 'Dockerfile'), 'FROM busybox:latest\nCOPY app.sh /app.sh\n');
    await writeFile(join(dir, 'compose.yaml'), 'services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n    tmpfs: [/tmp]\n');
    const target = await resolveTarget('compose.yaml:web', dir, undefined);
    expect(target.build).toEqual({context: dir, dockerfile: 'docker/Dockerfile'});
    expect(target.mounts.map(m => m.target)).toEqual(['/tmp']);
  });

  it('names the services a file has when the one asked for is not there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-resolve-'));
    await writeFile(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: busybox:1\n');
    await expect(resolveTarget('compose.yaml:api', dir, undefined)).rejects.toThrow('compose.yaml has no service or container "api"');
  });
});
