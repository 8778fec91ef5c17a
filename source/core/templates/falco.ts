import {canonicalPath, normalisePath} from '../paths.js';
import {falcoValue, oneLine, yamlCondition, yamlQuoted} from './falco-text.js';

/*
 * `fix --falco`: a Falco rules file that watches the hardened workloads for drift. Once a
 * container runs read-only, nothing outside the writable paths chosen for it should ever
 * be opened for writing, no executable that is not in its image should run, and nothing
 * should change file modes or mount file systems. Each of those is a rule here.
 *
 * Only real Falco names are used (see the header written into the file for sources).
 * Workloads that run the same image are judged together, with the union of their writable
 * paths: Falco tells containers apart by image, and one rule per workload would flag a
 * sibling's legitimate writes. Writes to /dev, /proc and /sys are not drift (terminals,
 * /dev/null, procfs), and a path under /run also matches its /var/run alias (Debian and
 * Alpine link the two), as harden's own path checks do.
 */

/** One hardened workload: its name (service or container), image, and the writable paths planned for it. */
export interface FalcoWorkload {
  /** Service, container or workload name; shown in rule names and descriptions only. */
  name: string;
  /** The image reference as the manifest writes it; tag and digest are ignored (Falco matches the repository). */
  image: string;
  /** Absolute container paths it may write (the planned tmpfs and volume mounts); relative ones are ignored. */
  writable: string[];
}

const header = `# Falco rules written by harden-wizard (harden fix --falco): drift detection for the
# hardened workloads. Load them after falco_rules.yaml, which defines the macros
# open_write, spawned_process and container: put this file in /etc/falco/rules.d/ or pass
# it with a second -r.
#
# Names used and where they are documented:
#   open_write, spawned_process, container: macros in falcosecurity/rules, rules/falco_rules.yaml
#   evt.type, evt.dir, evt.res, evt.args, evt.is_open_write, fd.name, fd.typechar,
#   proc.name, proc.pname, proc.exepath, proc.cmdline, proc.is_exe_upper_layer,
#   user.name, user.uid, container.name, container.image.repository, k8s.pod.name,
#   k8s.ns.name: falco.org/docs/reference/rules/supported-fields
#   condition syntax: falcosecurity/libs, userspace/libsinsp/filter/parser.h
#   string escapes: falcosecurity/libs, userspace/libsinsp/filter/escaping.cpp
`;

const context = 'user=%user.name uid=%user.uid container=%container.name image=%container.image.repository pod=%k8s.pod.name ns=%k8s.ns.name';

/** The names `container.image.repository` can take for an image: as written (Docker) and in full (containerd, CRI-O). */
function repositories(image: string): string[] {
  let name = image.trim();
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) name = name.slice(0, colon);
  const parts = name.split('/');
  const first = parts[0] ?? '';
  const domain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : undefined;
  const names = [name];
  if (domain === undefined) names.push(`docker.io/${parts.length > 1 ? name : `library/${name}`}`);
  else if (domain === 'docker.io' || domain === 'index.docker.io') {
    const path = parts.slice(1).join('/');
    names.push(`docker.io/${path}`, path.startsWith('library/') ? path.slice('library/'.length) : path);
  }
  return [...new Set(names)];
}

/** Absolute writable paths, normalised, with their /var/run or /run twin; relative ones cannot be matched and are left out. */
function writablePaths(paths: readonly string[]): string[] {
  const result = new Set<string>();
  for (const raw of paths) {
    if (!raw.startsWith('/')) continue;
    const real = canonicalPath(raw);
    result.add(normalisePath(raw));
    result.add(real);
    for (const [alias, target] of [['/var/run', '/run'], ['/var/lock', '/run/lock']] as const) {
      if (real === target || real.startsWith(`${target}/`)) result.add(alias + real.slice(target.length));
    }
  }
  return [...result].sort();
}

/**
 * One clause per path: the path itself or anything below it, wrapped in parentheses;
 * empty when no path can be written as a Falco value (see falcoValue).
 */
function under(field: string, paths: readonly string[]): string[] {
  const clauses = paths.flatMap(path => {
    if (path === '/') return [`${field} startswith "/"`];
    const below = falcoValue(`${path}/`);
    const self = falcoValue(path);
    if (below === undefined) return [];
    return [self === undefined ? `${field} startswith ${below}` : `${field} = ${self} or ${field} startswith ${below}`];
  });
  return clauses.map((clause, i) => `${i === 0 ? '(' : 'or '}${clause}${i === clauses.length - 1 ? ')' : ''}`);
}

interface Group {
  slug: string;
  names: string[];
  images: string[];
  repositories: string[];
  writable: string[];
}

function groups(workloads: readonly FalcoWorkload[]): Group[] {
  const byImage = new Map<string, Group>();
  const slugs = new Set<string>();
  for (const workload of workloads) {
    const names = repositories(workload.image);
    const key = [...names].sort().join('\u0000');
    let group = byImage.get(key);
    if (!group) {
      const base = `harden_${workload.name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'workload'}`;
      let slug = base;
      for (let n = 2; slugs.has(slug); n++) slug = `${base}_${n}`;
      slugs.add(slug);
      group = {slug, names: [], images: [], repositories: names, writable: []};
      byImage.set(key, group);
    }
    group.names.push(workload.name);
    if (!group.images.includes(workload.image)) group.images.push(workload.image);
    group.writable = writablePaths([...group.writable, ...workload.writable]);
  }
  return [...byImage.values()];
}

function list(name: string, items: readonly string[]): string {
  return `- list: ${name}\n  items: [${items.join(', ')}]\n`;
}

function macro(name: string, lines: readonly string[]): string {
  return `- macro: ${name}\n  condition: ${yamlCondition(lines, '    ')}\n`;
}

function rule(fields: {name: string; desc: string; condition: string[]; output: string; priority: string; tags: string[]}): string {
  return [
    `- rule: ${yamlQuoted(fields.name)}`,
    `  desc: ${yamlQuoted(fields.desc)}`,
    `  condition: ${yamlCondition(fields.condition, '    ')}`,
    `  output: ${yamlQuoted(fields.output)}`,
    `  priority: ${fields.priority}`,
    `  tags: [${fields.tags.join(', ')}]`,
  ].join('\n') + '\n';
}

/** The workloads a group stands for, short enough for a rule name. */
function who(group: Group): string {
  const shown = group.names.slice(0, 3).map(name => oneLine(name, 40));
  return group.names.length > 3 ? `${shown.join(', ')} and ${group.names.length - 3} more` : shown.join(', ');
}

/** The Falco rules file for `workloads` (YAML: lists, macros and rules). */
export function falcoRules(workloads: FalcoWorkload[]): string {
  const all = groups(workloads);
  if (all.length === 0) return `${header}\n[]\n`;
  const items: string[] = [
    list('harden_chmod_syscalls', ['chmod', 'fchmod', 'fchmodat']),
    list('harden_mount_syscalls', ['mount']),
    macro('harden_write_refused', ["(evt.type in (open, openat, openat2) and evt.is_open_write=true and fd.typechar='f' and evt.res=EROFS)"]),
    macro('harden_pseudo_filesystems', ['(fd.name startswith /dev/ or fd.name startswith /proc/ or fd.name startswith /sys/)']),
  ];
  for (const group of all) {
    const repositoryValues = group.repositories.flatMap(name => falcoValue(name) ?? []);
    items.push(macro(`${group.slug}_container`, [`(container and container.image.repository in (${repositoryValues.join(', ')}))`]));
    const writable = under('fd.name', group.writable);
    if (writable.length > 0) {
      items.push(macro(`${group.slug}_writable`, writable));
      items.push(macro(`${group.slug}_exe_in_writable`, under('proc.exepath', group.writable)));
    }
  }
  items.push(macro('harden_workloads', [`(${all.map(g => `${g.slug}_container`).join(' or ')})`]));
  const names = new Set<string>();
  const unique = (name: string) => {
    let result = name;
    for (let n = 2; names.has(result); n++) result = `${name} #${n}`;
    names.add(result);
    return result;
  };
  for (const group of all) {
    const images = group.images.map(image => oneLine(image, 100)).join(', ');
    const writable = under('fd.name', group.writable).length > 0;
    items.push(rule({
      name: unique(`harden drift: write outside the writable paths (${who(group)})`),
      desc: oneLine(`A file opened for writing outside the writable paths harden chose for ${group.names.join(', ')} (image ${images}), or refused by the read-only root file system. Nothing else should change in a hardened container: this is drift, or an intrusion.`, 400),
      condition: ['(open_write or harden_write_refused)', `and ${group.slug}_container`, 'and not harden_pseudo_filesystems', ...(writable ? [`and not ${group.slug}_writable`] : [])],
      output: `Drift: file opened for writing outside the writable paths (file=%fd.name evt_type=%evt.type res=%evt.res process=%proc.name exe=%proc.exepath command=%proc.cmdline ${context})`,
      priority: 'ERROR',
      tags: ['harden', 'drift', 'container', 'filesystem', 'mitre_persistence'],
    }));
    items.push(rule({
      name: unique(`harden drift: executable not in the image (${who(group)})`),
      desc: oneLine(`A program ran that is not part of the image of ${group.names.join(', ')} (image ${images}): written to the container's upper layer${writable ? ' or to one of its writable paths' : ''}. Hardened containers only run what their image shipped.`, 400),
      condition: ['spawned_process', `and ${group.slug}_container`, writable ? `and (proc.is_exe_upper_layer=true or ${group.slug}_exe_in_writable)` : 'and proc.is_exe_upper_layer=true'],
      output: `Drift: executable not in the image ran (exe=%proc.exepath upper_layer=%proc.is_exe_upper_layer process=%proc.name command=%proc.cmdline parent=%proc.pname ${context})`,
      priority: 'CRITICAL',
      tags: ['harden', 'drift', 'container', 'process', 'mitre_execution'],
    }));
  }
  items.push(rule({
    name: unique('harden drift: file mode changed in a hardened container'),
    desc: 'chmod, fchmod or fchmodat in a hardened container, which only runs what its image shipped: often a dropped file made executable.',
    condition: ['evt.type in (harden_chmod_syscalls)', 'and evt.dir=<', 'and harden_workloads'],
    output: `Drift: file mode changed in a hardened container (evt_type=%evt.type args=%evt.args res=%evt.res process=%proc.name command=%proc.cmdline ${context})`,
    priority: 'WARNING',
    tags: ['harden', 'drift', 'container', 'filesystem', 'mitre_defense_evasion'],
  }));
  items.push(rule({
    name: unique('harden drift: mount in a hardened container'),
    desc: 'mount called in a hardened container: nothing in it should mount file systems, and a mount that succeeds can bypass the read-only root.',
    condition: ['evt.type in (harden_mount_syscalls)', 'and evt.dir=<', 'and harden_workloads'],
    output: `Drift: mount attempted in a hardened container (args=%evt.args res=%evt.res process=%proc.name command=%proc.cmdline ${context})`,
    priority: 'ERROR',
    tags: ['harden', 'drift', 'container', 'filesystem', 'mitre_privilege_escalation'],
  }));
  return `${header}\n${items.join('\n')}`;
}
