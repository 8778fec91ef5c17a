import {parseArgs} from 'node:util';
import {UserError} from '../core/model/errors.js';
import {checkBackup, latestBackup, listBackups, restoreBackup, type FileState} from '../runtime/fs/backups.js';

/** Flags of `harden undo`. */
export interface UndoFlags {
  /** Show what would be restored; change nothing. */
  list: boolean;
  /** Restore even files edited since the fix. */
  force: boolean;
}

export function parseUndoArgs(args: string[]): UndoFlags {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: false,
      options: {
        list: {type: 'boolean', default: false},
        force: {type: 'boolean', default: false},
      },
    });
  } catch (error) {
    throw new UserError((error as Error).message.split('\n')[0]!, 'run "harden undo --help" for the options');
  }
  return {list: parsed.values.list, force: parsed.values.force};
}

const listNote: Record<FileState, string> = {
  ready: '',
  done: ' (already as before)',
  changed: ' (edited since the fix: needs --force)',
  deleted: ' (deleted since the fix: needs --force)',
};

/** `harden undo [--list] [--force]`: restores the files the last `harden fix` in this directory changed. */
export async function run(args: string[]): Promise<number> {
  const flags = parseUndoArgs(args);
  const cwd = process.cwd();
  const backup = await latestBackup(cwd);
  if (!backup) {
    throw new UserError(`nothing to undo in ${cwd}`, 'undo restores what "harden fix" last wrote here, and no fix has been applied (or all were undone)');
  }
  if (flags.list) {
    const {manifest} = backup;
    const older = (await listBackups(cwd)).length - 1;
    const lines = [`backup ${manifest.id}, made ${manifest.createdAt} by ${manifest.tool.name} ${manifest.tool.version}; harden undo would:`];
    for (const {entry, state} of await checkBackup(cwd, backup)) {
      lines.push(`  ${entry.existed ? 'restore' : 'remove '} ${entry.file}${listNote[state]}`);
    }
    if (older > 0) lines.push(`${older} older backup${older === 1 ? '' : 's'}: each harden undo restores one, newest first`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }
  const done = await restoreBackup(cwd, backup, {force: flags.force});
  process.stdout.write(done.map(d => `${d.action} ${d.file}\n`).join(''));
  return 0;
}
