import {isRootUser} from '../knowledge/well-known-images.js';
import {capName} from '../rules/host-access.js';

/*
 * What a container gets when harden runs it to verify or to discover paths: no more than the
 * hardened config would give it. It never gets the host's network (network none; its ports
 * are reached from a probe in its own namespace), a bind mount, a device or privileged mode.
 * A non-root process holds no capability anyway (no-new-privileges stops setuid and file
 * capabilities), so all are dropped. A root process keeps only what official images' entrypoints
 * use to step down to their own user (gosu, su-exec, nginx's master, a chown of the data
 * directory): no NET_RAW, MKNOD, SYS_CHROOT, SETFCAP, SETPCAP, AUDIT_WRITE, NET_BIND_SERVICE.
 */

/** Capabilities a root entrypoint needs to hand its files to a user and become that user. */
export const stepDownCapabilities = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'KILL', 'SETGID', 'SETUID'] as const;

/**
 * `--cap-drop`/`--cap-add` of a test run as `user` (undefined: the image's, root when it names
 * none). A config that drops ALL gets back what it adds, but only of the step-down set and
 * NET_BIND_SERVICE, which harden's own fix adds: never more than the config, never SYS_ADMIN.
 */
export function testRunCapabilities(user: string | undefined, targetDrops: readonly string[], targetAdds: readonly string[] = []): {capDrop: string[]; capAdd: string[]} {
  const dropped = new Set(targetDrops.map(capName));
  const added = new Set(targetAdds.map(capName));
  if (dropped.has('ALL')) return {capDrop: ['ALL'], capAdd: [...stepDownCapabilities, 'NET_BIND_SERVICE'].filter(c => added.has(c))};
  if (user !== undefined && user !== '' && !isRootUser(user)) return {capDrop: ['ALL'], capAdd: []};
  return {capDrop: ['ALL'], capAdd: stepDownCapabilities.filter(c => !dropped.has(c))};
}
