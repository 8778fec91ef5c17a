import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {configFile, configPlace, daemonSetting, hostFinding, restart, settingLocation, unreadNote} from './host-facts.js';
import type {Rule} from './rule.js';

/*
 * The daemon-wide default for no_new_privs. `docker info` does not report it (its
 * SecurityOptions list seccomp, apparmor, selinux, userns, rootless, cgroupns only), so it is
 * read from daemon.json and dockerd's command line. When neither can be read (the engine is
 * on another machine), the finding says it could not check instead of guessing.
 */
export const daemonNoNewPrivileges: Rule = {
  id: 'daemon-no-new-privileges',
  severity: 'medium',
  title: 'Daemon does not default containers to no-new-privileges',
  why: 'Without the daemon-wide default, every container started without --security-opt no-new-privileges lets a setuid binary raise a compromised process\'s privileges, whatever its read-only, non-root setup.',
  fix: 'Add "no-new-privileges": true to /etc/docker/daemon.json (or start dockerd with --no-new-privileges) and restart the daemon.',
  fixable: false,
  check(subject: Subject): Finding[] {
    if (subject.kind !== 'host' || !subject.host.engine) return [];
    const {host} = subject;
    const setting = daemonSetting(host, 'no-new-privileges');
    if (setting?.value === true) return [];
    const file = configFile(host);
    if (!setting && host.elsewhere && !host.daemonConfig) {
      return [hostFinding(daemonNoNewPrivileges, subject,
        `Could not check whether the daemon defaults containers to no-new-privileges: ${host.elsewhere}, and the engine does not report this setting; on that host, make sure ${configPlace(host)} has the line "no-new-privileges": true (or dockerd runs with --no-new-privileges).`,
        {severity: 'info'})];
    }
    const why = setting?.from === 'flag'
      ? `dockerd runs with --no-new-privileges=${String(setting.value)}`
      : setting
        ? `"no-new-privileges": ${JSON.stringify(setting.value)} in ${file} does not turn the daemon-wide default on`
        : `Neither ${file} nor dockerd's command line sets "no-new-privileges"`;
    const fix = setting?.from === 'flag'
      ? 'remove --no-new-privileges=false from dockerd\'s command line (its systemd unit or /etc/default/docker) and add the line "no-new-privileges": true to ' + file
      : setting
        ? `change line ${setting.line} of ${file} to "no-new-privileges": true`
        : `add the line "no-new-privileges": true to ${file} (a new file is {"no-new-privileges": true})`;
    return [hostFinding(daemonNoNewPrivileges, subject,
      `${why}${unreadNote(host)}, so every container started without --security-opt no-new-privileges lets a setuid binary raise a compromised process's privileges past its read-only, non-root setup; ${fix}, then ${restart}. Trade-off: set-uid programs (sudo, su, ping in old images) no longer gain privileges in any container; a container that needs them must opt out with --security-opt no-new-privileges=false.`,
      settingLocation(host, setting))];
  },
};
