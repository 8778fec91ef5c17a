/**
 * Names the engine's router does not take as one name (`/x`, `a//b`) or rejects (`Foo:bar`):
 * inspect answers "no such image" or container, and nothing fails later outside the promise
 * (docker-modem followed the engine's 301 to a host named "images" and threw ENOTFOUND).
 */
import {afterAll, expect, it} from 'vitest';
import {connectEngine} from '../../../source/runtime/docker/engine.js';
import {describeDocker} from '../../support/docker.js';

const late: unknown[] = [];
const onLate = (error: unknown) => late.push(error);
process.on('uncaughtException', onLate);
afterAll(() => {
  process.off('uncaughtException', onLate);
});

describeDocker('inspect with a name the engine cannot route', () => {
  it('is no such image, and no such container, with nothing thrown later', async () => {
    const engine = await connectEngine();
    for (const name of ['/nonexistent', 'a//b', 'Foo:bar', 'x?y']) {
      expect(await engine.inspectImage(name)).toBeUndefined();
      await expect(engine.inspectContainer(name)).rejects.toMatchObject({statusCode: expect.any(Number)});
    }
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(late).toEqual([]);
  }, 30_000);
});
