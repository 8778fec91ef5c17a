import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {elsewhere, finding} from './effective.js';
import {chosenWritable, fileSubject, hostMounts, isRuntimeSocket} from './host-access.js';
import {onlyRead} from '../knowledge/read-only-mounts.js';
import type {Rule} from './rule.js';

/*
 * A writable host mount is a hole in the read-only root that reaches the host: what the
 * container writes there changes the host and outlives every restart. A mount on a path
 * the app is known to write (a database's data directory) is the writable path chosen on
 * purpose and is not reported. Fixable only where the app is known to only read there (a
 * database's init scripts, a single configuration file: knowledge/read-only-mounts.ts) and
 * the mount is compose's short syntax in the service's own file; elsewhere only a person
 * knows whether the app writes there.
 */
export const hostMountWritable: Rule = {
  id: 'host-mount-writable',
  severity: 'medium',
  title: 'Host directory is mounted writable',
  why: 'A writable host mount lets the container change the host\'s files and keep changes across restarts, outside its read-only root.',
  fix: 'Mount it read-only (":ro" or "read_only: true" in compose, readOnly: true on the volumeMount) unless the app must write there.',
  fixable: true,
  check(subject: Subject): Finding[] {
    const file = fileSubject(subject);
    if (!file) return [];
    const compose = file.kind === 'compose-service';
    const where = compose ? `service "${file.service.name}"` : `container "${file.container.name}"`;
    const fix = compose ? 'add ":ro" to the short syntax or "read_only: true" to the long one' : 'set readOnly: true on the volumeMount';
    const writable = hostMounts(file).filter(mount => !mount.readOnly && !isRuntimeSocket(mount.source));
    // The write hints are the costly part, and most services mount nothing from the host.
    if (writable.length === 0) return [];
    const chosen = chosenWritable(file);
    return writable.filter(mount => !chosen(mount)).map(mount => {
      // A mount an override sets is left: the fix edits the target's own file.
      const reads = !compose || mount.file === undefined ? onlyRead(mount.target) : undefined;
      const how = !compose ? 'sets readOnly: true' : mount.short === true ? 'adds ":ro"' : 'adds "read_only: true"';
      const result = finding(hostMountWritable, file, mount,
        `${where} mounts the host's ${mount.source ?? 'directory'}${elsewhere(file, mount)} writable at ${mount.target}, so it can change the host and keep changes across restarts, outside its read-only root; ${reads ? `harden ${how} (${reads})` : `if it only reads there, ${fix} (harden does not: only you know whether it writes there)`}.`,
        {path: mount.target, detail: `${mount.source ?? 'a host directory'}${elsewhere(file, mount)} at ${mount.target}`});
      return reads ? result : {...result, fixable: false};
    });
  },
};
