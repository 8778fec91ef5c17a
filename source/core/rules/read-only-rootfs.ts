import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {containerFinding, mountFlag, named, recreate, writtenDirs, type ContainerSubject} from './container-facts.js';
import {composeReset, elsewhere, finding} from './effective.js';
import type {Rule} from './rule.js';

/*
 * Kubernetes has the field on the container only (a pod securityContext has none), and
 * Trivy raised KSV-0014 to HIGH after users asked (trivy #5861), so HIGH here too.
 * Dockerfiles cannot ask for it: the compose service or manifest that runs them can.
 */
export const readOnlyRootfs: Rule = {
  id: 'read-only-rootfs',
  severity: 'high',
  title: 'Root filesystem is writable',
  why: 'A writable root filesystem lets a compromised process change binaries and config inside the running container, and lets the app keep state where nobody backs it up (OWASP Docker Top 10 D09).',
  fix: 'Set read_only: true on the compose service, or securityContext.readOnlyRootFilesystem: true on the container, with tmpfs or volumes for the paths it writes.',
  fixable: true,
  check(subject: Subject): Finding[] {
    if (subject.kind === 'compose-service') {
      const setting = subject.service.readOnly;
      if (setting?.value === true) return [];
      const reset = setting ? undefined : composeReset(subject.service, 'read_only');
      const found = setting ? `"read_only: false"${elsewhere(subject, setting)}` : reset ? `"read_only: !reset"${elsewhere(subject, reset)}` : '';
      const why = setting ? `${found} leaves the root filesystem writable`
        : reset ? `${found} unsets read_only, which leaves the root filesystem writable`
        : 'Without "read_only: true" the root filesystem is writable';
      return [finding(readOnlyRootfs, subject, setting ?? reset ?? subject.service,
        `${why}, so an attacker or a bug can change the container's binaries and config at run time; set "read_only: true" on service "${subject.service.name}" and give the paths it writes a tmpfs or volume.`, {detail: found})];
    }
    if (subject.kind === 'k8s-container') {
      const setting = subject.container.security.readOnlyRootFilesystem;
      if (setting?.value === true) return [];
      const why = setting ? 'readOnlyRootFilesystem: false leaves the root filesystem writable' : 'Without readOnlyRootFilesystem: true the root filesystem is writable';
      return [finding(readOnlyRootfs, subject, setting?.line ?? subject.container.line,
        `${why}, so an attacker or a bug can change the container's binaries and config at run time; set securityContext.readOnlyRootFilesystem: true on container "${subject.container.name}" and mount an emptyDir or volume on the paths it writes.`,
        {detail: setting ? 'readOnlyRootFilesystem: false' : ''})];
    }
    if (subject.kind === 'container') return checkContainer(subject);
    return [];
  },
};

/** The flags come from what the container wrote so far (`docker diff`), when that was read. */
function checkContainer(subject: ContainerSubject): Finding[] {
  const {container} = subject;
  if (container.readOnly) return [];
  const dirs = (writtenDirs(subject) ?? []).filter(dir => !dir.system);
  const flags = ['--read-only', ...dirs.map(dir => mountFlag(container, dir))].join(' ');
  const paths = dirs.length > 0 ? ` (it wrote ${dirs.map(dir => dir.path).join(', ')} outside its mounts so far)` : ' and a tmpfs or volume for each path it writes';
  return [containerFinding(readOnlyRootfs, subject,
    `${named(container)} runs with a writable root filesystem (HostConfig.ReadonlyRootfs is false), so an attacker or a bug can change its binaries and config at run time; ${recreate(container, `${flags} ...`, '"read_only: true" with tmpfs or volumes for the paths it writes', paths)}.`)];
}
