/**
 * Reaches a container's ports without the host's network: a tiny static probe (scripts/prober)
 * runs in a second container that joins the first one's network namespace
 * (`--network container:<id>`) and connects to 127.0.0.1 there. The container under test runs
 * with network none, so nothing it does can reach the host or anything else.
 *
 * The probe image is imported from a one-file tar (no registry, no build, no base image) the
 * first time a container is probed, and removed with that container.
 */
import {randomBytes} from 'node:crypto';
import {Readable} from 'node:stream';
import type Docker from 'dockerode';
import type {NetworkAnswer} from '../ports.js';
import {demuxToText} from './containers.js';
import {managedLabels} from './labels.js';
import {isNotFound, log, logged, reasonOf} from './log.js';
import {proberBinaries} from './prober-binaries.js';

/** How long one probe may take: its receive timeout is 3 s. */
const probeTimeoutMs = 8_000;

/** A one-file ustar archive: `name` with mode 0755. */
export function singleFileTar(name: string, bytes: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => header.write(value, offset, length, 'ascii');
  const octal = (offset: number, length: number, value: number) => field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  field(0, 100, name);
  octal(100, 8, 0o755);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, bytes.length);
  octal(136, 12, 0);
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  const padding = Buffer.alloc((512 - (bytes.length % 512)) % 512);
  return Buffer.concat([header, bytes, padding, Buffer.alloc(1024)]);
}

const architectures = new WeakMap<Docker, Promise<string>>();

/** The engine's architecture as `docker info` names it (x86_64, aarch64), asked once per client. */
function architectureOf(client: Docker): Promise<string> {
  let known = architectures.get(client);
  if (!known) {
    known = client.info().then(info => String((info as {Architecture?: unknown}).Architecture ?? ''));
    architectures.set(client, known);
  }
  return known;
}

/** Reads an import's progress stream to its end; the engine reports failures inside it. */
function drain(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

/** The probe of one container under test: the image made on first use, and removed with the container. */
export class NetworkProber {
  private image: Promise<{ref: string} | {why: string}> | undefined;

  constructor(
    private readonly client: Docker,
    private readonly labels: Readonly<Record<string, string>> = {},
  ) {}

  private async makeImage(): Promise<{ref: string} | {why: string}> {
    const arch = await architectureOf(this.client);
    const binary = proberBinaries[arch];
    if (!binary) return {why: `harden has no network probe for the engine's architecture (${arch || 'unknown'})`};
    const ref = `harden-wizard-probe:${randomBytes(6).toString('hex')}`;
    const [repo, tag] = ref.split(':') as [string, string];
    const labels = managedLabels('image', this.labels);
    const changes = [`LABEL ${Object.entries(labels).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ')}`, 'ENTRYPOINT ["/probe"]'];
    const tar = Readable.from([singleFileTar('probe', Buffer.from(binary.base64, 'base64'))]);
    const output = await logged('import probe image', ref, async () => drain((await this.client.importImage(tar, {repo, tag, changes} as never)) as unknown as NodeJS.ReadableStream));
    if (/"error"/.test(output)) throw new Error(`the engine refused the probe image: ${output.slice(0, 200)}`);
    return {ref};
  }

  /** Connects to 127.0.0.1:`port` in the network namespace of container `id`; sends `request` and returns the answer's first bytes when given. */
  async connect(id: string, port: number, request?: string): Promise<NetworkAnswer> {
    const image = await (this.image ??= this.makeImage().catch(error => {
      this.image = undefined;
      throw error;
    }));
    if ('why' in image) return {kind: 'unavailable', why: image.why};
    // A container under test that exits between the caller's look and the probe's start has no
    // namespace to join (409 from create or start): nothing listens there, and the caller sees the exit.
    const stopped = (error: unknown) => (error as {statusCode?: number}).statusCode === 409 && /non running container|is not running/i.test(reasonOf(error));
    let container: Docker.Container;
    try {
      container = await logged('create probe', id, () =>
        this.client.createContainer({
          Image: image.ref,
          Cmd: request === undefined ? [String(port)] : [String(port), request],
          User: '65534:65534',
          Labels: managedLabels('container', this.labels),
          HostConfig: {
            NetworkMode: `container:${id}`,
            ReadonlyRootfs: true,
            CapDrop: ['ALL'],
            SecurityOpt: ['no-new-privileges'],
            Memory: 16 * 1024 * 1024,
            PidsLimit: 8,
          },
        }),
      );
    } catch (error) {
      if (stopped(error)) return {kind: 'refused'};
      throw error;
    }
    try {
      try {
        await container.start();
      } catch (error) {
        if (stopped(error)) return {kind: 'refused'};
        throw error;
      }
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), probeTimeoutMs);
      let code: number;
      try {
        code = Number(((await container.wait({abortSignal: abort.signal})) as {StatusCode: number}).StatusCode);
      } catch (error) {
        if (abort.signal.aborted) return {kind: 'silent'};
        throw error;
      } finally {
        clearTimeout(timer);
      }
      if (code === 1) return {kind: 'refused'};
      if (code === 3) return {kind: 'silent'};
      if (code !== 0) throw new Error(`the network probe exited with code ${code}`);
      const raw = await container.logs({stdout: true, stderr: false, follow: false});
      return {kind: 'answered', answer: demuxToText(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)))};
    } finally {
      await container.remove({force: true}).catch(error => {
        if (!isNotFound(error)) log('failed to remove probe: %s {%s}', reasonOf(error), container.id);
      });
    }
  }

  /** Removes the probe image, if one was made. */
  async remove(): Promise<void> {
    const made = this.image;
    this.image = undefined;
    const image = await made?.catch(() => undefined);
    if (!image || !('ref' in image)) return;
    await logged('remove probe image', image.ref, () => this.client.getImage(image.ref).remove({force: true})).catch(error => {
      if (!isNotFound(error)) throw error;
    });
  }
}
