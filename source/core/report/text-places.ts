import type {Target, TargetKind} from '../model/finding.js';
import {groupBy, location, printable} from './text-parts.js';

/** Where a finding is: a Finding is one, and so is a target listed as an exception. */
export interface Place {
  file: string;
  line: number;
  /** The target's id. */
  target: string;
}

/** What the lists need to know about the audit's targets. */
export interface PlaceContext {
  targets: ReadonlyMap<string, Target>;
  /** Each kind's targets, in file and line order. */
  byKind: ReadonlyMap<TargetKind, readonly Target[]>;
  width: number;
}

export const kindNames: Record<TargetKind, [string, string]> = {
  'dockerfile': ['Dockerfile', 'Dockerfiles'],
  'compose-service': ['compose service', 'compose services'],
  'k8s-container': ['Kubernetes container', 'Kubernetes containers'],
  'container': ['container', 'containers'],
  'host': ['host', 'hosts'],
};

/** `file:line` and the target's name; a Dockerfile's name is its file's, so it is not repeated. */
function entry(p: Place, targets: ReadonlyMap<string, Target>, sameFile: boolean): string {
  const name = targets.get(p.target)?.name ?? p.target.slice(p.target.indexOf('#') + 1);
  const where = sameFile ? (p.line >= 1 ? `:${p.line}` : '') : location(p.file, p.line);
  const base = p.file.slice(p.file.lastIndexOf('/') + 1);
  return printable(name === base || name === '' ? where : `${where} ${name}`.trim());
}

/**
 * The places, packed after `lead` (the group's detail, if any): `a/compose.yaml:3 web,
 * :11 db; b/compose.yaml:2 api`, the file named once for its entries, as many files a
 * line as the width allows (a collection of 40 apps has some 500 findings: one a line
 * would be 500 lines). A file starts a new line when its entries do not fit on the
 * current one, so files can be found at line starts; a file too long for a line of its
 * own goes on below at an entry boundary. An entry wider than a line is kept whole.
 */
function packed(lead: string[], places: readonly Place[], targets: ReadonlyMap<string, Target>, indent: number, width: number): string[] {
  const lines = lead.slice(0, -1);
  const pad = ' '.repeat(indent);
  let line = lead.at(-1) ?? '';
  // Before the next file: a space after the detail, `; ` after another file.
  let separator = line === '' ? '' : ' ';
  // Room is kept on every line for the `;` or `,` that may follow.
  const fits = (extra: number) => line.length + extra + 1 <= width;
  for (const [, own] of groupBy(places, p => p.file)) {
    const entries = own.map((p, i) => entry(p, targets, i > 0));
    const whole = entries.join(', ');
    if (line === '' || fits(separator.length + whole.length)) {
      line = line === '' ? `${pad}${whole}` : `${line}${separator}${whole}`;
      if (line.length <= width) {
        separator = '; ';
        continue;
      }
      // Too long for a line of its own: undo, and break it between entries below.
      line = '';
    }
    if (line !== '') lines.push(separator === '; ' ? `${line};` : line);
    line = `${pad}${entries[0]!}`;
    for (const text of entries.slice(1)) {
      if (fits(2 + text.length)) line = `${line}, ${text}`;
      else {
        lines.push(`${line},`);
        line = `${pad}  ${text}`;
      }
    }
    separator = '; ';
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * The same places said the other way round, when they are every target of one kind but a
 * few: `every compose service (90 of 95) except a/compose.yaml:2 web; ...`. A rule that
 * no service of a collection meets listed 40 lines of places that said only that. Only
 * when each finding is at its target's own line, one per target, so no place is lost.
 */
function everyExcept(lead: string[], places: readonly Place[], context: PlaceContext, indent: number): string[] | undefined {
  const first = context.targets.get(places[0]?.target ?? '');
  if (first === undefined) return undefined;
  const all = context.byKind.get(first.kind) ?? [];
  // Fewer than half of them: the exceptions would be the longer list.
  if (all.length < 2 || places.length * 2 <= all.length) return undefined;
  const hit = new Set<string>();
  for (const p of places) {
    const t = context.targets.get(p.target);
    if (t === undefined || t.kind !== first.kind || t.file !== p.file || t.line !== p.line || hit.has(t.id)) return undefined;
    hit.add(t.id);
  }
  const except: Place[] = all.filter(t => !hit.has(t.id)).map(t => ({file: t.file, line: t.line, target: t.id}));
  const noun = kindNames[first.kind][0];
  const phrase = except.length === 0 ? `every ${noun} (${all.length})` : `every ${noun} (${places.length} of ${all.length}) except`;
  const last = lead.at(-1) ?? '';
  const pad = ' '.repeat(indent);
  const start = last === '' ? [`${pad}${phrase}`] : `${last} ${phrase}`.length <= context.width ? [`${last} ${phrase}`] : [last, `${pad}${phrase}`];
  // The exceptions go on indented below the phrase, so the list reads as part of it.
  return packed([...lead.slice(0, -1), ...start], except, context.targets, indent + 2, context.width);
}

/**
 * The places of one group after its lead: listed, or as every target of a kind but some
 * where that is shorter. Places of several kinds (a repository's compose services and its
 * Kubernetes containers) are said kind by kind when that is shorter.
 */
export function placeLines(lead: string[], places: readonly Place[], context: PlaceContext, indent: number): string[] {
  const listed = packed(lead, places, context.targets, indent, context.width);
  const byKind = groupBy(places, p => context.targets.get(p.target)?.kind ?? '');
  let other: string[] | undefined;
  if (byKind.size === 1) other = everyExcept(lead, places, context, indent);
  else if (!byKind.has('')) {
    const parts = [...byKind.values()];
    const said = parts.map((part, i) => {
      const partLead = i === 0 ? lead : [];
      const every = everyExcept(partLead, part, context, indent);
      const list = packed(partLead, part, context.targets, indent, context.width);
      return every !== undefined && every.length < list.length ? {lines: every, every: true} : {lines: list, every: false};
    });
    if (said.some(s => s.every)) other = said.flatMap(s => s.lines);
  }
  return other !== undefined && other.length < listed.length ? other : listed;
}
