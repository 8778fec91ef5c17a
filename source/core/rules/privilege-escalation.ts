import type {Located, Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {containerFinding, named, recreate} from './container-facts.js';
import {composeReset, elsewhere, finding} from './effective.js';
import type {Rule} from './rule.js';

/*
 * Without no_new_privs a setuid binary (or file capabilities) can raise a process's
 * privileges, and a root process can remount or rewrite what the read-only setting
 * was meant to protect. Docker spells the option three ways; `:false` disables it.
 */
export const privilegeEscalation: Rule = {
  id: 'privilege-escalation',
  severity: 'low',
  title: 'Privilege escalation is allowed',
  why: 'setuid binaries and file capabilities let a compromised process gain privileges it can then use to undo the container\'s read-only and non-root settings.',
  fix: 'Add security_opt: ["no-new-privileges:true"] to the compose service, or securityContext.allowPrivilegeEscalation: false to the container.',
  fixable: true,
  check(subject: Subject): Finding[] {
    if (subject.kind === 'compose-service') {
      const {service} = subject;
      const options = service.securityOpt.map(option => ({option, enabled: noNewPrivileges(option.value)})).filter(o => o.enabled !== undefined);
      if (options.at(-1)?.enabled === true) return [];
      const off: Located<string> | undefined = options.at(-1)?.option;
      const reset = off ? undefined : composeReset(service, 'security_opt');
      const found = off ? `security_opt "${off.value}"${elsewhere(subject, off)}` : reset ? `"security_opt: !reset"${elsewhere(subject, reset)}` : '';
      const why = off ? `${found} turns no_new_privs off`
        : reset ? `${found} leaves service "${service.name}" without the "no-new-privileges" security option`
        : `Service "${service.name}" has no "no-new-privileges" security option`;
      return [finding(privilegeEscalation, subject, off ?? reset ?? service,
        `${why}, so a setuid binary can raise a compromised process's privileges past what the read-only, non-root setup allows; add "no-new-privileges:true" to security_opt of service "${service.name}".`, {detail: found})];
    }
    if (subject.kind === 'k8s-container') {
      const {container} = subject;
      const setting = container.security.allowPrivilegeEscalation;
      if (setting?.value === false) return [];
      const why = setting ? 'allowPrivilegeEscalation: true lets' : `Without allowPrivilegeEscalation: false (it defaults to true) container "${container.name}" lets`;
      return [finding(privilegeEscalation, subject, setting?.line ?? container.line,
        `${why} a setuid binary raise a compromised process's privileges past what the read-only, non-root setup allows; set securityContext.allowPrivilegeEscalation: false on container "${container.name}".`,
        {detail: setting ? 'allowPrivilegeEscalation: true' : ''})];
    }
    if (subject.kind === 'container') {
      const {container} = subject;
      if (container.noNewPrivileges) return [];
      // A daemon-wide "no-new-privileges": true in daemon.json does not show in inspect.
      return [containerFinding(privilegeEscalation, subject,
        `${named(container)} runs without the "no-new-privileges" security option, so a setuid binary can raise a compromised process's privileges past what the read-only, non-root setup allows; ${recreate(container, '--security-opt no-new-privileges ...', 'security_opt: ["no-new-privileges:true"]')} (unless the daemon sets it for every container in daemon.json, which inspect does not show).`)];
    }
    return [];
  },
};

/** true/false for a no-new-privileges option, undefined for any other option. */
export function noNewPrivileges(option: string): boolean | undefined {
  const match = /^no-new-privileges(?:[:=](\w+))?$/i.exec(option.trim());
  if (!match) return undefined;
  return match[1] === undefined || match[1].toLowerCase() === 'true';
}
