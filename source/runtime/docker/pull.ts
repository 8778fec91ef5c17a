import type Docker from 'dockerode';
import {log, reasonOf} from './log.js';

/*
 * `harden verify --pull`: an image the engine does not have is fetched only when the person
 * asked; otherwise the target is "not verified", never a failure of the hardened app. The
 * engine's progress messages are folded to one line per layer status change.
 */

/** Pulls `ref` through the engine; rejects with the registry's own reason in one line. */
export async function pullImage(client: Docker, ref: string, onProgress: (line: string) => void, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  log('doing pull {%s}', ref);
  let stream: NodeJS.ReadableStream;
  try {
    stream = (await client.pull(ref, signal ? {abortSignal: signal} : {})) as NodeJS.ReadableStream;
  } catch (error) {
    log('failed to pull: %s {%s}', reasonOf(error), ref);
    throw new Error(`could not pull ${ref}: ${reasonOf(error)}`);
  }
  await new Promise<void>((resolve, reject) => {
    let last = '';
    client.modem.followProgress(
      stream,
      (error: Error | null) => (error ? reject(new Error(`could not pull ${ref}: ${reasonOf(error)}`)) : resolve()),
      (event: {status?: string; error?: string; id?: string}) => {
        if (event.error) return;
        const line = `${event.id ? `${event.id}: ` : ''}${event.status ?? ''}`.trim();
        if (line !== '' && line !== last && !/^Downloading|^Extracting|^Waiting/.test(event.status ?? '')) onProgress(line);
        last = line;
      },
    );
  });
  log('did pull {%s}', ref);
}
