/**
 * What a person sees when harden refuses: one line (and a hint) starting "harden: ", exit 2 for
 * what they must fix, 3 for an engine that cannot be reached; never "internal error" or a stack.
 * Each case runs the built CLI on real input (issue 13, item 12).
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {harden, isCleanRefusal, scratch, type Run} from '../hostile/support.js';

let base: Awaited<ReturnType<typeof scratch>>;
beforeAll(async () => {
  base = await scratch();
});
afterAll(() => base.cleanup());

/** A clean refusal whose first line names the problem. */
function refuses(run: Run, code: number, line: RegExp): void {
  expect(run.stderr).not.toMatch(/internal error|\n\s+at |node:events/);
  expect(isCleanRefusal(run), run.stderr).toBe(true);
  expect(run.code).toBe(code);
  expect(run.stderr.split('\n')[0]).toMatch(/^harden: /);
  expect(run.stderr.split('\n')[0]).toMatch(line);
}

const noEngine = {DOCKER_HOST: 'unix:///tmp/harden-no-engine-here.sock'};

describe('verify and paths on a TARGET that is not there', () => {
  it.each([
    ['verify', '/nonexistent'],
    ['paths', '/nonexistent'],
    ['verify', './missing'],
    ['verify', '../missing/app'],
    ['verify', 'app/Dockerfile'],
    ['verify', 'deploy/compose.yaml:web'],
    ['paths', 'a//b'],
  ])('harden %s %s names the path, engine or not', async (command, target) => {
    refuses(await harden([command, target], base.project), 2, new RegExp(`${target.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: no such file or directory$`));
    refuses(await harden([command, target], base.project, noEngine), 2, /no such file or directory$/);
  });

  it.each([['Foo:bar'], ['has space'], ['x?y']])('a word no image or container can be called (%s) is refused before the engine is asked', async target => {
    refuses(await harden(['verify', target], base.project), 2, /not a name an image or container can have/);
  });

  it('an image or container name with no engine running: exit 3, one line', async () => {
    refuses(await harden(['verify', 'nginx:1.27'], base.project, noEngine), 3, /no Docker engine at unix:\/\/\/tmp\/harden-no-engine-here\.sock/);
    refuses(await harden(['paths', 'some-container'], base.project, noEngine), 3, /no Docker engine/);
  });
});
