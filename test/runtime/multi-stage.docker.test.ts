/**
 * The multi-stage rewrite of the demo app, proven on the real engine: the original
 * single-stage Dockerfile (FROM node:20, with a toolchain) and its rewrite both build; the
 * rewrite's image is smaller, runs as a non-root user, and answers GET /healthz exactly as
 * the original does.
 *
 * The containers run with no network; the request is made from inside with `node -e`
 * through `docker exec`, which works whatever network the engine has (a remote or rootless
 * engine has no shared host loopback). The demo writes /app/logs, /app/cache and /app/run at
 * start: the rewrite creates them owned by the runtime user (from the ENV LOG_DIR, CACHE_DIR,
 * PID_FILE hints), so no tmpfs is mounted here; the container proves the image works as it
 * is. Read-only with tmpfs mounts is the compose/Kubernetes fix's job.
 */
import {execFile} from 'node:child_process';
import {createReadStream} from 'node:fs';
import {cp, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import type Docker from 'dockerode';
import {afterAll, afterEach, beforeAll, expect, it} from 'vitest';
import {rewriteMultiStage} from '../../source/core/patch/dockerfile/index.js';
import {
	assertNothingLeft,
	demux,
	describeDocker,
	docker,
	ensureBaseImages,
	sweepStale,
	testRunId,
	testRunLabel,
	testRunLabels,
} from '../support/docker.js';

const minute = 60_000;
const healthz = `
const http = require('node:http');
http.get('http://127.0.0.1:3000/healthz', response => {
  let body = '';
  response.on('data', chunk => (body += chunk));
  response.on('end', () => process.stdout.write(response.statusCode + ' ' + body));
}).on('error', error => {
  process.stdout.write('ERR ' + error.code);
  process.exitCode = 1;
});`;

/** Intermediate images the classic builder made (` ---> id` lines), removed after the test. */
const intermediates: string[] = [];
let dir = '';

async function build(dockerfile: string, tag: string): Promise<void> {
	const context = join(dir, `${dockerfile}.tar`);
	// The engine API gets the context as a tar; .dockerignore is the client's job, so apply it here.
	const ignored = (await readFile(join(dir, '.dockerignore'), 'utf8')).split('\n').filter(Boolean);
	await promisify(execFile)('tar', ['-cf', context, '-C', dir, ...ignored.map(p => `--exclude=./${p}`), '--exclude=./*.tar', '.']);
	const stream = await docker().buildImage(createReadStream(context), {
		t: tag,
		dockerfile,
		labels: {...testRunLabels},
		networkmode: 'none',
		// No cache: every intermediate image is this build's own, so removing them cannot break another build.
		nocache: true,
		rm: true,
		forcerm: true,
	});
	const events = await new Promise<Array<{error?: string; stream?: string}>>((resolve, reject) => {
		docker().modem.followProgress(stream, (error: Error | null, output: Array<{error?: string}>) =>
			error ? reject(error) : resolve(output),
		);
	});
	const log = events.map(e => e.stream ?? '').join('');
	// Each step ends in ` ---> <id>`; after a FROM step that id is the base image, which stays.
	let step = '';
	for (const line of log.split('\n')) {
		if (line.startsWith('Step ')) step = line;
		const id = / ---> ([0-9a-f]{12})$/.exec(line.trimEnd())?.[1];
		if (id && !/^Step \d+\/\d+ : FROM /i.test(step)) intermediates.push(id);
	}
	const failure = events.find(e => e.error);
	expect(failure?.error, `docker build of ${dockerfile} failed:\n${log}`).toBeUndefined();
}

async function exec(container: Docker.Container, cmd: string[]): Promise<{exitCode: number; stdout: string; stderr: string}> {
	const run = await container.exec({Cmd: cmd, AttachStdout: true, AttachStderr: true});
	const stream = await run.start({hijack: true, stdin: false});
	const chunks: Buffer[] = [];
	await new Promise<void>((resolve, reject) => {
		stream.on('data', (chunk: Buffer) => chunks.push(chunk));
		stream.on('end', resolve);
		stream.on('error', reject);
	});
	const {ExitCode} = await run.inspect();
	return {exitCode: ExitCode ?? -1, ...demux(Buffer.concat(chunks))};
}

/** Starts the image with no network, asks /healthz from inside until it answers, and removes the container. */
async function answer(image: string): Promise<{health: string; uid: string}> {
	const container = await docker().createContainer({Image: image, Labels: {...testRunLabels}, HostConfig: {NetworkMode: 'none'}});
	try {
		await container.start();
		const deadline = Date.now() + 60_000;
		let last = {exitCode: -1, stdout: '', stderr: ''};
		while (Date.now() < deadline) {
			const state = (await container.inspect()).State;
			if (!state.Running) {
				const logs = demux(await container.logs({stdout: true, stderr: true, follow: false}));
				throw new Error(`${image} exited with ${state.ExitCode}: ${logs.stderr}${logs.stdout}`);
			}
			last = await exec(container, ['node', '-e', healthz]);
			if (last.exitCode === 0) break;
			await new Promise(resolve => setTimeout(resolve, 250));
		}
		const uid = await exec(container, ['node', '-e', 'process.stdout.write(String(process.getuid()))']);
		return {health: last.exitCode === 0 ? last.stdout : `${last.stdout}${last.stderr}`, uid: uid.stdout};
	} finally {
		await container.remove({force: true, v: true});
	}
}

describeDocker('multi-stage rewrite of the demo app', () => {
	const original = `harden-wizard-test/demo-original:${testRunId}`;
	const rewritten = `harden-wizard-test/demo-rewritten:${testRunId}`;

	beforeAll(async () => {
		await sweepStale();
		await ensureBaseImages();
		dir = await mkdtemp(join(tmpdir(), 'harden-multi-stage-'));
		await cp('templates/demo', dir, {recursive: true});
		const result = rewriteMultiStage('Dockerfile', await readFile(join(dir, 'Dockerfile'), 'utf8'));
		if (!result.ok) throw new Error(`the demo was not rewritten: ${result.reason}`);
		await writeFile(join(dir, 'Dockerfile.harden'), result.text);
		await build('Dockerfile', original);
		await build('Dockerfile.harden', rewritten);
	}, 15 * minute);

	afterEach(async () => {
		// Containers are removed by each test; the two images live for the whole suite.
		const left = await docker().listContainers({all: true, filters: {label: [testRunLabel]}});
		expect(left.map(c => c.Id)).toEqual([]);
	});

	afterAll(async () => {
		for (const tag of [rewritten, original]) await docker().getImage(tag).remove({force: true}).catch(() => undefined);
		// The builder stage's images are nobody's parent: remove them too, newest first.
		for (const id of intermediates.reverse()) {
			const image = await docker().getImage(id).inspect().catch(() => undefined);
			// Never a tagged image: only this build's own untagged layers.
			if (!image || (image.RepoTags ?? []).some(tag => tag !== '<none>:<none>')) continue;
			await docker().getImage(id).remove().catch(() => undefined);
		}
		if (dir) await rm(dir, {recursive: true, force: true});
		await assertNothingLeft(testRunLabel);
		// The cleanup must never take the shared base images with it.
		for (const base of ['node:20', 'node:20-slim']) await docker().getImage(base).inspect();
	}, 5 * minute);

	it('builds both, and the rewrite is smaller', async () => {
		const before = await docker().getImage(original).inspect();
		const after = await docker().getImage(rewritten).inspect();
		console.info(`demo image size: original ${(before.Size / 1e6).toFixed(1)} MB (node:20), rewrite ${(after.Size / 1e6).toFixed(1)} MB (node:20-slim)`);
		expect(after.Size).toBeLessThan(before.Size);
		// No toolchain in the runtime image.
		expect(after.Size).toBeLessThan(before.Size - 50 * 1000 * 1000);
	});

	it('runs the rewrite as a non-root user', async () => {
		const before = await docker().getImage(original).inspect();
		const after = await docker().getImage(rewritten).inspect();
		expect(before.Config.User ?? '').toBe('');
		expect(after.Config.User).toBe('1000:1000');
	});

	it('both answer GET /healthz the same way', async () => {
		const [fromOriginal, fromRewrite] = [await answer(original), await answer(rewritten)];
		expect(fromOriginal.health).toBe('200 {"status":"ok"}\n');
		expect(fromRewrite.health).toBe(fromOriginal.health);
		expect(fromOriginal.uid).toBe('0');
		expect(fromRewrite.uid).toBe('1000');
	}, 5 * minute);
});
