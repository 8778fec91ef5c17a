/**
 * The fixture apps of test/fixtures/rewrite-apps, and how to prove one works on the real engine:
 * read its app.json, build a Dockerfile of it with no network, run the image with no network
 * (as it is, or read-only with a tmpfs on each path it writes) and check what app.json says
 * "works" means. The originals are proven by test/runtime/rewrite-apps.docker.test.ts; a
 * rewritten Dockerfile is held to the same checks by building it with {@link buildFixture}
 * (`dockerfile` names it) and running {@link runCheck} on the result.
 *
 * Everything made here carries the test-run label, so `assertNothingLeft` sees leftovers. This
 * module reads and builds; rewrite-app-check.ts runs and checks (re-exported here).
 */
import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {contextEntries, packContext} from '../../source/runtime/docker/build-context.js';
import {removeBuildLayers} from '../../source/runtime/docker/containers.js';
import {docker, testRunLabels} from './docker.js';

/** Where the fixture apps live, one directory each. */
export const rewriteAppsDir = fileURLToPath(new URL('../fixtures/rewrite-apps/', import.meta.url));

/** An HTTP request from inside the container's network namespace, and the answer expected. */
export interface HttpCheck {
	kind: 'http';
	/** Port the app listens on inside the container. */
	port: number;
	/** Request path with its query, starting with `/`. */
	path: string;
	/** Expected status code. */
	status: number;
	/** Text the response body must contain. */
	bodyIncludes: string;
	/** When true, the image's HEALTHCHECK must also report the container healthy. */
	healthy?: boolean;
}

/** A one-shot job: how it must end and what it must print (stdout and stderr together). */
export interface JobCheck {
	kind: 'job';
	/** Expected exit code. */
	exitCode: number;
	/** Text the output must contain. */
	outputIncludes: string;
}

/** A fixture app as its app.json describes it. */
export interface FixtureApp {
	/** Directory name under {@link rewriteAppsDir}. */
	name: string;
	/** Absolute path of the app's directory (the build context). */
	dir: string;
	/** What "works" means. */
	check: HttpCheck | JobCheck;
	/** Absolute directories the app writes at run time: a read-only run mounts a tmpfs on each. */
	writes: string[];
	/** One sentence: what is realistic or tricky about the app. */
	why: string;
}

/** Reads and validates one app's app.json; throws naming the file when it is malformed. */
export async function readApp(dir: string, name: string): Promise<FixtureApp> {
	const file = join(dir, 'app.json');
	const raw = JSON.parse(await readFile(file, 'utf8')) as Partial<FixtureApp>;
	const fail = (what: string): never => {
		throw new Error(`${file}: ${what}`);
	};
	const check = raw.check ?? fail('no check');
	if (check.kind === 'http') {
		if (!Number.isInteger(check.port) || !check.path?.startsWith('/') || !Number.isInteger(check.status) || !check.bodyIncludes) {
			fail('an http check needs port, path, status and bodyIncludes');
		}
	} else if (check.kind === 'job') {
		if (!Number.isInteger(check.exitCode) || !check.outputIncludes) fail('a job check needs exitCode and outputIncludes');
	} else {
		fail(`unknown check kind ${String((check as {kind?: unknown}).kind)}`);
	}
	const writes = raw.writes ?? fail('no writes (use [] for none)');
	if (!writes.every(path => path.startsWith('/'))) fail('writes must be absolute paths');
	if (!raw.why) fail('no why');
	return {name, dir, check, writes, why: raw.why!};
}

/** Every fixture app, sorted by name. */
export async function listApps(root: string = rewriteAppsDir): Promise<FixtureApp[]> {
	const entries = await readdir(root, {withFileTypes: true});
	const names = entries.filter(e => e.isDirectory()).map(e => e.name).sort();
	return Promise.all(names.map(name => readApp(join(root, name), name)));
}

/** An image built from a fixture, and how to get rid of it with every layer its build made. */
export interface BuiltImage {
	tag: string;
	/** Image id, `sha256:...`. */
	id: string;
	/** Size in bytes, as `docker images` reports it. */
	size: number;
	/** Wall time of the build. */
	seconds: number;
	/** Removes the image and its build's untagged layers, newest first; never a base image. */
	remove(): Promise<void>;
}

/**
 * Builds `dockerfile` (default `Dockerfile`) in `dir` as `docker build --network none --no-cache`
 * does through the engine API, with `.dockerignore` applied and the test-run label. No cache:
 * every intermediate layer is this build's own, so removing them cannot break another build.
 * Throws with the build's last lines when it fails, after removing what it made.
 */
export async function buildFixture(dir: string, tag: string, dockerfile = 'Dockerfile'): Promise<BuiltImage> {
	const started = Date.now();
	const stream = await docker().buildImage(packContext(dir, await contextEntries(dir, dockerfile)), {
		t: tag,
		dockerfile,
		labels: {...testRunLabels},
		networkmode: 'none',
		nocache: true,
		rm: true,
		forcerm: true,
	});
	const events = await new Promise<Array<{error?: string; stream?: string}>>((resolve, reject) => {
		docker().modem.followProgress(stream, (error: Error | null, output: Array<{error?: string}>) => (error ? reject(error) : resolve(output)));
	});
	const log = events.map(e => e.stream ?? '').join('');
	// Each step ends in ` ---> <id>`; after a FROM step that id is the base image, which stays.
	const layers: string[] = [];
	let fromStep = false;
	for (const line of log.split('\n')) {
		if (/^Step \d+\/\d+ : /.test(line)) fromStep = /^Step \d+\/\d+ : FROM\s/i.test(line);
		const id = /^ ---> ([0-9a-f]{12,64})$/.exec(line.trimEnd())?.[1];
		if (id && !fromStep) layers.push(id);
	}
	const remove = async () => {
		await docker().getImage(tag).remove({force: true}).catch(() => undefined);
		await removeBuildLayers(docker(), layers);
	};
	const failure = events.find(e => e.error);
	if (failure) {
		await remove();
		throw new Error(`docker build of ${dir}/${dockerfile} failed: ${failure.error}\n${log.split('\n').slice(-25).join('\n')}`);
	}
	const info = await docker().getImage(tag).inspect();
	return {tag, id: info.Id, size: info.Size, seconds: (Date.now() - started) / 1000, remove};
}

export * from './rewrite-app-check.js';
