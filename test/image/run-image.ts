/** Runs the image once with the settings a test chooses, labelled, and always removes the container. */
import {demux, docker, testRunLabels, type RunResult} from '../support/docker.js';

/** How to run it; anything not given is the image's own setting. */
export interface RunOptions {
	/** Replaces the ENTRYPOINT (for a look inside with `node -e`). */
	entrypoint?: string[];
	/** Arguments after the ENTRYPOINT, replacing CMD. */
	cmd?: string[];
	/** `host:container[:ro]`, as `docker run -v` takes them. */
	binds?: string[];
	user?: string;
	readOnly?: boolean;
	capDrop?: string[];
	/** Path -> tmpfs options, as `docker run --tmpfs` takes them. */
	tmpfs?: Record<string, string>;
}

/** Always with no network and no-new-privileges: nothing the CLI runs needs either. */
export async function runImage(image: string, options: RunOptions, timeoutMs = 60_000): Promise<RunResult> {
	const container = await docker().createContainer({
		Image: image,
		...(options.entrypoint ? {Entrypoint: options.entrypoint} : {}),
		...(options.cmd ? {Cmd: options.cmd} : {}),
		...(options.user ? {User: options.user} : {}),
		Labels: {...testRunLabels},
		HostConfig: {
			NetworkMode: 'none',
			ReadonlyRootfs: options.readOnly ?? false,
			SecurityOpt: ['no-new-privileges'],
			...(options.binds ? {Binds: options.binds} : {}),
			...(options.capDrop ? {CapDrop: options.capDrop} : {}),
			...(options.tmpfs ? {Tmpfs: options.tmpfs} : {}),
		},
	});
	try {
		await container.start();
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_resolve, reject) => {
			timer = setTimeout(() => reject(new Error(`${image} still running after ${timeoutMs} ms`)), timeoutMs);
		});
		const {StatusCode} = (await Promise.race([container.wait(), timeout]).finally(() => clearTimeout(timer))) as {StatusCode: number};
		return {exitCode: StatusCode, ...demux(await container.logs({stdout: true, stderr: true, follow: false}))};
	} finally {
		await container.remove({force: true, v: true});
	}
}
