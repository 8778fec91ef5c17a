/** Reading containers and images, and removing the images the tool built. */
import type Docker from 'dockerode';
import type {ContainerSummary, FileChange} from '../ports.js';
import {managedLabel} from './labels.js';
import {isNotFound, logged, reasonOf} from './log.js';

export async function listContainers(client: Docker, all: boolean): Promise<ContainerSummary[]> {
  const found = await logged(`list ${all ? 'all ' : ''}containers`, '', () => client.listContainers({all}));
  return found.map(c => ({
    id: c.Id,
    name: (c.Names?.[0] ?? '').replace(/^\//, ''),
    image: c.Image,
    state: c.State,
    labels: {...(c.Labels ?? {})},
  }));
}

/**
 * True when `name` goes into a request path as one name. dockerode pastes it in unescaped: the
 * engine's router answers a redirect for `/x` or `a//b` (which docker-modem follows to a host
 * named after the path, failing later outside any promise), and `?` or `#` would cut the path.
 * No image reference, container name or id has any of these.
 */
export function isRoutableName(name: string): boolean {
  return name !== '' && !/[\s?#%\\]|^\/|\/$|\/\/|(^|\/)\.\.?(\/|$)/.test(name);
}

export function inspectContainer(client: Docker, id: string): Promise<unknown> {
  if (!isRoutableName(id)) return Promise.reject(Object.assign(new Error(`no such container: ${id}`), {statusCode: 404}));
  return logged('inspect container', id, () => client.getContainer(id).inspect());
}

/**
 * Raw image inspect JSON, or undefined when the engine has no such image: also when the name
 * cannot be one (the engine answers 400 "invalid reference format" for `Foo:bar`).
 */
export async function inspectImage(client: Docker, ref: string): Promise<unknown | undefined> {
  if (!isRoutableName(ref)) return undefined;
  try {
    return await logged('inspect image', ref, () => client.getImage(ref).inspect());
  } catch (error) {
    if (isNotFound(error) || isInvalidReference(error)) return undefined;
    throw error;
  }
}

/** The engine's 400 for a name that is not a valid reference. */
function isInvalidReference(error: unknown): boolean {
  return (error as {statusCode?: number} | undefined)?.statusCode === 400 && /invalid reference format/i.test(reasonOf(error));
}

const kinds: Record<number, FileChange['kind']> = {0: 'modified', 1: 'added', 2: 'deleted'};

/** `GET /containers/{id}/changes`; Kind 0, 1, 2 are modified, added, deleted. */
export function toFileChanges(raw: unknown): FileChange[] {
  if (!Array.isArray(raw)) return []; // the engine answers null when nothing changed
  return raw.flatMap((entry: {Path?: unknown; Kind?: unknown}) => {
    const kind = kinds[Number(entry?.Kind)];
    return typeof entry?.Path === 'string' && kind ? [{path: entry.Path, kind}] : [];
  });
}

/** Most entries a diff gets its ambiguous leaves checked for; past that, collapsing guesses. */
const maxStatted = 200;

export async function changes(client: Docker, id: string): Promise<FileChange[]> {
  const list = toFileChanges(await logged('list changes', id, () => client.getContainer(id).changes()));
  // An added entry with nothing below it may be an empty directory or a file; the archive
  // API's stat answers which, without needing a shell in the image.
  const parents = new Set(list.map(c => c.path.slice(0, c.path.lastIndexOf('/'))));
  const leaves = list.filter(c => c.kind === 'added' && !parents.has(c.path)).slice(0, maxStatted);
  for (let i = 0; i < leaves.length; i += 16) {
    await Promise.all(leaves.slice(i, i + 16).map(async change => {
      const directory = await isDirectory(client, id, change.path);
      if (directory !== undefined) change.directory = directory;
    }));
  }
  return list;
}

/** Go's os.ModeDir, the bit the engine's path stat sets for a directory. */
const modeDir = 2 ** 31;

async function isDirectory(client: Docker, id: string, path: string): Promise<boolean | undefined> {
  try {
    const response = (await client.getContainer(id).infoArchive({path})) as unknown as {headers?: Record<string, string>; destroy?(): void; resume?(): void};
    const header = response.headers?.['x-docker-container-path-stat'];
    response.resume?.();
    if (!header) return undefined;
    const stat = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as {mode?: number};
    return typeof stat.mode === 'number' ? Math.floor(stat.mode / modeDir) % 2 === 1 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes an image the tool built. Refuses one without the managed label: removing someone
 * else's image would be a bug in the caller. Gone already counts as done.
 */
export async function removeImage(client: Docker, ref: string): Promise<void> {
  const image = client.getImage(ref);
  let labels: Record<string, string> | undefined;
  try {
    labels = (await image.inspect()).Config?.Labels ?? undefined;
  } catch (error) {
    if (isNotFound(error)) return;
    throw error;
  }
  if (labels?.[managedLabel] !== 'true') {
    throw new Error(`refusing to remove image ${ref}: harden-wizard did not build it (no ${managedLabel} label)`);
  }
  try {
    await logged('remove image', ref, () => image.remove());
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/**
 * Removes the untagged images a build of this process made, newest first, one by one and
 * without pruning parents (a parent may be someone's cache). One tagged since, or that
 * another image or a container still uses (409), is left in place.
 */
export async function removeBuildLayers(client: Docker, ids: readonly string[]): Promise<void> {
  for (const id of [...ids].reverse()) {
    let info;
    try {
      info = await client.getImage(id).inspect();
    } catch (error) {
      if (isNotFound(error)) continue;
      throw error;
    }
    if ((info.RepoTags ?? []).some(tag => tag !== '<none>:<none>')) continue;
    // An interrupted build's last container still holds its image until the builder removes it.
    for (let attempt = 1; ; attempt++) {
      try {
        await logged('remove build layer', id, () => client.getImage(info.Id).remove({noprune: true}));
        break;
      } catch (error) {
        if (isNotFound(error)) break;
        const held = (error as {statusCode?: number}).statusCode === 409;
        if (held && /container/i.test(reasonOf(error)) && attempt < 24) {
          await new Promise(done => setTimeout(done, 250));
          continue;
        }
        if (held) break;
        throw error;
      }
    }
  }
}

/**
 * Docker's multiplexed stream (8-byte frame headers, used without a TTY) as one text, stdout and
 * stderr in the order written. Text that is not framed (a TTY) is returned as it is.
 */
export function demuxToText(buffer: Buffer): string {
  const framed = buffer.length >= 8 && buffer[0]! <= 2 && buffer[1] === 0 && buffer[2] === 0 && buffer[3] === 0;
  if (!framed) return buffer.toString('utf8');
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
