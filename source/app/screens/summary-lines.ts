import type {PlannedChange} from '../../core/model/plan.js';
import {daemonCommand, labelOf, notVerifiedHint, plural} from '../components/labels.js';
import {wrapText} from '../components/window.js';
import {reportPlan} from '../wizard/choices.js';
import type {Session, SummaryState, WizardState} from '../wizard/state.js';

/** One line of the summary, with the colour it is shown in. */
export interface SummaryLine {
  text: string;
  color?: 'green' | 'red' | 'yellow' | 'cyan';
  bold?: boolean;
  dim?: boolean;
}

function describe(changes: readonly PlannedChange[]): string {
  const parts: string[] = [];
  const mounts = changes.filter(c => c.kind === 'writable');
  for (const change of changes) {
    if (change.kind === 'read-only') parts.push('read-only root');
    else if (change.kind === 'no-new-privileges') parts.push('no-new-privileges');
    else if (change.kind === 'cap-drop-all') parts.push(`all capabilities dropped${change.add ? ` but ${change.add.join(', ')}` : ''}`);
    else if (change.kind === 'seccomp') parts.push('seccomp RuntimeDefault');
    else if (change.kind === 'mount-read-only') parts.push(`${change.target} read-only`);
    else if (change.kind === 'run-as') parts.push(`runs as ${change.user ?? change.uid ?? 'non-root'}`);
    else if (change.kind === 'multi-stage') parts.push(`multi-stage: FROM ${change.runtimeBase}, USER ${change.user}`);
    else if (change.kind === 'dockerfile-user') parts.push(`USER ${change.user}`);
  }
  if (mounts.length > 0) parts.push(`${plural(mounts.length, 'writable mount')} (${mounts.map(m => (m.kind === 'writable' ? m.mount.path : '')).join(', ')})`);
  return parts.join('; ');
}

/** Steps 9 and 10: the optional outputs written and the host's findings. */
function beyondLines(state: SummaryState): SummaryLine[] {
  const out: SummaryLine[] = [];
  const extras = state.beyond?.extras;
  out.push({text: ''}, {text: 'Beyond read-only', bold: true});
  if (!extras || (extras.written.length === 0 && extras.notes.length === 0)) out.push({text: '  Not chosen: harden fix --pin-digests, --falco and --signing make them later.', dim: true});
  else {
    if (extras.written.length > 0) out.push({text: `  Wrote ${extras.written.join(', ')}.`, color: 'green'});
    for (const note of extras.notes) out.push({text: `  ${note}`, color: 'yellow'});
  }
  const host = state.beyond?.host;
  out.push({text: ''}, {text: 'Host', bold: true});
  if (!host) out.push({text: '  Not checked: harden audit --host checks the daemon and the node.', dim: true});
  else {
    if (host.findings.length === 0) out.push({text: '  No findings for the daemon and the node.', color: 'green'});
    for (const finding of host.findings) out.push({text: `  ${finding.severity}: ${finding.rule} (${finding.file})`, color: finding.severity === 'high' || finding.severity === 'medium' ? 'yellow' : undefined});
    for (const error of host.errors) out.push({text: `  could not check: ${error.file}: ${error.message}`, color: 'yellow'});
    if (host.daemon && 'written' in host.daemon) out.push({text: `  Wrote ${host.daemonFile}: reload, then restart the daemon to apply it.`, color: 'green'});
    else if (host.daemon) out.push({text: `  ${host.daemonFile} not written: ${host.daemon.error}; as root: ${daemonCommand(host.daemonFile ?? '/etc/docker/daemon.json')}`, color: 'red'});
  }
  return out;
}

/** Step 11's text: what was hardened, what was verified, what remains, what to do next. */
export function summaryLines(state: SummaryState): SummaryLine[] {
  const out: SummaryLine[] = [];
  const {scan, applied, verified, choices} = state;
  const plan = reportPlan(applied, state.plan);
  const written = [...new Set(applied.flatMap(a => a.written))];

  out.push({text: 'Hardened', bold: true});
  if (written.length === 0) out.push({text: '  Nothing was written; the project is as it was.', dim: true});
  else {
    out.push({text: `  Wrote ${written.join(', ')}.`, color: 'green'});
    for (const target of applied.length > 0 ? (plan?.targets ?? []) : []) {
      if (target.changes.length > 0) out.push({text: `  ${labelOf(scan, target.target.id)}: ${describe(target.changes)}`});
    }
  }

  out.push({text: ''}, {text: 'Verified', bold: true});
  if (scan.engineProblem !== undefined) out.push({text: `  Not verified: no container engine (${scan.engineProblem}). Run harden verify where Docker runs.`, color: 'yellow'});
  else if (written.length === 0) out.push({text: '  Not verified: nothing was written.', dim: true});
  else if (verified.length === 0) out.push({text: '  Not verified: verification was stopped or had nothing to run.', color: 'yellow'});
  else {
    for (const result of verified) {
      if (result.notVerified) {
        out.push({text: `  – ${labelOf(scan, result.target)}: not verified: ${result.notVerified.why} (${notVerifiedHint(result.notVerified.why)})`, color: 'yellow'});
        continue;
      }
      const failed = result.checks.filter(c => !c.ok).map(c => c.name);
      out.push({text: `  ${result.ok ? '✓' : '✗'} ${labelOf(scan, result.target)}: ${result.ok ? 'builds and runs read-only' : `${failed.join(', ')} failed`}`, color: result.ok ? 'green' : 'red'});
    }
  }
  const k8s = scan.analysis.report.targets.filter(t => t.kind === 'k8s-container' && choices.selected.includes(t.id));
  if (k8s.length > 0 && written.length > 0) out.push({text: `  ${plural(k8s.length, 'Kubernetes container')} not run here: apply the manifests to a test cluster.`, dim: true});

  out.push({text: ''}, {text: 'What remains', bold: true});
  const remains: SummaryLine[] = [];
  for (const target of plan?.targets ?? []) {
    for (const skip of target.skipped) remains.push({text: `  ${labelOf(scan, target.target.id)}: ${skip.what}: ${skip.reason}`, color: 'yellow'});
  }
  for (const file of choices.skippedFiles) if (plan?.files.some(f => f.file === file) || state.plan?.files.some(f => f.file === file)) remains.push({text: `  ${file}: skipped in review, not written`, color: 'yellow'});
  for (const error of plan?.errors ?? []) remains.push({text: `  ${error.file}:${error.line}: ${error.message} (left untouched)`, color: 'red'});
  out.push(...(remains.length > 0 ? remains : [{text: '  Nothing: every finding of the chosen targets is handled.', color: 'green' as const}]));

  out.push(...beyondLines(state));
  out.push(...undoLines(state).map(text => ({text, color: 'cyan' as const})));

  out.push({text: ''}, {text: 'Next steps', bold: true});
  if (verified.some(r => !r.ok && !r.notVerified)) out.push({text: '  Fix what failed above, then run harden verify again.'});
  if (written.length > 0) out.push({text: '  Review and commit the changes; harden audit now reports only what remains.'});
  out.push({text: '  Run harden audit in CI so the containers stay read-only, minimal and non-root.'});
  return out;
}

/** One backup the session made: its id and what `harden undo` does with it. */
export interface SessionBackup {
  id: string;
  what: string;
}

/** Every backup this session made, newest first: the order in which each `harden undo` restores one. */
export function backupsOf(state: Session): SessionBackup[] {
  const backups: SessionBackup[] = [];
  // Short: the files are listed above; a backup says which write it takes back.
  const files = (written: readonly string[]) => (written.length === 1 ? written[0]! : plural(written.length, 'file'));
  for (const write of state.applied) if (write.backupId !== undefined) backups.push({id: write.backupId, what: `undoes the hardening of ${files(write.written)}`});
  const extras = state.beyond?.extras;
  if (extras?.backupId !== undefined) backups.push({id: extras.backupId, what: `undoes ${files(extras.written)} beyond read-only`});
  const host = state.beyond?.host;
  if (host?.daemon && 'written' in host.daemon && host.daemon.backupId !== undefined) backups.push({id: host.daemon.backupId, what: `puts back ${host.daemonFile ?? 'daemon.json'}`});
  if (host?.copied && 'written' in host.copied && host.copied.backupId !== undefined) backups.push({id: host.copied.backupId, what: 'removes the harden-host/ copy of the host notes'});
  // Ids start with the time they were made: sorted, they are in the order undo takes them.
  return backups.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** How to undo: each `harden undo` restores the newest backup; every backup is listed, so none is a surprise. */
export function undoLines(state: Session): string[] {
  const backups = backupsOf(state);
  if (backups.length === 0) return [];
  const first = backups[0]!;
  const lines = ['', 'Undo'];
  lines.push(
    backups.length === 1
      ? `  harden undo restores backup ${first.id}: it ${first.what}.`
      : `  Each harden undo restores one backup, newest first; the first ${first.what}. Run it ${backups.length} times to undo everything:`,
  );
  if (backups.length > 1) backups.forEach((backup, i) => lines.push(`  ${i + 1}. ${backup.id}: ${backup.what}`));
  return lines;
}

/**
 * What the terminal keeps once the wizard is gone (Ink clears its own frame): what changed,
 * how each target verified, where the report is, and how to undo. Plain text, no colour.
 */
export function exitSummary(state: WizardState, width = 80): string {
  if (!('applied' in state)) return 'harden: nothing was written.\n';
  const written = [...new Set(state.applied.flatMap(a => a.written))];
  const extras = state.beyond?.extras?.written ?? [];
  const host = state.beyond?.host;
  const lines = ['harden: what changed'];
  if (written.length + extras.length === 0 && !(host?.daemon && 'written' in host.daemon) && !(host?.copied && 'written' in host.copied)) lines.push('  Nothing was written; the project is as it was.');
  if (written.length > 0) lines.push(`  Hardened: ${written.join(', ')}`);
  if (extras.length > 0) lines.push(`  Beyond read-only: ${extras.join(', ')}`);
  if (host?.daemon && 'written' in host.daemon) lines.push(`  Host: ${host.daemonFile ?? 'daemon.json'} (reload, then restart the daemon to apply it)`);
  if (host?.copied && 'written' in host.copied) lines.push(`  Host notes: ${host.copied.written.join(', ')}`);
  if (written.length > 0) {
    lines.push('', 'Verified');
    if (state.scan.engineProblem !== undefined) lines.push(`  not verified: no container engine (${state.scan.engineProblem})`);
    else if (state.verified.length === 0) lines.push('  not verified: verification was stopped or had nothing to run');
    for (const result of state.verified) {
      const label = labelOf(state.scan, result.target);
      if (result.notVerified) lines.push(`  – ${label}: not verified: ${result.notVerified.why}`);
      else if (result.ok) lines.push(`  ✓ ${label}: passed`);
      else lines.push(`  ✗ ${label}: failed: ${result.checks.filter(c => !c.ok).map(c => c.name).join(', ')}`);
    }
  }
  const saved = state.step === 'summary' ? state.saved : undefined;
  if (saved && 'files' in saved) lines.push('', `Report: ${saved.files.join(', ')}`);
  else if (saved) lines.push('', `Report not saved: ${saved.error}`);
  lines.push(...undoLines(state));
  // Wrapped here: the terminal would break long lines inside words.
  return lines.flatMap(line => wrapText(line, width - 1, 4)).join('\n') + '\n';
}
