import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {elsewhere, finding} from './effective.js';
import {fileSubject, hostMounts, isRuntimeSocket} from './host-access.js';
import type {Rule} from './rule.js';

/*
 * The socket of the container runtime is root on the host: through it a process starts a
 * privileged container with / mounted, so nothing this container's settings forbid holds.
 * Not fixable: a CI runner or a deploy tool mounts it on purpose, and removing it breaks them.
 */
export const dockerSocket: Rule = {
  id: 'docker-socket',
  severity: 'high',
  title: 'Container runtime socket is mounted',
  why: 'Whoever reaches the Docker, containerd, CRI-O or Podman socket can start a privileged container with the host\'s root mounted, so the read-only, non-root setup of this one protects nothing.',
  fix: 'Remove the socket mount; a CI runner that builds images can use rootless BuildKit, kaniko or a socket proxy that allows only the calls it needs.',
  fixable: false,
  check(subject: Subject): Finding[] {
    const file = fileSubject(subject);
    if (!file) return [];
    const where = file.kind === 'compose-service' ? `service "${file.service.name}"` : `container "${file.container.name}"`;
    return hostMounts(file).filter(mount => isRuntimeSocket(mount.source)).map(mount => finding(dockerSocket, file, mount,
      `${where} mounts the host's ${mount.source}${elsewhere(file, mount)} at ${mount.target}: through it a process can start a privileged container with the host's root mounted, so no read-only or non-root setting of this container holds; remove the mount (harden leaves it: a CI runner or deploy tool that needs it would break; prefer rootless BuildKit, kaniko or a socket proxy).`,
      {detail: `${mount.source}${elsewhere(file, mount)} at ${mount.target}`}));
  },
};
