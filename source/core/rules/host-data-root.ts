import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {configFile, hostFinding, restart} from './host-facts.js';
import type {Rule} from './rule.js';

/*
 * The data root holds every image layer, writable container layer, volume and log. On the
 * root filesystem (the same device as `/`: a bind mount of a directory there counts) it
 * fills the disk the OS needs; mounted without nodev and nosuid, a device file or set-uid
 * binary a container writes there is honoured on the host side. Checked only when the mount
 * table read is the engine host's.
 */
export const daemonDataRoot: Rule = {
  id: 'daemon-data-root',
  severity: 'low',
  title: 'Data root shares the root filesystem or lacks nodev/nosuid',
  why: 'Images, container layers, volumes and logs under the data root can fill the filesystem the OS runs from, and without nodev and nosuid a device file or set-uid binary a container writes there is honoured on the host.',
  fix: 'Give the data root its own filesystem mounted with nodev,nosuid (/etc/fstab), or point "data-root" in daemon.json at one.',
  fixable: false,
  check(subject: Subject): Finding[] {
    if (subject.kind !== 'host') return [];
    const {host} = subject;
    if (!host.engine?.dockerRootDir || host.elsewhere || !host.mounts?.dataRoot) return [];
    const {root, dataRoot} = host.mounts;
    const dir = host.engine.dockerRootDir;
    const shared = dataRoot.device === root.device;
    const missing = ['nodev', 'nosuid'].filter(option => !dataRoot.options.includes(option));
    if (!shared && missing.length === 0) return [];
    const why = shared
      ? `The engine's data root ${dir} is on the host's root filesystem (${root.source}, ${root.fsType}), so images, container layers, volumes and logs that grow fill the filesystem the OS runs from${missing.length > 0 ? `, and it is mounted without ${missing.join(' and ')}` : ''}`
      : `The engine's data root ${dir} is mounted from ${dataRoot.source} at ${dataRoot.mountPoint} without ${missing.join(' and ')}, so a device file or set-uid binary a container writes into a volume there is honoured on the host side`;
    const fstab = shared
      ? `give it a filesystem of its own with a line in /etc/fstab such as "/dev/sdb1 ${dir} ext4 defaults,nodev,nosuid 0 2", or point "data-root" in ${configFile(host)} at such a mount`
      : `add nodev,nosuid to the options of ${dataRoot.mountPoint} on its /etc/fstab line`;
    return [hostFinding(daemonDataRoot, subject,
      `${why}; ${fstab}, then ${restart}. Trade-off: moving the data root means stopping the daemon and copying ${dir} across (or pulling images again), and with nosuid and nodev set-uid programs and device files kept in volumes stop working, so check that images relying on them still run.`)];
  },
};
