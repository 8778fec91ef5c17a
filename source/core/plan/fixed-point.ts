import type {LoadedFile} from '../audit.js';
import type {AuditError} from '../model/finding.js';
import type {FilePatch, Plan, Skipped, TargetPlan} from '../model/plan.js';

/*
 * One fix, one fixed point (issue 15). A change to one file can change what another
 * needs: a Dockerfile given a non-root USER makes its compose service's nginx need /tmp.
 * Planning once left that to a second `harden fix`. The plan is now repeated on its own
 * output, in memory, until a round changes nothing; these helpers carry the rounds.
 */

/** The files as the next round reads them: every patched text in place, created files added. */
export function filesAfter(files: readonly LoadedFile[], plan: Plan): LoadedFile[] {
  const patched = new Map(plan.files.map(f => [f.file, f]));
  const next = files.map(loaded => {
    const patch = patched.get(loaded.file);
    return patch && loaded.text !== undefined ? {...loaded, text: patch.text} : loaded;
  });
  const known = new Set(files.map(f => f.file));
  // Files a patcher creates are Kubernetes manifests (a PersistentVolumeClaim beside the workload).
  for (const patch of plan.files) if (!known.has(patch.file)) next.push({file: patch.file, type: 'yaml', text: patch.text, bom: patch.bom});
  return next;
}

/**
 * The plan of all rounds against the files as they were: each file's first hash and final
 * text, every change made in any round, and what is still not done as the last round saw it
 * (earlier rounds' reasons may have been resolved by a later change).
 */
export function combineRounds(rounds: readonly Plan[], original: readonly LoadedFile[]): Plan {
  const last = rounds.at(-1)!;
  const targets = new Map<string, TargetPlan>();
  for (const round of rounds) {
    for (const plan of round.targets) {
      const seen = targets.get(plan.target.id);
      if (seen) seen.changes.push(...plan.changes);
      else targets.set(plan.target.id, {target: plan.target, changes: [...plan.changes], skipped: []});
    }
  }
  const first = new Map(rounds[0]!.targets.map(plan => [plan.target.id, plan.skipped]));
  for (const plan of last.targets) targets.get(plan.target.id)!.skipped.push(...asFirstSaw(first.get(plan.target.id) ?? [], plan.skipped));

  const before = new Map(original.map(f => [f.file, f]));
  const finalText = new Map<string, FilePatch>();
  for (const round of rounds) for (const patch of round.files) finalText.set(patch.file, patch);
  const files: FilePatch[] = [];
  for (const [file, patch] of finalText) {
    const loaded = before.get(file);
    if (loaded?.text === patch.text) continue;
    if (loaded === undefined) files.push({file, bom: patch.bom, text: patch.text, created: true});
    else files.push({file, ...(loaded.sha256 !== undefined ? {sha256: loaded.sha256} : {}), bom: loaded.bom === true, text: patch.text, created: false});
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

  const errors: AuditError[] = [];
  const errorKeys = new Set<string>();
  for (const round of rounds) {
    for (const error of round.errors) {
      const key = `${error.file}\0${error.line ?? ''}\0${error.message}`;
      if (errorKeys.has(key)) continue;
      errorKeys.add(key);
      errors.push(error);
    }
  }
  return {...rounds[0]!, targets: [...targets.values()], files, errors};
}

/**
 * The last round's skips, each as the first round wrote it when it is the same one: a later
 * round reads the patched text, where lines moved (a socket mount at line 12 was reported
 * at line 19 after seven lines of fixes above it). A skip only a later round has keeps its own.
 */
function asFirstSaw(first: readonly Skipped[], last: readonly Skipped[]): Skipped[] {
  const key = (skip: Skipped) => `${skip.rule}\0${skip.what.replace(/ \(line \d+\)$/, '')}\0${skip.reason}`;
  const pool = new Map<string, Skipped[]>();
  for (const skip of first) pool.set(key(skip), [...(pool.get(key(skip)) ?? []), skip]);
  return last.map(skip => pool.get(key(skip))?.shift() ?? skip);
}
