import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {configFile, configPlace, daemonSetting, hostFinding, restart, settingLocation} from './host-facts.js';
import type {Rule} from './rule.js';

/*
 * Root in a container is root on the host unless the daemon remaps user namespaces or runs
 * rootless. The engine reports both in SecurityOptions (`name=userns`, `name=rootless`), so
 * this is judged from what the running daemon does, not from what its files say: a
 * "userns-remap" written but not yet in force (no restart since) is called out as such.
 */
export const daemonUserns: Rule = {
  id: 'daemon-userns',
  severity: 'medium',
  title: 'No user-namespace remapping and not rootless',
  why: 'Without userns-remap or rootless mode, uid 0 in a container is uid 0 on the host, so a process that escapes a container, or writes through a bind mount, acts as root there.',
  fix: 'Add "userns-remap": "default" to /etc/docker/daemon.json and restart the daemon, or run Docker rootless.',
  fixable: false,
  check(subject: Subject): Finding[] {
    if (subject.kind !== 'host' || !subject.host.engine) return [];
    const {host} = subject;
    const engine = host.engine!;
    if (engine.rootless || engine.userns) return [];
    const setting = daemonSetting(host, 'userns-remap');
    const file = configFile(host);
    const pending = typeof setting?.value === 'string' && setting.value !== ''
      ? ` (${setting.from === 'flag' ? 'dockerd\'s command line' : `line ${setting.line} of ${file}`} sets "userns-remap", but the running daemon does not use it: restart it)`
      : '';
    const dataRoot = engine.dockerRootDir || '/var/lib/docker';
    return [hostFinding(daemonUserns, subject,
      `The daemon neither remaps user namespaces nor runs rootless${pending}, so uid 0 in a container is uid 0 on the host, and a process that escapes a container (or writes through a bind mount) acts as root there; add the line "userns-remap": "default" to ${configPlace(host)} (Docker creates the dockremap user and its /etc/subuid and /etc/subgid ranges), then ${restart}, or run Docker rootless (dockerd-rootless-setuptool.sh install). Trade-off: with userns-remap, images and containers move to a new data root under ${dataRoot} (pull or build again), files in bind mounts and volumes must be owned by the remapped ids (100000 and up), and --privileged, --pid=host and --network=host need --userns=host; rootless Docker cannot publish ports below 1024 unless net.ipv4.ip_unprivileged_port_start is lowered (or rootlesskit gets cap_net_bind_service), and its networking is slower.`,
      settingLocation(host, setting))];
  },
};
