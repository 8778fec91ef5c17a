/**
 * The locally built base images work on the real engine the way the other docker tests need:
 * busybox runs a shell, node:20-slim runs node and npm as the `node` user, node:20 is the heavier
 * one, and a Dockerfile `FROM node:20-slim` builds through the engine API and runs.
 */
import {execFile} from 'node:child_process';
import {createReadStream} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, afterEach, beforeAll, expect, it} from 'vitest';
import {
	assertNothingLeft,
	describeDocker,
	docker,
	ensureBaseImages,
	runToCompletion,
	sweepStale,
	testRunId,
	testRunLabel,
	testRunLabels,
} from '../support/docker.js';

const minute = 60_000;

describeDocker('locally built base images', () => {
	beforeAll(async () => {
		await sweepStale();
		await ensureBaseImages();
	}, 10 * minute);

	afterEach(async () => {
		await assertNothingLeft(testRunLabel);
	});

	afterAll(async () => {
		// Whatever a failed test left: containers first, then images.
		const filters = {label: [testRunLabel]};
		for (const c of await docker().listContainers({all: true, filters})) {
			await docker().getContainer(c.Id).remove({force: true, v: true});
		}
		for (const i of await docker().listImages({filters})) {
			await docker().getImage(i.Id).remove({force: true});
		}
		await assertNothingLeft(testRunLabel);
	});

	it('busybox runs a shell with no network', async () => {
		const result = await runToCompletion('busybox:latest', ['sh', '-c', 'echo ok']);
		expect(result).toEqual({exitCode: 0, stdout: 'ok\n', stderr: ''});
	}, 2 * minute);

	it('node:20-slim runs node and npm as the node user', async () => {
		const version = await runToCompletion('node:20-slim', ['node', '-e', 'console.log(process.version)'], {
			user: 'node',
		});
		expect(version.exitCode).toBe(0);
		expect(version.stdout.trim()).toMatch(/^v20\.\d+\.\d+$/);

		const npm = await runToCompletion('node:20-slim', ['npm', '--version'], {user: '1000'});
		expect(npm.exitCode, npm.stderr).toBe(0);
		expect(npm.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);

		const who = await runToCompletion('node:20-slim', ['sh', '-c', 'id -u; id -g; echo "$HOME"'], {user: 'node'});
		expect(who.stdout).toBe('1000\n1000\n/home/node\n');
	}, 2 * minute);

	it('both node images run as root by default, like the official ones', async () => {
		for (const ref of ['node:20-slim', 'node:20']) {
			const info = await docker().getImage(ref).inspect();
			expect(info.Config.User ?? '', ref).toBe('');
			expect(info.Config.Cmd, ref).toEqual(['node']);
		}
	});

	it('node:20 is at least 50 MB larger than node:20-slim', async () => {
		const slim = await docker().getImage('node:20-slim').inspect();
		const full = await docker().getImage('node:20').inspect();
		expect(full.Size - slim.Size).toBeGreaterThanOrEqual(50 * 1000 * 1000);
	});

	it('builds a Dockerfile FROM node:20-slim through the engine API and runs it', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'harden-build-'));
		const tag = `harden-wizard-test/app:${testRunId}`;
		try {
			await writeFile(
				join(dir, 'Dockerfile'),
				'FROM node:20-slim\nCOPY app.js /app/app.js\nCMD ["node","/app/app.js"]\n',
			);
			await writeFile(join(dir, 'app.js'), 'console.log(`app ${process.version} uid ${process.getuid()}`);\n');
			// tar-fs is only a transitive dependency of dockerode, so the context is made with tar.
			const context = join(dir, 'context.tar');
			await promisify(execFile)('tar', ['-cf', context, '-C', dir, 'Dockerfile', 'app.js']);

			const stream = await docker().buildImage(createReadStream(context), {
				t: tag,
				labels: {...testRunLabels},
				networkmode: 'none',
				rm: true,
				forcerm: true,
			});
			const events = await new Promise<Array<{error?: string; stream?: string}>>((resolve, reject) => {
				docker().modem.followProgress(stream, (error: Error | null, output: Array<{error?: string}>) =>
					error ? reject(error) : resolve(output),
				);
			});
			const failure = events.find(e => e.error);
			expect(failure?.error, events.map(e => e.stream ?? '').join('')).toBeUndefined();

			const run = await runToCompletion(tag, undefined);
			expect(run.stderr).toBe('');
			expect(run.stdout).toMatch(/^app v20\.\d+\.\d+ uid 0\n$/);
			expect(run.exitCode).toBe(0);
		} finally {
			await docker()
				.getImage(tag)
				.remove({force: true})
				.catch(() => undefined);
			await rm(dir, {recursive: true, force: true});
		}
	}, 5 * minute);
});
