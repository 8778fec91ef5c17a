import type {MountFact, Subject, WriteHint} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {canonicalPath, isCovered} from '../paths.js';
import {containerFinding, mountFlag, named, recreate, writtenDirs, type ContainerSubject} from './container-facts.js';
import {collectWriteHints, finding, mountsOf} from './effective.js';
import type {Rule} from './rule.js';
import {takenVolumeNames, volumeNames, volumeOwner} from '../volume-names.js';

/*
 * The check Kubescape, Polaris and kubeaudit all lack: they set a read-only root but
 * never add a mount for what the app writes (RESEARCH.md, "What users ask for" 1).
 * Hints come from the image's VOLUMEs, Dockerfile hints and the well-known table.
 */
export const writablePathUnmounted: Rule = {
  id: 'writable-path-unmounted',
  severity: 'medium',
  title: 'Path the app writes has no writable mount',
  why: 'With a read-only root filesystem every path the app writes needs its own mount, or the app fails at the first write; an image VOLUME left to the platform is anonymous in compose and ignored in Kubernetes.',
  fix: 'Mount a tmpfs (compose tmpfs, Kubernetes emptyDir) for ephemeral paths and a named volume or PersistentVolumeClaim for data that must survive.',
  fixable: true,
  check(subject: Subject): Finding[] {
    if (subject.kind === 'dockerfile' || subject.kind === 'host') return [];
    if (subject.kind === 'container') return checkContainer(subject);
    const mounts = mountsOf(subject);
    const line = subject.kind === 'compose-service' ? subject.service.line : subject.container.line;
    const hints = collectWriteHints(subject).filter(hint => !isCovered(hint.path, mounts));
    const names = volumeNames(volumeOwner(subject), hints, takenVolumeNames(subject));
    return hints.map(hint => finding(writablePathUnmounted, subject, line, `${reason(subject, hint, mounts)}; ${remedy(subject, hint, names.get(canonicalPath(hint.path))!)}.`, {path: hint.path, detail: detail(subject, hint, mounts)}));
  },
};

/**
 * What a container wrote outside its mounts (`docker diff`) when that was read: what it
 * really does beats what the table expects. Without it, the well-known table. Image
 * VOLUMEs are writable (Docker gave each an anonymous volume), so they are not reported.
 */
function checkContainer(subject: ContainerSubject): Finding[] {
  const {container} = subject;
  const dirs = writtenDirs(subject);
  if (!dirs) {
    const mounts = mountsOf(subject);
    return collectWriteHints(subject).filter(hint => !isCovered(hint.path, mounts)).map(hint => containerFinding(writablePathUnmounted, subject,
      `${named(container)} must keep ${hint.path} writable (${hint.evidence}) but no writable mount covers it, so writes there fail once the root filesystem is read-only; ${recreate(container, `${mountFlag(container, hint)} ...`, hint.mount === 'tmpfs' ? `tmpfs: ["${hint.path}"]` : `a named volume at ${hint.path}`)}.`, {path: hint.path}));
  }
  return dirs.map(dir => {
    const seen = `${dir.evidence.slice(0, 3).join(', ')}${dir.evidence.length > 3 ? ', ...' : ''}`;
    if (dir.system) {
      return containerFinding(writablePathUnmounted, subject, `${named(container)} wrote into ${dir.path} (${seen}): ${dir.reason}.`, {path: dir.path});
    }
    const shipped = dir.shipped === 'files' ? ' (a volume, not a tmpfs: the image ships files there that a tmpfs would hide)'
      : dir.shipped === 'directory' ? ' (the image ships this directory: check that a tmpfs would not hide files the app needs)' : '';
    return containerFinding(writablePathUnmounted, subject,
      `${named(container)} wrote to ${dir.path} (${seen}) and no writable mount covers it, so those writes fail once the root filesystem is read-only; ${recreate(container, `${mountFlag(container, dir)} ...`, dir.mount === 'tmpfs' ? `tmpfs: ["${dir.path}"]` : `a named volume at ${dir.path}`)}${shipped}.`,
      {path: dir.path});
  });
}

/** The read-only mount the path lies under, if one does. */
function readOnlyMount(hint: WriteHint, mounts: readonly MountFact[]): MountFact | undefined {
  const canonical = canonicalPath(hint.path);
  return mounts.find(m => m.readOnly && (canonical === canonicalPath(m.target) || canonical.startsWith(canonicalPath(m.target) + '/')));
}

/** `/tmp: tmpfs (evidence)`: the path, the mount to give it and why, for a report that prints the rule's why once. */
function detail(subject: Subject, hint: WriteHint, mounts: readonly MountFact[]): string {
  const options = tmpfsOptions(hint);
  const k8s = subject.kind === 'k8s-container';
  const sticky = k8s && options.some(o => o.startsWith('mode=1')) ? ' (no sticky bit in an emptyDir)' : '';
  const mount = hint.mount === 'tmpfs'
    ? (k8s ? `an emptyDir${sticky}` : `tmpfs${options.length > 0 ? ` with ${options.join(',')}` : ''}`)
    : (k8s ? 'a PersistentVolumeClaim (or an emptyDir)' : 'a named volume');
  const readOnly = readOnlyMount(hint, mounts);
  const state = [
    ...(hint.source === 'volume' ? [k8s ? 'Kubernetes ignores the image VOLUME' : 'the image VOLUME gets an anonymous volume'] : []),
    ...(readOnly ? [`the mount at ${readOnly.target} is read-only`] : []),
  ];
  return `${hint.path}: ${mount} (${hint.evidence})${state.length > 0 ? `; ${state.join('; ')}` : ''}`;
}

function reason(subject: Subject, hint: WriteHint, mounts: readonly MountFact[]): string {
  const readOnly = readOnlyMount(hint, mounts);
  const mounted = readOnly ? `the mount at ${readOnly.target} is read-only` : 'no writable mount covers it';
  if (hint.source === 'volume' && subject.kind === 'k8s-container') {
    return `Kubernetes ignores the image's VOLUME ${hint.path} and ${mounted}, so the path is read-only under readOnlyRootFilesystem (and lost with the container without it) (${hint.evidence})`;
  }
  if (hint.source === 'volume') {
    return `The image declares VOLUME ${hint.path} and ${mounted}, so compose gives it an anonymous volume that nobody names, backs up or reattaches when the container is recreated (${hint.evidence})`;
  }
  return `${hint.path} must stay writable (${hint.evidence}) but ${mounted}, so writes there fail once the root filesystem is read-only`;
}

/** Docker's tmpfs is noexec and mode 1777 is not implied, so say what the path needs. */
function tmpfsOptions(hint: WriteHint): string[] {
  const options: string[] = [];
  if (hint.tmpfs?.mode) options.push(`mode=${hint.tmpfs.mode}`);
  if (hint.tmpfs?.exec) options.push('exec');
  return options;
}

function remedy(subject: Subject, hint: WriteHint, name: string): string {
  const options = tmpfsOptions(hint);
  if (subject.kind === 'compose-service') {
    if (hint.mount === 'tmpfs') {
      const spec = options.length > 0 ? `${hint.path}:${options.join(',')}` : hint.path;
      return `add "${spec}" to the tmpfs list of service "${subject.service.name}" (tmpfs: ["${spec}"])`;
    }
    return `mount a named volume there (volumes: ["${name}:${hint.path}"]) so the data outlives the container`;
  }
  if (subject.kind !== 'k8s-container') return '';
  if (hint.mount === 'tmpfs') {
    const sticky = options.some(o => o.startsWith('mode=1')) ? ' (an emptyDir has no sticky bit: point TMPDIR at it or fix the mode in an init container)' : '';
    return `mount an emptyDir at ${hint.path} (volumeMounts: [{name: ${name}, mountPath: ${hint.path}}], volumes: [{name: ${name}, emptyDir: {}}])${sticky}`;
  }
  return `mount a PersistentVolumeClaim at ${hint.path} (volumeMounts: [{name: ${name}, mountPath: ${hint.path}}]), or an emptyDir if the data may go with the pod`;
}

