import type {AuditReport, PodSecurity, Target} from '../model/finding.js';
import type {Paint} from './paint.js';
import {compareText, location, plural, printable, wrap} from './text-parts.js';

/*
 * The Pod Security Standards profile of each Kubernetes target's pod
 * (kubernetes.io/docs/concepts/security/pod-security-standards): one line per target in the
 * long layout, one section per profile in the default one.
 */

const profiles: readonly PodSecurity['profile'][] = ['privileged', 'baseline', 'restricted'];

function next(profile: PodSecurity['profile']): string {
  return profile === 'privileged' ? 'baseline' : 'restricted';
}

/** `Pod Security Standards: baseline (not restricted: web: ..., and 5 more)`: the profile and the first gap. */
export function podSecurityLines(pss: PodSecurity, paint: Paint, width: number): string[] {
  const more = pss.unmet.length > 1 ? `, and ${pss.unmet.length - 1} more` : '';
  const gaps = pss.unmet.length > 0 ? ` (not ${next(pss.profile)}: ${pss.unmet[0]}${more})` : '';
  const [first = '', ...rest] = wrap(printable(`Pod Security Standards: ${pss.profile}${gaps}`), 4, width);
  return [paint(pss.profile === 'restricted' ? 'green' : 'dim', first), ...rest.map(line => paint('dim', line))];
}

/** Counts by profile, then the places of each profile below restricted, each with its first gap. */
export function* podSecuritySection(report: AuditReport, paint: Paint, width: number): Generator<string> {
  const rated = report.targets.filter((t): t is Target & {podSecurity: PodSecurity} => t.podSecurity !== undefined);
  if (rated.length === 0) return;
  const counts = profiles.map(p => [p, rated.filter(t => t.podSecurity.profile === p).length] as const).filter(([, n]) => n > 0);
  yield '';
  yield paint('bold', `Pod Security Standards (${plural(rated.length, 'Kubernetes container')}): ${counts.map(([p, n]) => `${n} ${p}`).join(', ')}`);
  const ordered = [...rated].sort((a, b) => compareText(a.file, b.file) || a.line - b.line);
  for (const profile of profiles.slice(0, 2)) {
    for (const t of ordered.filter(r => r.podSecurity.profile === profile)) {
      const gap = t.podSecurity.unmet.length > 0 ? `: not ${next(profile)}: ${t.podSecurity.unmet[0]}${t.podSecurity.unmet.length > 1 ? `, and ${t.podSecurity.unmet.length - 1} more` : ''}` : '';
      const [first = '', ...rest] = wrap(printable(`${profile} ${location(t.file, t.line)} ${t.name}${gap}`), 4, width);
      yield* [first.slice(2), ...rest];
    }
  }
}
