/** `docker build` through the engine API (classic builder), with progress, errors and abort. */
import {randomBytes} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import type Docker from 'dockerode';
import type {BuildRequest} from '../ports.js';
import {contextEntries, packContext} from './build-context.js';
import {managedLabels} from './labels.js';
import {log, reasonOf} from './log.js';

/** How many output lines a build failure carries. */
const tailLength = 10;

/** A build that the engine ran and that failed (a RUN step exited non-zero, a COPY source is missing). */
export class BuildFailed extends Error {
  /** The step that failed, as the builder printed it: `Step 2/3 : RUN npm ci`; may be undefined. */
  readonly step: string | undefined;
  /** The engine's own error message. */
  readonly reason: string;
  /** The last lines of build output before the failure. */
  readonly lastLines: readonly string[];

  constructor(tag: string, step: string | undefined, reason: string, lastLines: string[]) {
    const tail = lastLines.length > 0 ? `\nlast output:\n${lastLines.map(line => `  ${line}`).join('\n')}` : '';
    super(`build of ${tag} failed${step ? ` at ${step}` : ''}: ${reason}${tail}`);
    this.name = 'BuildFailed';
    this.step = step;
    this.reason = reason;
    this.lastLines = lastLines;
  }
}

interface BuildMessage {
  stream?: string;
  error?: string;
  errorDetail?: {message?: string};
  aux?: {ID?: string};
}

/** Builds the image and resolves with its id (`sha256:...`); rejects with {@link BuildFailed}. */
export async function buildImage(client: Docker, request: BuildRequest): Promise<{imageId: string}> {
  const {signal, tag} = request;
  signal?.throwIfAborted();
  log('doing build %s from %s {%s}', tag, request.context, request.dockerfile);
  // A Dockerfile given as text (a rewrite being proven) goes beside the real one, under a name of its own.
  const extra = request.dockerfileText === undefined ? undefined : {name: `.harden-proof-${randomBytes(6).toString('hex')}.Dockerfile`, text: request.dockerfileText};
  const tar = packContext(request.context, await contextEntries(request.context, request.dockerfile), extra);

  let response: IncomingMessage | undefined;
  const onAbort = () => {
    tar.destroy();
    response?.destroy();
  };
  signal?.addEventListener('abort', onAbort, {once: true});
  try {
    response = (await client.buildImage(tar, {
      t: tag,
      dockerfile: extra?.name ?? request.dockerfile,
      ...(request.target === undefined ? {} : {target: request.target}),
      labels: managedLabels('image', request.labels),
      rm: true,
      forcerm: true,
      ...(signal ? {abortSignal: signal} : {}),
    })) as IncomingMessage;
    signal?.throwIfAborted();

    const lines: string[] = [];
    let step: string | undefined;
    // Images this build makes, step by step: the builder keeps every stage's, untagged; ours to remove.
    let fromStep = false;
    let cached = false;
    let imageId: string | undefined;
    let failure: string | undefined;
    await readMessages(response, message => {
      for (const line of (message.stream ?? '').split(/\r?\n/)) {
        const text = line.trimEnd();
        if (text === '') continue;
        if (/^Step \d+\/\d+ : /.test(text)) {
          step = text;
          fromStep = /^Step \d+\/\d+ : FROM\s/i.test(text);
          cached = false;
        }
        if (/^\s*---> Using cache$/.test(text)) cached = true;
        const made = /^\s*---> ([0-9a-f]{12,64})$/.exec(text);
        if (made && !fromStep && !cached) request.onImage?.(made[1]!);
        lines.push(text);
        if (lines.length > tailLength) lines.shift();
        request.onProgress?.(text);
        const built = /^Successfully built ([0-9a-f]+)$/.exec(text);
        if (built) imageId ??= built[1];
      }
      if (message.aux?.ID) imageId = message.aux.ID;
      if (message.error || message.errorDetail) failure = message.errorDetail?.message ?? message.error;
    });
    signal?.throwIfAborted();
    if (failure !== undefined) throw new BuildFailed(tag, step, failure.trim(), lines);
    // Old engines only print `Successfully built <short id>`; the tag gives the full id.
    if (imageId === undefined || !imageId.startsWith('sha256:')) {
      imageId = (await client.getImage(tag).inspect()).Id;
    }
    log('did build %s {%s}', tag, imageId);
    return {imageId};
  } catch (error) {
    const reason = signal?.aborted ? 'aborted' : reasonOf(error).split('\n')[0];
    log('failed to build %s: %s {%s}', tag, reason, request.context);
    if (signal?.aborted) throw signal.reason;
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    tar.destroy();
  }
}

/** Calls `onMessage` for each JSON message of a build response; resolves when the response ends. */
function readMessages(response: IncomingMessage, onMessage: (message: BuildMessage) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let pending = '';
    const take = (line: string) => {
      if (line.trim() === '') return;
      let message: BuildMessage;
      try {
        message = JSON.parse(line) as BuildMessage;
      } catch {
        message = {stream: line};
      }
      onMessage(message);
    };
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      try {
        parts.forEach(take);
      } catch (error) {
        // A throwing onProgress must not become an uncaught exception in the stream.
        response.destroy();
        reject(error);
      }
    });
    response.on('end', () => {
      try {
        take(pending);
        resolve();
      } catch (error) {
        reject(error);
      }
    });
    response.on('error', reject);
    response.on('close', () => {
      if (!response.complete) reject(new Error('the engine closed the build output early'));
    });
  });
}
