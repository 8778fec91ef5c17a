import type {FilePatch, Plan, TargetPlan} from '../model/plan.js';
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
  return unifiedDiff(from, `b/${patch.file}`, before ?? '', patch.text)
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
  const skipped = plan.targets.reduce((n, t) => n + t.skipped.length, 0);
  out.push(
    plan.files.length === 0
      ? `Nothing to change${skipped > 0 ? `; ${skipped} item${skipped === 1 ? '' : 's'} not done, see above` : ': every fixable finding is fixed already'}.`
      : `${plan.files.length} file${plan.files.length === 1 ? '' : 's'} to change${skipped > 0 ? `, ${skipped} item${skipped === 1 ? '' : 's'} not done (see above)` : ''}.`,
  );
  return out.join('\n') + '\n';
}
