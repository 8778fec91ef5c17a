import type {ContainerFacts, Subject} from '../model/facts.js';
import type {Finding, Severity} from '../model/finding.js';
import {collapseChanges, type WritableDir} from '../runtime/writable-dirs.js';
import {finding, mountsOf} from './effective.js';
import type {Rule} from './rule.js';

/*
 * What the rules share about running containers. A container is changed by recreating
 * it, which harden does not do: the fix is a `docker run` flag or a compose setting,
 * so container findings are not fixable by `harden fix` and point at line 0.
 */

export type ContainerSubject = Extract<Subject, {kind: 'container'}>;

/** A finding on a container: line 0 (a container has no lines) and not fixable by `harden fix`. */
export function containerFinding(rule: Rule, subject: ContainerSubject, message: string, extra: {severity?: Severity; path?: string} = {}): Finding {
  return {...finding(rule, subject, 0, message, extra), fixable: false};
}

/** `Container "web"`, with its compose service when compose created it. */
export function named(container: ContainerFacts): string {
  return container.compose ? `Container "${container.name}" (service "${container.compose.service}" of compose project "${container.compose.project}")` : `Container "${container.name}"`;
}

/** How to apply a setting: the `docker run` flags (then `note`), and the compose key when compose created the container. */
export function recreate(container: ContainerFacts, flag: string, compose: string, note = ''): string {
  const run = `recreate it with "docker run ${flag}"${note}`;
  return container.compose ? `${run}, or set ${compose} on service "${container.compose.service}" and run "docker compose up -d"` : run;
}

/**
 * The user the container runs as. The engine merged the image's USER into `Config.User`
 * at create time, so an empty one means neither `--user` nor the image set one: root.
 */
export function runUser(container: ContainerFacts): string {
  return container.user || container.imageUser || 'root';
}

/** The directories the container wrote outside its mounts (its VOLUMEs included); undefined when its changes were not read. */
export function writtenDirs(subject: ContainerSubject): WritableDir[] | undefined {
  const {changes} = subject.container;
  return changes ? collapseChanges(changes, {mounts: mountsOf(subject)}) : undefined;
}

const quote = (path: string) => (/[\s"'$`\\]/.test(path) ? `'${path.replace(/'/g, `'\\''`)}'` : path);

/** `--tmpfs /run` or `-v web-data:/data`: the flag that keeps one directory writable. */
export function mountFlag(container: ContainerFacts, dir: Pick<WritableDir, 'path' | 'mount'>): string {
  if (dir.mount === 'tmpfs') return `--tmpfs ${quote(dir.path)}`;
  const last = dir.path.split('/').filter(Boolean).at(-1) ?? 'data';
  const name = `${container.name}-${last}`.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '') || 'data';
  return `-v ${quote(`${name}:${dir.path}`)}`;
}
