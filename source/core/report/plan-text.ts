import type {FilePatch, Plan, TargetPlan} from '../model/plan.js';
import {loneCrAsLf} from '../parse/line-breaks.js';
import {unifiedDiff} from './line-diff.js';
import {painter, type Paint} from './paint.js';
import {printable, wrap} from './text.js';

export interface PlanTextOptions {
  color: boolean;
  /** The current text of a file, for the diff; undefined for a file that does not exist yet. */
  before(file: string): string | undefined;
}

/** A unified diff of one file, coloured like `git diff` when asked. */
export function fileDiff(patch: FilePatch, before: string | undefined, paint: Paint): string {
  const from = patch.created ? '/dev/null' : `a/${patch.file}`;
  // A lone CR is a line break to a person too; the diff splits lines at LF only.
  return unifiedDiff(from, `b/${patch.file}`, loneCrAsLf(before ?? ''), loneCrAsLf(patch.text))
    .split('\n')
    .map(line => {
      const shown = printable(line.replace(/\r$/, ''));
      if (line.startsWith('+++') || line.startsWith('---')) return paint('bold', shown);
      if (line.startsWith('+')) return paint('green', shown);
      if (line.startsWith('-')) return paint('red', shown);
      if (line.startsWith('@@')) return paint('cyan', shown);
      return shown;
    })
    .join('\n');
}

/** `  + head text` with continuation lines indented under the text, not under the mark. */
function item(mark: string, head: string, text: string): string[] {
  const lines = wrap(`${head} ${text}`, 4);
  lines[0] = `  ${mark} ${lines[0]!.trimStart()}`;
  return lines;
}

function targetBlock(plan: TargetPlan, paint: Paint): string[] {
  if (plan.changes.length === 0 && plan.skipped.length === 0) return [];
  const lines = [paint('bold', `${printable(plan.target.file)}: ${printable(plan.target.name)} (${plan.target.kind})`)];
  for (const change of plan.changes) lines.push(...item(paint('green', '+'), `${change.rule}:`, printable(change.reason)));
  for (const skip of plan.skipped) lines.push(...item(paint('yellow', '!'), `not done (${skip.rule}): ${printable(skip.what)}:`, printable(skip.reason)));
  return lines;
}

/** How many planned changes were taken back (`Skipped.withdrawn`); `harden fix` exits 1 when any was. */
export function withdrawnCount(plan: Plan): number {
  return plan.targets.reduce((n, t) => n + t.skipped.filter(skip => skip.withdrawn === true).length, 0);
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * The plan's last line. "Every fixable finding is fixed already" only when every file was
 * read: a file harden could not read or patch may hold anything.
 */
function summaryLine(plan: Plan): string {
  const skipped = plan.targets.reduce((n, t) => n + t.skipped.length, 0);
  const unread = new Set(plan.errors.map(e => e.file)).size;
  const untouched = unread > 0 ? `${count(unread, 'file')} could not be read or changed (see above)` : '';
  if (plan.files.length > 0) {
    return `${count(plan.files.length, 'file')} to change${skipped > 0 ? `, ${count(skipped, 'item')} not done (see above)` : ''}${untouched ? `; ${untouched}` : ''}.`;
  }
  if (unread === 0) return skipped > 0 ? `Nothing to change; ${count(skipped, 'item')} not done, see above.` : 'Nothing to change: every fixable finding is fixed already.';
  return `Nothing to change in the files harden could read${skipped > 0 ? ` (${count(skipped, 'item')} not done, see above)` : ''}; ${untouched}.`;
}

/** What `harden fix` shows before writing: changes and skips per target, then a diff per file. */
export function formatPlan(plan: Plan, options: PlanTextOptions): string {
  const paint = painter(options.color);
  const out: string[] = [];
  for (const target of plan.targets) {
    const block = targetBlock(target, paint);
    if (block.length > 0) out.push(...block, '');
  }
  for (const patch of plan.files) out.push(fileDiff(patch, options.before(patch.file), paint), '');
  for (const error of plan.errors) out.push(paint('red', `error: ${printable(error.file)}:${error.line}: ${printable(error.message)} (left untouched)`));
  if (plan.errors.length > 0) out.push('');
  out.push(summaryLine(plan));
  const withdrawn = withdrawnCount(plan);
  if (withdrawn > 0) {
    out.push(paint('yellow', withdrawn === 1
      ? '1 change the findings need could not be made where it takes effect, so its finding stays.'
      : `${withdrawn} changes the findings need could not be made where they take effect, so their findings stay.`));
  }
  return out.join('\n') + '\n';
}
