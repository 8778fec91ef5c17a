import {describe, expect, it} from 'vitest';
import {UserError} from '../../source/core/model/errors.js';
import {localDigests, parseDigestFlag, resolveLocalDigests} from '../../source/runtime/digests.js';
import type {ContainerEngine} from '../../source/runtime/ports.js';

/*
 * The resolved path needs an image with RepoDigests, which only a pull from a registry
 * creates; the test machines cannot pull, so these tests give a fake engine the inspect
 * JSON Docker and Podman return. digests.docker.test.ts covers the real engine's
 * "no registry digest" answer for a locally built image.
 */

const hex = (c: string) => c.repeat(64);

/** An engine that answers inspectImage from a table and throws on anything else (whatever the port grows). */
function fakeEngine(images: Record<string, unknown>): ContainerEngine & {asked: string[]} {
  const asked: string[] = [];
  const inspectImage = async (ref: string) => {
    asked.push(ref);
    if (ref === 'broken:1') throw new Error('engine exploded\nstack');
    return images[ref];
  };
  return new Proxy({} as ContainerEngine & {asked: string[]}, {
    get: (_target, name) => {
      if (name === 'asked') return asked;
      if (name === 'inspectImage') return inspectImage;
      if (name === 'then') return undefined;
      return () => {
        throw new Error(`fake engine: ${String(name)} is not used by digests`);
      };
    },
  });
}

describe('resolveLocalDigests (fake engine with recorded inspect JSON, no registry involved)', () => {
  it('takes the RepoDigests entry of the reference\'s own repository, in Docker\'s and Podman\'s spelling', async () => {
    const engine = fakeEngine({
      'node:20': {RepoDigests: [`node@sha256:${hex('a')}`]},
      'docker.io/library/redis:7': {RepoDigests: [`docker.io/library/redis@sha256:${hex('b')}`, `localhost/redis@sha256:${hex('c')}`]},
      'ghcr.io/acme/app:1': {RepoDigests: [`ghcr.io/acme/app@sha256:${hex('d')}`]},
    });
    const result = await resolveLocalDigests(engine, ['node:20', 'docker.io/library/redis:7', 'ghcr.io/acme/app:1', 'node:20']);
    expect(result.digests).toEqual(new Map([
      ['docker.io/library/node:20', `sha256:${hex('a')}`],
      ['docker.io/library/redis:7', `sha256:${hex('b')}`],
      ['ghcr.io/acme/app:1', `sha256:${hex('d')}`],
    ]));
    expect(result.missing).toEqual(new Map());
    expect(engine.asked).toEqual(['node:20', 'docker.io/library/redis:7', 'ghcr.io/acme/app:1']);
  });

  it('says why there is no digest, and never borrows another repository\'s', async () => {
    const engine = fakeEngine({
      'myapp:dev': {RepoDigests: []},
      'podman-built:1': {RepoDigests: null},
      'retagged:1': {RepoDigests: [`node@sha256:${hex('e')}`]},
      'twice:1': {RepoDigests: [`twice@sha256:${hex('1')}`, `twice@sha256:${hex('2')}`]},
      'garbage:1': {RepoDigests: ['twice@sha256:abc', 42, 'no-at-sign']},
    });
    const result = await resolveLocalDigests(engine, ['myapp:dev', 'podman-built:1', 'retagged:1', 'twice:1', 'garbage:1', 'absent:1', 'broken:1']);
    expect(result.digests).toEqual(new Map());
    expect(Object.fromEntries(result.missing)).toEqual({
      'docker.io/library/myapp:dev': 'built locally, never pushed: no registry digest',
      'docker.io/library/podman-built:1': 'built locally, never pushed: no registry digest',
      'docker.io/library/retagged:1': 'the engine\'s image was pulled only as node, so it has no digest under this name; push it as retagged:1 or pass --digest',
      'docker.io/library/twice:1': 'the engine knows 2 digests for docker.io/library/twice and cannot tell which one this tag is; pass --digest twice:1=sha256:<digest>',
      'docker.io/library/garbage:1': 'the engine\'s image was pulled only as other names, so it has no digest under this name; push it as garbage:1 or pass --digest',
      'docker.io/library/absent:1': 'the engine does not have it: docker pull absent:1, or pass --digest absent:1=sha256:<digest>',
      'docker.io/library/broken:1': 'the engine could not inspect it: engine exploded',
    });
  });

  it('does not ask about pinned, templated or invalid references', async () => {
    const engine = fakeEngine({});
    const result = await localDigests(engine, [`node:20@sha256:${hex('a')}`, '${IMAGE}', 'Upper/Case:1', '']);
    expect(result).toEqual(new Map());
    expect(engine.asked).toEqual([]);
  });
});

describe('parseDigestFlag', () => {
  it('reads REF=DIGEST and gives the lookup key', () => {
    expect(parseDigestFlag(`node:20=sha256:${hex('f')}`)).toEqual({ref: 'node:20', key: 'docker.io/library/node:20', digest: `sha256:${hex('f')}`});
    expect(parseDigestFlag(`localhost:5000/app=sha256:${hex('0')}`)).toEqual({ref: 'localhost:5000/app', key: 'localhost:5000/app:latest', digest: `sha256:${hex('0')}`});
  });

  it.each([
    ['node:20', /expected REF=sha256/],
    [`Node:20=sha256:${hex('a')}`, /not a valid image reference \(repository names must be lower case\)/],
    [`node:20@sha256:${hex('a')}=sha256:${hex('a')}`, /already carries a digest/],
    ['node:20=sha256:abc', /not sha256: followed by 64 lower-case hex digits/],
    [`node:20=sha256:${hex('A')}`, /not sha256:/],
    [`node:20=sha512:${hex('a')}`, /not sha256:/],
    [`node:20=sha256:${hex('a')}\n`, /not sha256:/],
    ['=sha256:' + hex('a'), /not a valid image reference \(empty\)/],
  ])('refuses %j', (spec, message) => {
    expect(() => parseDigestFlag(spec)).toThrow(UserError);
    expect(() => parseDigestFlag(spec)).toThrow(message);
  });
});
