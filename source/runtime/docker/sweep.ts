/**
 * Removes what earlier runs of the tool left when they were killed: containers, volumes and
 * images with the managed label whose session's process has provably ended. A session in
 * another pid namespace (harden in a container, sharing the engine) cannot be checked from
 * here, so its objects are left alone, running or not.
 */
import type Docker from 'dockerode';
import {provablyGone, type Liveness} from '../process-identity.js';
import {kindLabel, managedLabel, ownerOf, type ManagedKind} from './labels.js';
import {isNotFound, log, logged, reasonOf} from './log.js';

/**
 * True only for an object that is provably left over: managed, of the kind listed, made by a
 * process that ran on this boot in this pid namespace and has ended. Anything else (no label,
 * another machine or container, a malformed session, labels of an older harden without the
 * proof, a container that only inherited the labels of an image) is left alone.
 */
export function isStale(kind: ManagedKind, labels: Readonly<Record<string, string>> | null | undefined, liveness?: Liveness): boolean {
  if (labels?.[managedLabel] !== 'true' || labels[kindLabel] !== kind) return false;
  return provablyGone(ownerOf(labels), liveness);
}

async function removeEach(what: string, ids: string[], remove: (id: string) => Promise<unknown>): Promise<number> {
  let removed = 0;
  for (const id of ids) {
    try {
      await logged(`sweep ${what}`, id, () => remove(id));
      removed++;
    } catch (error) {
      // Gone meanwhile is fine; anything else (an image still used) stays for the next sweep.
      if (isNotFound(error)) removed++;
      else log('left %s in place: %s {%s}', what, reasonOf(error), id);
    }
  }
  return removed;
}

export async function sweep(client: Docker): Promise<{containers: number; volumes: number; images: number}> {
  const filters = {label: [`${managedLabel}=true`]};
  // Containers first: they hold the volumes and images.
  const containers = (await client.listContainers({all: true, filters})).filter(c => isStale('container', c.Labels));
  const containerCount = await removeEach('container', containers.map(c => c.Id), id =>
    client.getContainer(id).remove({force: true, v: true}),
  );
  const volumes = ((await client.listVolumes({filters})).Volumes ?? []).filter(v => isStale('volume', v.Labels));
  const volumeCount = await removeEach('volume', volumes.map(v => v.Name), name => client.getVolume(name).remove());
  const images = (await client.listImages({filters})).filter(i => isStale('image', i.Labels));
  // An image with several tags is removed tag by tag: removing it by id would need force.
  const imageCount = await removeEach('image', images.map(i => i.Id), async id => {
    const tags = (images.find(i => i.Id === id)?.RepoTags ?? []).filter(tag => tag !== '<none>:<none>');
    for (const ref of tags.length > 0 ? tags : [id]) await client.getImage(ref).remove();
  });
  return {containers: containerCount, volumes: volumeCount, images: imageCount};
}
