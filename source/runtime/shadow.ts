import type {ImageConfigFacts} from '../core/discover/container.js';
import {imageDefaultUser, knownWriteHints} from '../core/knowledge/well-known-images.js';
import type {FoundPath} from '../core/model/runtime.js';
import {canonicalPath, isCovered, isForbiddenWritable, suggestMount} from '../core/paths.js';
import {parseImageRef} from '../core/parse/image-ref.js';
import {testRunCapabilities} from '../core/runtime/privileges.js';
import {chooseProbe} from '../core/runtime/readiness.js';
import {collapseChanges} from '../core/runtime/writable-dirs.js';
import {collectWriteHints} from '../core/rules/effective.js';
import type {ContainerEngine, FileChange} from './ports.js';
import {onExitRemove} from './docker/cleanup.js';
import {prepareImage} from './prepare.js';
import {waitReady} from './probe.js';
import type {ResolvedTarget} from './targets/resolve.js';

export interface ShadowOptions {
  /** Seconds to keep watching after the container is ready, for writes that come later. */
  durationSeconds: number;
  readyTimeoutMs: number;
  probe?: string;
  onProgress(line: string): void;
  signal?: AbortSignal;
  /** Pull an image the engine does not have (`--pull`); otherwise prepareImage throws ImageNotLocal. */
  pull?: boolean;
}

/** Bounds for every container the tool starts: enough for an app, not for a runaway. */
export const limits = {memoryBytes: 512 * 1024 * 1024, pidsLimit: 512};

/**
 * `harden paths`: runs the target as it is configured (root filesystem writable), lets it
 * work, and reads what it changed; adds the image's VOLUMEs, the Dockerfile's hints and
 * the well-known image table. An existing container is only read, never run.
 */
export async function discoverPaths(engine: ContainerEngine, target: ResolvedTarget, options: ShadowOptions): Promise<FoundPath[]> {
  const found = new Map<string, FoundPath>();
  const add = (path: string, mount: 'tmpfs' | 'volume', evidence: string[]) => {
    const key = canonicalPath(path);
    if (isForbiddenWritable(key) || isCovered(key, target.mounts)) return;
    const entry = found.get(key);
    if (entry) {
      for (const e of evidence) if (!entry.evidence.includes(e)) entry.evidence.push(e);
      if (mount === 'volume') entry.mount = 'volume';
    } else found.set(key, {path: key, mount, evidence: [...evidence]});
  };

  let changes: FileChange[];
  // The image's VOLUMEs: Docker mounts a volume there, and creates the mount point and its parents itself.
  let volumes: string[] = [];
  if (target.container) {
    options.onProgress(`reading the changes of container ${target.container}`);
    changes = await engine.changes(target.container);
  } else {
    const prepared = await prepareImage(engine, target, options.onProgress, options.signal, options.pull);
    try {
      volumes = prepared.config.volumes;
      for (const volume of volumes) add(volume, suggestMount(volume), [`VOLUME ${volume}`]);
      changes = await shadowRun(engine, prepared.image, prepared.config, target, options);
      const ref = target.image ? parseImageRef(target.image, 0) : undefined;
      if (ref && !target.subject) {
        const user = prepared.config.user || imageDefaultUser(ref);
        for (const hint of knownWriteHints(ref, user ? {user} : {}, 0)) add(hint.path, hint.mount, [hint.evidence]);
      }
    } finally {
      await prepared.release();
    }
  }
  for (const dir of collapseChanges(changes, {mounts: target.mounts, ignore: volumes})) {
    if (dir.system) {
      options.onProgress(`not mountable: ${dir.path}: ${dir.reason ?? 'a system directory'}`);
      continue;
    }
    add(dir.path, dir.mount, dir.evidence);
  }
  if (target.subject) {
    for (const hint of collectWriteHints(target.subject)) add(hint.path, hint.mount, [hint.evidence]);
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}

async function shadowRun(engine: ContainerEngine, image: string, config: ImageConfigFacts, target: ResolvedTarget, options: ShadowOptions): Promise<FileChange[]> {
  const probe = chooseProbe(config, options.probe);
  options.onProgress(`starting a shadow container of ${target.label} (no network, root filesystem writable and thrown away)`);
  const user = target.user ?? (config.user || undefined);
  // As the hardened config would run it, but for the writable root that `docker diff` reads.
  const container = await engine.run({
    image,
    ...(target.command ? {cmd: target.command} : {}),
    ...(target.user ? {user: target.user} : {}),
    readOnly: false,
    tmpfs: {},
    volumes: [],
    network: 'none',
    noNewPrivileges: true,
    ...testRunCapabilities(user, target.capDrop, target.capAdd),
    ...limits,
  });
  const forget = onExitRemove(container);
  try {
    const ready = await waitReady(container, probe, options.readyTimeoutMs, options.signal);
    options.onProgress(ready.detail);
    if (ready.exitCode === undefined) {
      options.onProgress(`watching for ${options.durationSeconds} s more`);
      await container.wait(options.durationSeconds * 1000);
    }
    return await container.changes();
  } finally {
    await container.remove();
    forget();
  }
}
