/**
 * Helpers for the `*.docker.test.ts` suites, which run against a real Docker engine.
 *
 * - {@link describeDocker} runs a suite only when the engine answers; without one it skips, unless
 *   `CI` or `HARDEN_REQUIRE_DOCKER` is set, where a missing engine must fail the run instead of
 *   quietly turning the docker tests green.
 * - Everything a test creates carries {@link testRunLabel}; {@link assertNothingLeft} checks after
 *   each test that it was all removed (testcontainers-node labels and sweeps the same way).
 * - {@link ensureBaseImages} builds the offline base images (busybox:latest, node:20-slim, node:20,
 *   python:3.11-slim, python:3.11, eclipse-temurin:17-jdk, eclipse-temurin:17-jre), once per
 *   test process.
 */
import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import Docker from 'dockerode';
import {describe, it} from 'vitest';

/** Label key put on every container and image a docker test creates. */
export const testRunLabelKey = 'harden-wizard.test-run';
/** Random per test process, so concurrent test files never see each other's objects. */
export const testRunId = randomBytes(6).toString('hex');
/** `key=value`, the form Docker's `label` filter takes. */
export const testRunLabel = `${testRunLabelKey}=${testRunId}`;
/** The same label as a `Labels` object for create and build options. */
export const testRunLabels: Readonly<Record<string, string>> = {[testRunLabelKey]: testRunId};

const pingTimeoutMs = 3000;
const buildScript = fileURLToPath(new URL('../fixtures/images/build-base-images.sh', import.meta.url));

let client: Docker | undefined;
/** One dockerode client per process; honours DOCKER_HOST like the docker CLI. */
export function docker(): Docker {
	client ??= new Docker({timeout: 120_000});
	return client;
}

/** Where the engine is expected, for messages. */
export function dockerEndpoint(): string {
	return process.env['DOCKER_HOST'] ?? '/var/run/docker.sock';
}

let available: Promise<boolean> | undefined;
/** Whether the engine answers a ping within a few seconds; asked once per process. */
export async function dockerAvailable(): Promise<boolean> {
	available ??= (async () => {
		const probe = new Docker({timeout: pingTimeoutMs});
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_resolve, reject) => {
			timer = setTimeout(() => reject(new Error('ping timed out')), pingTimeoutMs);
		});
		try {
			await Promise.race([probe.ping(), timeout]);
			return true;
		} catch {
			return false;
		} finally {
			clearTimeout(timer);
		}
	})();
	return available;
}

/** True when a missing engine must fail the run: in CI, or when asked explicitly. */
export function dockerRequired(): boolean {
	const set = (name: string) => {
		const value = process.env[name];
		return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
	};
	return set('CI') || set('HARDEN_REQUIRE_DOCKER');
}

let skipNoted = false;

/**
 * `describe` for suites that need the engine. Reachable: runs `fn`. Unreachable: skips with one
 * line of explanation, or throws (failing the file) when {@link dockerRequired}.
 */
export function describeDocker(name: string, fn: () => void): void {
	describe(name, async () => {
		if (await dockerAvailable()) {
			fn();
			return;
		}
		const reason = `no engine at ${dockerEndpoint()} (start dockerd or set DOCKER_HOST)`;
		if (dockerRequired()) {
			throw new Error(
				`docker tests required (CI or HARDEN_REQUIRE_DOCKER is set) but there is ${reason}`,
			);
		}
		if (!skipNoted) {
			skipNoted = true;
			console.warn(`docker tests skipped: ${reason}`);
		}
		it.skip(`docker tests skipped: ${reason}`, () => {});
	});
}

let baseImages: Promise<string> | undefined;
/**
 * Builds the offline base images with the fixture script (its header says how each is shaped
 * like the official one), once per process.
 * The script is idempotent and takes a lock, so concurrent test files are safe. Resolves to the
 * script's report (one line per image).
 */
export async function ensureBaseImages(): Promise<string> {
	baseImages ??= promisify(execFile)('bash', [buildScript], {maxBuffer: 16 * 1024 * 1024}).then(
		({stdout}) => stdout,
		(error: unknown) => {
			const detail = error as {stderr?: string; stdout?: string; message?: string};
			throw new Error(
				`failed to build the base images: ${detail.stderr?.trim() || detail.message}\n${detail.stdout ?? ''}`,
			);
		},
	);
	return baseImages;
}

/** What a finished container printed, and how it ended. */
export interface RunResult {
	/** Exit code of the container's main process. */
	exitCode: number;
	/** Everything written to standard output. */
	stdout: string;
	/** Everything written to standard error. */
	stderr: string;
}

/**
 * Runs `cmd` in `image` to completion with no network and the run label, then removes the
 * container whatever happened.
 */
export async function runToCompletion(
	image: string,
	cmd: string[] | undefined,
	options: {user?: string; timeoutMs?: number} = {},
): Promise<RunResult> {
	const container = await docker().createContainer({
		Image: image,
		...(cmd ? {Cmd: cmd} : {}),
		...(options.user ? {User: options.user} : {}),
		Labels: {...testRunLabels},
		HostConfig: {NetworkMode: 'none'},
	});
	try {
		await container.start();
		const {StatusCode} = (await withTimeout(container.wait(), options.timeoutMs ?? 60_000, 'container wait')) as {
			StatusCode: number;
		};
		const logs = await container.logs({stdout: true, stderr: true, follow: false});
		return {exitCode: StatusCode, ...demux(logs)};
	} finally {
		await container.remove({force: true, v: true});
	}
}

/** Splits Docker's multiplexed log stream (8-byte frame headers, no TTY) into its two streams. */
export function demux(buffer: Buffer): {stdout: string; stderr: string} {
	const out: Buffer[] = [];
	const err: Buffer[] = [];
	let offset = 0;
	while (offset + 8 <= buffer.length) {
		const size = buffer.readUInt32BE(offset + 4);
		const frame = buffer.subarray(offset + 8, offset + 8 + size);
		(buffer[offset] === 2 ? err : out).push(frame);
		offset += 8 + size;
	}
	return {stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8')};
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<never>((_resolve, reject) => {
				timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
			}),
		]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Throws when a container or image with `label` (`key=value`) still exists, naming them, so a
 * test that leaks fails where the leak happened.
 */
export async function assertNothingLeft(label: string = testRunLabel): Promise<void> {
	const filters = {label: [label]};
	const [containers, images] = await Promise.all([
		docker().listContainers({all: true, filters}),
		docker().listImages({filters}),
	]);
	const left = [
		...containers.map(c => `container ${c.Id.slice(0, 12)} ${c.Names.join(',')} (${c.State})`),
		...images.map(i => `image ${i.Id.slice(7, 19)} ${(i.RepoTags ?? []).join(',')}`),
	];
	if (left.length > 0) {
		throw new Error(`left behind with label ${label}:\n  ${left.join('\n  ')}`);
	}
}

/**
 * Removes containers from earlier, crashed test runs: any with the test-run label key created
 * more than `olderThanMs` ago. The age limit keeps it off concurrent test files' containers.
 */
export async function sweepStale(olderThanMs = 60 * 60 * 1000): Promise<void> {
	const cutoff = (Date.now() - olderThanMs) / 1000;
	const stale = await docker().listContainers({all: true, filters: {label: [testRunLabelKey]}});
	await Promise.all(
		stale
			.filter(c => c.Created < cutoff)
			.map(c => docker().getContainer(c.Id).remove({force: true, v: true}).catch(() => undefined)),
	);
}
