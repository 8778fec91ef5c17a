/** A container the tool started: logs, changes, exec, wait with a timeout, and idempotent removal. */
import type {Readable} from 'node:stream';
import type Docker from 'dockerode';
import type {FileChange, NetworkAnswer, RunningContainer} from '../ports.js';
import {changes, demuxToText} from './containers.js';
import {isNotFound, log, logged, reasonOf} from './log.js';
import {NetworkProber} from './prober.js';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

const statusOf = (error: unknown) => (error as {statusCode?: number} | undefined)?.statusCode;

/**
 * Force-removes the container (with its anonymous volumes) and then the named volumes created
 * for it. What is already gone counts as removed; a volume still held by a container that is
 * being removed is retried for a few seconds.
 */
export async function removeContainerAndVolumes(
  client: Docker,
  id: string | undefined,
  volumes: readonly string[],
): Promise<void> {
  if (id !== undefined) {
    try {
      await logged('remove container', id, () => client.getContainer(id).remove({force: true, v: true}));
    } catch (error) {
      // 409: a removal is already in progress (a second remove() racing the first).
      if (!isNotFound(error) && statusOf(error) !== 409) throw error;
    }
  }
  for (const volume of volumes) {
    for (let attempt = 1; ; attempt++) {
      try {
        await logged('remove volume', volume, () => client.getVolume(volume).remove());
        break;
      } catch (error) {
        if (isNotFound(error)) break;
        if (statusOf(error) !== 409 || attempt >= 20) throw error;
        await sleep(250);
      }
    }
  }
}

/** Reads a stream to its end; on abort destroys it and rejects with `onAbort()`. */
function readAll(stream: Readable, signal: AbortSignal, onAbort: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const abort = () => {
      stream.destroy();
      reject(onAbort());
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, {once: true});
    const done = (error?: Error) => {
      signal.removeEventListener('abort', abort);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks));
    };
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => done());
    stream.on('error', error => done(error));
  });
}

export class StartedContainer implements RunningContainer {
  private removing: Promise<void> | undefined;

  constructor(
    private readonly client: Docker,
    readonly id: string,
    private readonly volumes: readonly string[],
    private readonly prober: NetworkProber = new NetworkProber(client),
  ) {}

  private get container(): Docker.Container {
    return this.client.getContainer(this.id);
  }

  async logs(): Promise<string> {
    const raw = await logged('read logs', this.id, () =>
      this.container.logs({stdout: true, stderr: true, follow: false}),
    );
    return demuxToText(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
  }

  inspect(): Promise<unknown> {
    return logged('inspect container', this.id, () => this.container.inspect());
  }

  changes(): Promise<FileChange[]> {
    return changes(this.client, this.id);
  }

  /**
   * Runs `cmd` and resolves with its exit code and output. Rejects when it has not finished after
   * `timeoutMs` (the command may go on running inside until the container is removed).
   */
  async exec(cmd: string[], timeoutMs: number): Promise<{exitCode: number; output: string}> {
    const what = `exec ${JSON.stringify(cmd)}`;
    log('doing %s {%s}', what, this.id);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    const timedOut = () => new Error(`${what} in ${this.id.slice(0, 12)} did not finish within ${timeoutMs} ms`);
    try {
      const exec = await this.container.exec({Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false});
      const stream = (await exec.start({Detach: false, Tty: false, abortSignal: abort.signal})) as Readable;
      const output = demuxToText(await readAll(stream, abort.signal, timedOut));
      // The output can end a moment before the engine records the exit code.
      let info = await exec.inspect();
      while (info.Running && !abort.signal.aborted) {
        await sleep(20);
        info = await exec.inspect();
      }
      if (info.Running) throw timedOut();
      log('did %s: exit %d {%s}', what, info.ExitCode, this.id);
      return {exitCode: info.ExitCode ?? -1, output};
    } catch (error) {
      const failure = abort.signal.aborted ? timedOut() : error;
      log('failed to %s: %s {%s}', what, reasonOf(failure), this.id);
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Resolves with the exit code, or undefined when the container still runs after `timeoutMs`;
   * the wait request is then aborted, so nothing keeps the process alive.
   */
  async wait(timeoutMs: number): Promise<number | undefined> {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const waiting = this.container
      .wait({condition: 'not-running', abortSignal: abort.signal})
      .then(result => Number((result as {StatusCode: number}).StatusCode));
    const timeout = new Promise<undefined>(resolve => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      const code = await Promise.race([waiting, timeout]);
      if (code === undefined) log('did wait: still running after %d ms {%s}', timeoutMs, this.id);
      else log('did wait: exit %d {%s}', code, this.id);
      return code;
    } finally {
      clearTimeout(timer);
      abort.abort();
      waiting.catch(() => undefined);
    }
  }

  connect(port: number, request?: string): Promise<NetworkAnswer> {
    return this.prober.connect(this.id, port, request);
  }

  /** Stops and removes the container, its volumes and its probe image; also safe twice and concurrently. */
  remove(): Promise<void> {
    this.removing ??= removeContainerAndVolumes(this.client, this.id, this.volumes).then(() => this.prober.remove()).catch(error => {
      this.removing = undefined;
      throw error;
    });
    return this.removing;
  }
}
