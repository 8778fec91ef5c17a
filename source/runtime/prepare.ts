import {randomBytes} from 'node:crypto';
import {imageConfigFacts, type ImageConfigFacts} from '../core/discover/container.js';
import {ImageNotLocal} from '../core/model/errors.js';
import {isInterrupted, onExitRemove} from './docker/cleanup.js';
import type {ContainerEngine} from './ports.js';
import type {ResolvedTarget} from './targets/resolve.js';

/** An image ready to run, and how to get rid of it if the tool built it. */
export interface PreparedImage {
  image: string;
  config: ImageConfigFacts;
  /** Removes the image when the tool built it; a no-op for the user's own image. */
  release(): Promise<void>;
}

/** How long an interrupted process waits for a build to end so that it can remove all it made. */
const buildPatienceMs = 15 * 60_000;

/** Builds the target's Dockerfile (labelled, temporary) or checks that its image is there. */
export async function prepareImage(engine: ContainerEngine, target: ResolvedTarget, onProgress: (line: string) => void, signal?: AbortSignal, pull = false): Promise<PreparedImage> {
  if (target.build) {
    const tag = `harden-wizard-tmp:${randomBytes(6).toString('hex')}`;
    onProgress(`building ${target.build.dockerfile} in ${target.build.context}`);
    // Steps only: the engine's chatter (intermediate ids, our own LABEL steps) says nothing to a person.
    const steps = (line: string) => {
      if (/^Step \d+\/\d+ : (?!LABEL harden-wizard\.)/.test(line.trim())) onProgress(line.trim());
    };
    // Every stage's images: the builder keeps them untagged (279 MB each for the demo's builder stage).
    const layers: string[] = [];
    const removeAll = async () => {
      await engine.removeImage(tag).catch(() => undefined);
      await engine.removeBuildLayers(layers).catch(() => undefined);
    };
    // Never cut short: a build the client hangs up on stops between steps or goes on to tag, and
    // the images it made then are not all known (its LABEL steps make labelled ones, unseen). An
    // interruption waits for the end of the build, when every image it made is known, and removes
    // them all; a second Ctrl-C leaves at once.
    const {context, dockerfile, text, target: stage} = target.build;
    const build = engine.build({context, dockerfile, ...(text === undefined ? {} : {dockerfileText: text}), ...(stage === undefined ? {} : {target: stage}), tag, onProgress: steps, onImage: id => layers.push(id)});
    const forget = onExitRemove({
      patienceMs: buildPatienceMs,
      remove: async () => {
        await build.catch(() => undefined);
        await removeAll();
      },
    });
    try {
      await build;
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('interrupted');
      if (isInterrupted()) throw new Error('interrupted: the build is removed');
      const config = imageConfigFacts(await engine.inspectImage(tag));
      if (!config) throw new Error(`built ${tag} but the engine does not show it`);
      return {image: tag, config, release: async () => {
        await removeAll();
        forget();
      }};
    } catch (error) {
      await removeAll();
      forget();
      throw error;
    }
  }
  const image = target.image!;
  let inspect = await engine.inspectImage(image);
  if (inspect === undefined && pull) {
    onProgress(`pulling ${image}, as asked with --pull`);
    try {
      await engine.pull(image, onProgress, signal);
    } catch (error) {
      throw new ImageNotLocal(image, (error as Error).message.split('\n')[0]!);
    }
    inspect = await engine.inspectImage(image);
  }
  // Pulled only when asked: a registry is the network, and the image is the person's choice.
  if (inspect === undefined) throw new ImageNotLocal(image, `${image} is not on this machine`);
  return {image, config: imageConfigFacts(inspect)!, release: async () => undefined};
}
