import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {hostFinding} from './host-facts.js';
import type {Rule} from './rule.js';

/*
 * Read-only containers on a host whose OS changes in place: whoever gets root on the node
 * (a container escape included) can change the OS and the engine under every container, and
 * the change survives a reboot. An immutable OS is recognised and said so (information, not
 * a problem); an engine on another machine is said to be unchecked rather than judged by
 * this machine's files.
 */
export const hostRootfsWritable: Rule = {
  id: 'host-rootfs-writable',
  severity: 'low',
  title: 'Host root filesystem is writable and the OS is not immutable',
  why: 'On a general-purpose OS that changes in place, whoever gets root on the host, a container escape included, can change the OS and the engine under every container, and the change persists.',
  fix: 'Run the containers on an immutable node OS (Flatcar, Bottlerocket, Talos, Fedora CoreOS, openSUSE MicroOS); see templates/host/immutable-os.md.',
  fixable: false,
  check(subject: Subject): Finding[] {
    if (subject.kind !== 'host') return [];
    const {host} = subject;
    const immutable = host.immutable;
    if (host.elsewhere) {
      const message = immutable
        ? `The engine's host runs ${immutable.name} (as docker info reports), an immutable OS: ${immutable.how}; nothing to change there. Its mounts were not checked: ${host.elsewhere}.`
        : `Not checked: ${host.elsewhere}. Run "harden audit --host" on the engine's host to check its root filesystem and the data root's mount.`;
      return [hostFinding(hostRootfsWritable, subject, message, {severity: 'info'})];
    }
    const root = host.mounts?.root;
    if (immutable) {
      const writable = root && !root.readOnly ? ' / itself stays writable for /etc and /var by design.' : '';
      return [hostFinding(hostRootfsWritable, subject,
        `This host runs ${immutable.name}, an immutable OS: ${immutable.how}.${writable} Nothing to change; keep host changes in its provisioning config (see templates/host/immutable-os.md) rather than edits on the node.`,
        {severity: 'info'})];
    }
    if (!root) {
      return [hostFinding(hostRootfsWritable, subject, 'Not checked: the mount table (/proc/self/mountinfo) could not be read, so whether the host\'s root filesystem is read-only is unknown.', {severity: 'info'})];
    }
    if (root.readOnly) return [];
    const os = host.os?.prettyName ?? host.os?.name ?? 'the OS (it has no /etc/os-release)';
    const usr = host.mounts?.usr?.readOnly ? ' (/usr is a read-only mount, which helps, but the rest of / is not)' : '';
    return [hostFinding(hostRootfsWritable, subject,
      `The host's root filesystem (${root.source}, ${root.fsType}) is mounted read-write${usr} and ${os} is a general-purpose distribution that changes in place, so whoever gets root on the host, a container escape included, can change the OS and the engine under every container, and the change survives a reboot; this is decided by the OS itself: run the containers on an immutable node OS such as Flatcar, Bottlerocket, Talos, Fedora CoreOS or openSUSE MicroOS (see templates/host/immutable-os.md), or at least mount /usr read-only with "ro" on its /etc/fstab line. Trade-off: an immutable node has no package manager for ad-hoc installs (tools run in containers, changes go through image updates and its provisioning config: Ignition, user data, machine config), and a read-only /usr needs a remount for every package update.`)];
  },
};
