/**
 * Runs an image built from a fixture app and checks it against its app.json: as it is, or
 * read-only with a tmpfs on /tmp and on each path the app writes. HTTP checks ask from a busybox
 * container in the app's network namespace (the app has no network); jobs are run to their end.
 * A failure of the app is a result (`problems`), never a throw: a rewrite's image is expected to
 * fail sometimes, and the test wants to say how.
 */
import type Docker from 'dockerode';
import {demux, docker, testRunLabels} from './docker.js';
import type {FixtureApp, HttpCheck, JobCheck} from './rewrite-apps.js';

/** How a run went; `problems` is empty when the app did what app.json asks. */
export interface CheckResult {
	/** What did not match, one line each. */
	problems: string[];
	/** HTTP status and body, or the job's exit code and output. */
	status?: number;
	body?: string;
	exitCode?: number;
	output?: string;
	/** The last health status seen, for apps checked with `healthy`. */
	health?: string;
	/** The app's own output (both streams), to explain a failure. */
	logs: string;
}

/** How to run the image: read-only with tmpfs mounts on /tmp and each path in `writes`. */
export interface RunOptions {
	readOnly?: boolean;
	/** How long the app may take to answer, or the job to finish. */
	timeoutMs?: number;
}

/**
 * The container's configuration for a run: no network, the label, and for a read-only run a
 * tmpfs on /tmp (mode 1777) and on each path the app writes, owned by the image's user. The
 * owner must be given: over a directory the image already has, the engine gives the tmpfs that
 * directory's mode (0755 after a `chown -R`) whatever `mode=` says, so only its owner could write.
 */
export async function runConfig(image: string, app: FixtureApp, options: RunOptions = {}): Promise<Docker.ContainerCreateOptions> {
	const config: Docker.ContainerCreateOptions = {Image: image, Labels: {...testRunLabels}, HostConfig: {NetworkMode: 'none'}};
	if (!options.readOnly) return config;
	const {uid, gid} = await imageUser(image);
	const tmpfs: Record<string, string> = {'/tmp': 'rw,mode=1777'};
	for (const path of app.writes) tmpfs[path] = `rw,mode=1777,uid=${uid},gid=${gid}`;
	config.HostConfig = {...config.HostConfig, ReadonlyRootfs: true, Tmpfs: tmpfs};
	return config;
}

/** The numeric user and group the image runs as (its USER, names looked up in its /etc/passwd and /etc/group). */
export async function imageUser(image: string): Promise<{uid: number; gid: number}> {
	const spec = (await docker().getImage(image).inspect()).Config.User ?? '';
	const [user = '', group] = spec.split(':');
	if (user === '' || user === 'root') return {uid: 0, gid: group ? await lookUp(image, '/etc/group', group) : 0};
	const passwd = /^\d+$/.test(user) ? undefined : await imageFile(image, '/etc/passwd');
	const entry = (passwd ?? '').split('\n').map(line => line.split(':')).find(fields => fields[0] === user);
	if (passwd && !entry) throw new Error(`${image}: USER ${user} is not in /etc/passwd`);
	const uid = entry ? Number(entry[2]) : Number(user);
	const gid = group ? await lookUp(image, '/etc/group', group) : entry ? Number(entry[3]) : 0;
	return {uid, gid};
}

async function lookUp(image: string, file: string, name: string): Promise<number> {
	if (/^\d+$/.test(name)) return Number(name);
	const fields = (await imageFile(image, file)).split('\n').map(line => line.split(':')).find(f => f[0] === name);
	if (!fields) throw new Error(`${image}: ${name} is not in ${file}`);
	return Number(fields[2]);
}

/** A small file of the image, read through the engine API from a container that never starts. */
async function imageFile(image: string, path: string): Promise<string> {
	const container = await docker().createContainer({Image: image, Labels: {...testRunLabels}, HostConfig: {NetworkMode: 'none'}});
	try {
		const stream = (await container.getArchive({path})) as NodeJS.ReadableStream;
		const chunks: Buffer[] = [];
		for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
		// A tar of one file: a 512-byte header (size in octal at 124), then the bytes.
		const tar = Buffer.concat(chunks);
		const size = parseInt(tar.subarray(124, 136).toString('latin1').replace(/\0.*$/, '').trim(), 8);
		return tar.subarray(512, 512 + size).toString('utf8');
	} finally {
		await container.remove({force: true});
	}
}

/** Runs `image` and checks it against `app.check`; the container is removed whatever happens. */
export async function runCheck(image: string, app: FixtureApp, options: RunOptions = {}): Promise<CheckResult> {
	const container = await docker().createContainer(await runConfig(image, app, options));
	try {
		try {
			await container.start();
		} catch (error) {
			// A CMD that names no executable fails here, at start: that is the image's failure, not the test's.
			return {problems: [`the container did not start: ${(error as Error).message}`], logs: ''};
		}
		const timeoutMs = options.timeoutMs ?? 90_000;
		return app.check.kind === 'job'
			? await checkJob(container, app.check, timeoutMs)
			: await checkHttp(container, app.check, timeoutMs);
	} finally {
		await container.remove({force: true, v: true});
	}
}

async function logsOf(container: Docker.Container): Promise<string> {
	const {stdout, stderr} = demux(await container.logs({stdout: true, stderr: true, follow: false}));
	return `${stdout}${stderr}`;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function checkJob(container: Docker.Container, check: JobCheck, timeoutMs: number): Promise<CheckResult> {
	const deadline = Date.now() + timeoutMs;
	while ((await container.inspect()).State.Running) {
		if (Date.now() > deadline) return {problems: [`still running after ${timeoutMs} ms`], logs: await logsOf(container)};
		await sleep(250);
	}
	const exitCode = (await container.inspect()).State.ExitCode;
	const output = await logsOf(container);
	const problems: string[] = [];
	if (exitCode !== check.exitCode) problems.push(`exit code ${exitCode}, expected ${check.exitCode}`);
	if (!output.includes(check.outputIncludes)) problems.push(`output lacks ${JSON.stringify(check.outputIncludes)}`);
	return {problems, exitCode, output, logs: output};
}

/**
 * The request is made by busybox's nc in a second container that joins the app's network
 * namespace (the app has no network of its own), retried there until the app answers. HTTP/1.0,
 * so every server closes the connection after its answer.
 */
const requestScript = `
deadline=$(( $(date +%s) + TIMEOUT ))
while [ "$(date +%s)" -lt "$deadline" ]; do
	out=$(printf 'GET %s HTTP/1.0\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' "$REQUEST_PATH" | nc -w 5 127.0.0.1 "$PORT" 2>/dev/null)
	case "$out" in HTTP/*) printf '%s' "$out"; exit 0;; esac
	sleep 0.3
done
echo "no answer on port $PORT" >&2
exit 1`;

async function checkHttp(container: Docker.Container, check: HttpCheck, timeoutMs: number): Promise<CheckResult> {
	const client = await docker().createContainer({
		Image: 'busybox:latest',
		Cmd: ['sh', '-c', requestScript],
		Env: [`REQUEST_PATH=${check.path}`, `PORT=${check.port}`, `TIMEOUT=${Math.ceil(timeoutMs / 1000)}`],
		Labels: {...testRunLabels},
		HostConfig: {NetworkMode: `container:${container.id}`},
	});
	let answer: string | undefined;
	let problems: string[] = [];
	try {
		try {
			await client.start();
		} catch (error) {
			// Joining the namespace of an app that has already exited fails; say that instead.
			const {State} = await container.inspect();
			if (State.Running) throw error;
			return {problems: [`the app exited with ${State.ExitCode} before it answered`], logs: await logsOf(container)};
		}
		// Wait for the client, but stop as soon as the app exits: its namespace is gone then.
		for (;;) {
			const [app, asker] = await Promise.all([container.inspect(), client.inspect()]);
			if (!asker.State.Running) {
				const {stdout, stderr} = demux(await client.logs({stdout: true, stderr: true, follow: false}));
				if (asker.State.ExitCode === 0) answer = stdout;
				else problems.push(`no HTTP answer: ${stderr.trim() || `client exited ${asker.State.ExitCode}`}`);
				break;
			}
			if (!app.State.Running) {
				problems.push(`the app exited with ${app.State.ExitCode} before it answered`);
				break;
			}
			await sleep(250);
		}
	} finally {
		await client.remove({force: true});
	}
	const result: CheckResult = {problems, logs: ''};
	if (answer !== undefined) {
		const [head = '', ...rest] = answer.split('\r\n\r\n');
		result.status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(head)?.[1]);
		result.body = rest.join('\r\n\r\n');
		if (result.status !== check.status) problems.push(`status ${result.status}, expected ${check.status}`);
		if (!result.body.includes(check.bodyIncludes)) problems.push(`body lacks ${JSON.stringify(check.bodyIncludes)}`);
	}
	if (check.healthy && problems.length === 0) {
		result.health = await waitForHealth(container, timeoutMs);
		if (result.health !== 'healthy') problems = [...problems, `health ${result.health}, expected healthy`];
	}
	result.problems = problems;
	result.logs = await logsOf(container);
	return result;
}

/** The container's health once it is no longer `starting`, or the last status at the deadline. */
async function waitForHealth(container: Docker.Container, timeoutMs: number): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const state = (await container.inspect()).State as {Running: boolean; Health?: {Status: string}};
		const status = state.Health?.Status ?? 'none (no HEALTHCHECK)';
		if (status !== 'starting' || !state.Running || Date.now() > deadline) return state.Running ? status : `${status} (exited)`;
		await sleep(500);
	}
}
