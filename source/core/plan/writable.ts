import type {Subject, WriteHint} from '../model/facts.js';
import type {Skipped, WritableMount} from '../model/plan.js';
import {canonicalPath, isCovered, isForbiddenWritable, normalisePath, suggestMount} from '../paths.js';
import {collectWriteHints, mountsOf, stageChain} from '../rules/effective.js';
import {takenVolumeNames, volumeNames, volumeOwner} from '../volume-names.js';

/** A path given with `--writable PATH[=tmpfs|volume]`. */
export interface WritableRequest {
  path: string;
  mount?: 'tmpfs' | 'volume';
  /** Why, when it is not the person's own `--writable` (a discovery run's evidence). */
  evidence?: string;
  /**
   * `--writable NAME:PATH`: only for the compose service or Kubernetes container of that name
   * (or `Kind/workload/container`); every target when unset.
   */
  target?: string;
}

/** The name `--writable NAME:PATH` uses for a subject: the compose service's, or the container's. */
export function writableNames(subject: Subject): string[] {
  if (subject.kind === 'compose-service') return [subject.service.name];
  if (subject.kind === 'k8s-container') return [subject.container.name, subject.target.name];
  return [];
}

/** The requests that apply to `subject`: untargeted ones, and those that name it. */
export function requestsFor<T extends {target?: string}>(requests: readonly T[], subject: Subject): T[] {
  const names = writableNames(subject);
  return requests.filter(r => r.target === undefined || names.includes(r.target));
}

/** Who the container will run as after the fix, as far as the plan knows. */
export interface RunAs {
  uid?: number;
  gid?: number;
}

/** Default tmpfs size: enough for temp files and caches, small enough that a runaway writer is stopped. */
const defaultTmpfsMiB = 64;

/**
 * Chooses the mounts for one compose service or Kubernetes container: the paths it is
 * known to write that no writable mount covers yet, plus the ones asked for. Returns
 * what it will not mount, with the reason, so nothing is skipped silently.
 */
export function planWritable(subject: Subject, requests: readonly WritableRequest[], runAs: RunAs, declined: ReadonlySet<string> = new Set()): {mounts: WritableMount[]; skipped: Skipped[]} {
  const mounts: WritableMount[] = [];
  const skipped: Skipped[] = [];
  const existing = mountsOf(subject);
  const hints: WriteHint[] = collectWriteHints(subject).filter(h => !isCovered(h.path, existing));
  // Named as the audit names them (before --writable changes a kind or any path is skipped), so its advice says the name written.
  const taken = takenVolumeNames(subject);
  const reported = volumeNames(volumeOwner(subject), hints, taken);
  for (const request of requests) {
    const path = canonicalPath(request.path);
    const known = hints.find(h => canonicalPath(h.path) === path);
    const why = request.evidence ?? 'asked with --writable';
    if (known) {
      if (request.mount) known.mount = request.mount;
      known.evidence = `${why}; ${known.evidence}`;
    } else if (!isCovered(path, existing)) {
      hints.push({path, evidence: why, source: 'dockerfile', mount: request.mount ?? suggestMount(path), line: subject.target.line});
    }
  }
  const added = volumeNames(volumeOwner(subject), hints.filter(h => !reported.has(canonicalPath(h.path))), [...taken, ...reported.values()]);
  const names = new Map([...reported, ...added]);
  const content = imageContent(subject);
  for (const hint of hints) {
    const path = canonicalPath(hint.path);
    if (isForbiddenWritable(path)) {
      skipped.push({rule: 'writable-path-unmounted', what: path, reason: `${path} is a system path; it must never be writable`});
      continue;
    }
    if (declined.has(path)) {
      // The evidence stays in the reason: if the app does write there, verify names the path.
      skipped.push({rule: 'writable-path-unmounted', what: path, reason: `left read-only as you asked, although ${hint.evidence}; harden verify shows whether the app still works`});
      continue;
    }
    let mount = hint.mount;
    let why = hint.evidence;
    const hidden = content.find(c => c === path || c.startsWith(path + '/'));
    if (hidden !== undefined && mount === 'tmpfs') {
      if (subject.kind === 'k8s-container') {
        skipped.push({rule: 'writable-path-unmounted', what: path, reason: `the image ships files in ${path} (${hidden}); an emptyDir there would hide them. Move the writes elsewhere or copy the files in with an initContainer`});
        continue;
      }
      // Docker copies the image's files into a new named volume; a tmpfs would hide them.
      mount = 'volume';
      why += `; a volume, not a tmpfs, because the image ships files in ${path} (${hidden}) that a tmpfs would hide`;
    }
    const result: WritableMount = {path, mount, name: names.get(path)!, why};
    if (mount === 'tmpfs') {
      result.sizeMiB = defaultTmpfsMiB;
      const mode = hint.tmpfs?.mode ?? (path === '/tmp' || path === '/var/tmp' ? '1777' : undefined);
      if (mode) result.mode = mode;
      if (hint.tmpfs?.exec) result.exec = true;
      // A tmpfs is root-owned; a non-root user can only write it when it owns it (or it is 1777).
      if (runAs.uid !== undefined && runAs.uid !== 0 && mode !== '1777') {
        result.uid = runAs.uid;
        if (runAs.gid !== undefined) result.gid = runAs.gid;
      }
    }
    mounts.push(result);
  }
  return {mounts, skipped};
}

/** Paths where the image ships files: COPY/ADD destinations and the WORKDIR the app lives in. */
function imageContent(subject: Subject): string[] {
  if (!subject.dockerfile) return [];
  const result: string[] = [];
  for (const stage of stageChain(subject.dockerfile)) {
    for (const copy of stage.copies) result.push(normalisePath(copy.value));
    if (stage.workdir?.value.startsWith('/')) result.push(normalisePath(stage.workdir.value));
  }
  return result;
}
