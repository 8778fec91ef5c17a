/**
 * The ground truth for multi-stage rewrites (issue 14): every app in test/fixtures/rewrite-apps
 * builds from its own single-stage Dockerfile with no network, and does what its app.json says
 * "works" means, once as it is and once read-only with a tmpfs on /tmp and on each path it
 * writes. A rewrite is measured against these same checks (test/support/rewrite-apps.ts).
 */
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {assertNothingLeft, describeDocker, docker, ensureBaseImages, sweepStale, testRunId, testRunLabel} from '../support/docker.js';
import {buildFixture, listApps, runCheck, type BuiltImage, type CheckResult} from '../support/rewrite-apps.js';

const minute = 60_000;
const apps = await listApps();
const sizes: Array<{app: string; base: string; megabytes: number; buildSeconds: number}> = [];

/** The check's problems, with the app's output when there are any, for a readable failure. */
function explain(result: CheckResult): string {
	return `${result.problems.join('; ')}\n--- app output ---\n${result.logs}`;
}

describe('rewrite-apps fixtures', () => {
	it('has at least 13 apps, each with a why', () => {
		expect(apps.length).toBeGreaterThanOrEqual(13);
		for (const app of apps) expect(app.why.length, app.name).toBeGreaterThan(20);
	});
});

describeDocker('rewrite-apps: every original single-stage Dockerfile works', () => {
	beforeAll(async () => {
		await sweepStale();
		await ensureBaseImages();
	}, 15 * minute);

	afterEach(async () => {
		await assertNothingLeft(testRunLabel);
	});

	afterAll(() => {
		console.info(
			`rewrite-apps image sizes (original, single-stage):\n${sizes
				.map(s => `  ${s.app.padEnd(26)} ${s.base.padEnd(24)} ${s.megabytes.toFixed(1).padStart(7)} MB  built in ${s.buildSeconds.toFixed(0)} s`)
				.join('\n')}`,
		);
	});

	for (const app of apps) {
		it(`${app.name}: builds with no network, works as it is and read-only`, async context => {
			// A machine without a python 3.11 or a JDK 17 has no stand-in for those bases (build-base-images.sh says so); CI has both.
			const from = /^FROM\s+(\S+)/im.exec(await readFile(join(app.dir, 'Dockerfile'), 'utf8'))?.[1];
			if (from && !(await docker().getImage(from).inspect().then(() => true, () => false))) {
				if (process.env['CI']) throw new Error(`CI must build ${from}: see test/fixtures/images/build-base-images.sh`);
				context.skip(`${from} is not on this engine: build-base-images.sh could not make it here`);
			}
			let image: BuiltImage | undefined;
			try {
				image = await buildFixture(app.dir, `harden-wizard-test/rewrite-app-${app.name}:${testRunId}`);
				const base = (await docker().getImage(image.id).inspect()).Config.Labels?.['harden-wizard.base-image-inputs'];
				sizes.push({
					app: app.name,
					base: /^FROM\s+(\S+)/im.exec(await readFile(join(app.dir, 'Dockerfile'), 'utf8'))?.[1] ?? '?',
					megabytes: image.size / 1e6,
					buildSeconds: image.seconds,
				});
				// The label comes from the base image: the build really used the offline stand-in.
				expect(base, 'the base image is not one build-base-images.sh made').toBeDefined();

				const plain = await runCheck(image.tag, app);
				expect(plain.problems, explain(plain)).toEqual([]);

				const readOnly = await runCheck(image.tag, app, {readOnly: true});
				expect(readOnly.problems, `read-only: ${explain(readOnly)}`).toEqual([]);
			} finally {
				await image?.remove();
			}
		}, 10 * minute);
	}
});

