/**
 * What the real engine answers for an image that was never pulled from a registry. The test
 * machines cannot pull, so every image here is built locally (busybox:latest by the fixture
 * script) and has no RepoDigests: this covers only the unresolved path. The resolved path
 * (an image with RepoDigests) is covered with a fake engine in digests.test.ts.
 */
import {afterEach, beforeAll, expect, it} from 'vitest';
import {pinReferences} from '../../source/core/patch/pin/index.js';
import {connectEngine} from '../../source/runtime/docker/engine.js';
import {resolveLocalDigests} from '../../source/runtime/digests.js';
import type {ContainerEngine} from '../../source/runtime/ports.js';
import {assertNothingLeft, describeDocker, ensureBaseImages, testRunLabel} from '../support/docker.js';

const minute = 60_000;

describeDocker('local digests on the real engine (locally built images only: no registry)', () => {
	let engine: ContainerEngine;

	beforeAll(async () => {
		await ensureBaseImages();
		engine = await connectEngine();
	}, 10 * minute);

	afterEach(async () => {
		// Inspecting creates nothing; check it stays that way.
		await assertNothingLeft(testRunLabel);
	});

	it('a locally built image has no RepoDigests: unresolved, "built locally, never pushed"', async () => {
		const inspect = (await engine.inspectImage('busybox:latest')) as {RepoDigests?: string[]};
		expect(inspect.RepoDigests ?? []).toEqual([]);
		const result = await resolveLocalDigests(engine, ['busybox:latest', 'busybox']);
		expect(result.digests).toEqual(new Map());
		expect(result.missing).toEqual(new Map([['docker.io/library/busybox:latest', 'built locally, never pushed: no registry digest']]));

		const pinned = pinReferences('Dockerfile', 'dockerfile', 'FROM busybox:latest\n', result.digests, result.missing);
		expect(pinned).toEqual({
			ok: true,
			text: 'FROM busybox:latest\n',
			pinned: [],
			unresolved: [{ref: 'busybox:latest', line: 1, reason: 'built locally, never pushed: no registry digest'}],
		});
	}, 2 * minute);

	it('an image the engine does not have is unresolved with a hint, and nothing is pulled', async () => {
		const ref = `harden-wizard-absent-${Date.now()}:1`;
		const result = await resolveLocalDigests(engine, [ref]);
		expect(result.digests).toEqual(new Map());
		expect([...result.missing.values()]).toEqual([`the engine does not have it: docker pull ${ref}, or pass --digest ${ref}=sha256:<digest>`]);
		expect(await engine.inspectImage(ref)).toBeUndefined();
	}, minute);
});
