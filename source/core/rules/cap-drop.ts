import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {finding} from './effective.js';
import {dropsAll, fileSubject, needsHost} from './host-access.js';
import type {Rule} from './rule.js';

/*
 * Docker and containerd give every container a default set (CHOWN, DAC_OVERRIDE, FOWNER,
 * SETUID, NET_RAW, ...): root in the container may rewrite any file it can reach. The fix
 * drops all and adds back NET_BIND_SERVICE for a port below 1024, and for a process that
 * still runs as root only what an entrypoint needs to step down to its user.
 */
export const capDrop: Rule = {
  id: 'cap-drop',
  severity: 'medium',
  title: 'Capabilities are not dropped',
  why: 'The default capabilities let a root process override file permissions and ownership, so it can rewrite what a read-only or non-root setup leaves it.',
  fix: 'Drop all capabilities (cap_drop: [ALL], capabilities.drop: [ALL]) and add back only what the app needs, such as NET_BIND_SERVICE for a port below 1024.',
  fixable: true,
  check(subject: Subject): Finding[] {
    const file = fileSubject(subject);
    if (!file || dropsAll(file)) return [];
    const compose = file.kind === 'compose-service';
    const name = compose ? `service "${file.service.name}"` : `container "${file.container.name}"`;
    const leave = needsHost(file);
    const fix = compose ? `set cap_drop: [ALL] on ${name}` : `set securityContext.capabilities.drop: [ALL] on ${name}`;
    const message = `${name[0]!.toUpperCase()}${name.slice(1)} keeps the default capabilities, so a root process in it can override file permissions and ownership and rewrite what the read-only, non-root setup leaves writable; ${fix} and add back only what it needs`
      + (leave ? ` (harden leaves it: ${leave}).` : ' (harden adds back NET_BIND_SERVICE when it listens below 1024).');
    // The rule's own text says the rest; only a trade-off sets a finding apart in the grouped report.
    const result = finding(capDrop, file, compose ? file.service : file.container.line, message, {detail: leave ? `harden leaves it: ${leave}` : ''});
    return [leave ? {...result, fixable: false} : result];
  },
};
