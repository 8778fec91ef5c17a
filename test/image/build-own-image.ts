/**
 * Builds the repository's own Dockerfile through the engine API, as `docker build -t TAG .`
 * does, and removes everything the build made afterwards.
 */
import {X509Certificate} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {rootCertificates} from 'node:tls';
import {contextEntries, packContext} from '../../source/runtime/docker/build-context.js';
import {docker, testRunLabels} from '../support/docker.js';

/** A built image and how to get rid of it. */
export interface OwnImage {
	/** The tag the test gave it. */
	tag: string;
	/** Wall time of the build, in seconds. */
	seconds: number;
	/** Removes the image and the build stage's layers, newest first; never a base image. */
	remove(): Promise<void>;
}

/**
 * The context goes through the tool's own packer (build-context.ts), so the test also proves
 * that the root .dockerignore keeps the host's node_modules and dist out.
 *
 * - `networkmode: host`: `RUN npm ci` needs the registry, and the engines these tests run on
 *   have no default bridge (dockerd --bridge=none), so a RUN step would have no network.
 * - `nocache`: every intermediate layer is this build's own, so removing them afterwards can
 *   never take another build's cache. The price is `npm ci` on every run.
 * - `npm_config_ca`: when the host's Node trusts extra CAs (NODE_EXTRA_CA_CERTS: a
 *   TLS-inspecting proxy in front of the registry), npm in the build must trust them too;
 *   see {@link extraCertificates}.
 */
export async function buildOwnImage(context: string, tag: string): Promise<OwnImage> {
	const started = Date.now();
	const tar = packContext(context, await contextEntries(context, 'Dockerfile'));
	const extra = await extraCertificates(process.env['NODE_EXTRA_CA_CERTS']);
	const buildargs: Record<string, string> = extra ? {npm_config_ca: extra} : {};
	const stream: NodeJS.ReadableStream = await docker().buildImage(tar, {
		t: tag,
		dockerfile: 'Dockerfile',
		labels: {...testRunLabels},
		networkmode: 'host',
		nocache: true,
		rm: true,
		forcerm: true,
		buildargs,
	});
	const events = await new Promise<Array<{error?: string; stream?: string}>>((resolve, reject) => {
		docker().modem.followProgress(stream, (error: Error | null, output: Array<{error?: string}>) =>
			error ? reject(error) : resolve(output),
		);
	});
	const log = events.map(e => e.stream ?? '').join('');
	const layers = ownLayers(log);
	const remove = async () => {
		await docker().getImage(tag).remove({force: true}).catch(() => undefined);
		for (const id of [...layers].reverse()) {
			const image = await docker().getImage(id).inspect().catch(() => undefined);
			// Only this build's untagged layers; a tag means someone else uses it.
			if (!image || (image.RepoTags ?? []).some(t => t !== '<none>:<none>')) continue;
			await docker().getImage(id).remove().catch(() => undefined);
		}
	};
	const failure = events.find(e => e.error);
	if (failure) {
		await remove();
		throw new Error(`docker build of the repository's Dockerfile failed: ${failure.error}\n${log.split('\n').slice(-30).join('\n')}`);
	}
	return {tag, seconds: (Date.now() - started) / 1000, remove};
}

/** The image id each step made (` ---> id`), except a FROM step's, which is the base image. */
function ownLayers(log: string): string[] {
	const ids: string[] = [];
	let step = '';
	for (const line of log.split('\n')) {
		if (line.startsWith('Step ')) step = line;
		const id = /^ ---> ([0-9a-f]{12})$/.exec(line.trimEnd())?.[1];
		if (id && !/^Step \d+\/\d+ : FROM /i.test(step)) ids.push(id);
	}
	return ids;
}

/**
 * The certificates of `file` that Node does not ship, as PEM text, or undefined when there
 * are none. Only those: a whole system bundle (about 140 certificates, 220 kB) is too long for
 * one environment variable (exec fails with "argument list too long" past 128 kB), and the
 * CAs every Node already trusts add nothing.
 */
export async function extraCertificates(file: string | undefined): Promise<string | undefined> {
	if (!file) return undefined;
	const known = new Set(rootCertificates.map(pem => new X509Certificate(pem).fingerprint256));
	const pems = (await readFile(file, 'utf8')).match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
	const extra = pems.filter(pem => !known.has(new X509Certificate(pem).fingerprint256));
	return extra.length > 0 ? `${extra.join('\n')}\n` : undefined;
}
