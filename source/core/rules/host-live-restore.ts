import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {configPlace, daemonSetting, hostFinding, settingLocation} from './host-facts.js';
import type {Rule} from './rule.js';

/*
 * Judged from `LiveRestoreEnabled`, which the engine reports. Swarm mode refuses
 * live-restore, so a Swarm node gets no finding: its answer is rolling service updates.
 */
export const daemonLiveRestore: Rule = {
  id: 'daemon-live-restore',
  severity: 'low',
  title: 'live-restore is off',
  why: 'Without live-restore, stopping or restarting the daemon stops every container, so an upgrade or a config change becomes an outage and what comes back is whatever restart policies start, not a deliberate roll back to a known image.',
  fix: 'Add "live-restore": true to /etc/docker/daemon.json and reload the daemon (SIGHUP; no restart needed).',
  fixable: false,
  check(subject: Subject): Finding[] {
    if (subject.kind !== 'host' || !subject.host.engine) return [];
    const {host} = subject;
    if (host.engine!.liveRestore || host.engine!.swarm) return [];
    const setting = daemonSetting(host, 'live-restore');
    const why = setting?.value === false ? `"live-restore" is set to false${setting.from === 'flag' ? ' on dockerd\'s command line' : ''}` : 'live-restore is off';
    return [hostFinding(daemonLiveRestore, subject,
      `${why}, so stopping or restarting the daemon (an upgrade, or the restarts other daemon settings need) stops every container, and what comes back is whatever restart policies start rather than a roll back to a known image when you choose; add the line "live-restore": true to ${configPlace(host)} and reload the daemon (systemctl reload docker, or SIGHUP to dockerd: this setting needs no restart). Trade-off: Swarm mode refuses it, and a container whose output is not read during a long daemon outage blocks once its log pipe (64 KiB) is full.`,
      settingLocation(host, setting))];
  },
};
