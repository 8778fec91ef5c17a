import {parseArgs} from 'node:util';
import {UserError} from '../core/model/errors.js';
import {undoOptions} from './options.js';
import {isUsable, listBackups, type Backup, type UnusableBackup} from '../runtime/fs/backups.js';
import {projectRoot} from '../runtime/fs/confine.js';
import {withProjectLock} from '../runtime/fs/lock.js';
import {checkBackup, restoreBackup, type FileState} from '../runtime/fs/restore.js';

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
      options: undoOptions,
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

/**
 * The error for a backup undo cannot use. Neither invites --force: a foreign manifest may be
 * an attack (a repository can ship `.harden/`), and a damaged one cannot say what to restore.
 */
function unusable(backup: UnusableBackup): UserError {
  if (backup.kind === 'foreign') {
    return new UserError(
      `backup ${backup.id} was not made by harden: ${backup.problem}, and harden never writes there; nothing was restored`,
      `delete .harden/backups/${backup.id} (a repository can ship its own .harden folder), then run harden undo again`,
    );
  }
  return new UserError(`backup ${backup.id} is damaged: ${backup.problem}; nothing was restored`, `restore by hand from ${backup.dir} if you need it, then delete that folder`);
}

/** `harden undo [--list] [--force]`: restores the files the last `harden fix` in this directory changed. */
export async function run(args: string[]): Promise<number> {
  const flags = parseUndoArgs(args);
  const cwd = process.cwd();
  const root = await projectRoot(cwd);
  const newest = async (): Promise<{backup: Backup; older: Array<Backup | UnusableBackup>}> => {
    const all = await listBackups(root);
    const last = all.at(-1);
    if (!last) throw new UserError(`nothing to undo in ${cwd}`, 'undo restores what "harden fix" last wrote here, and no fix has been applied (or all were undone)');
    // Only the newest counts: an older damaged backup does not stand in the way of this one.
    if (!isUsable(last)) throw unusable(last);
    return {backup: last, older: all.slice(0, -1)};
  };
  if (flags.list) {
    const {backup, older} = await newest();
    const {manifest} = backup;
    const lines = [`backup ${manifest.id}, made ${manifest.createdAt} by harden-wizard ${manifest.tool.version.slice(0, 40).replace(/[^\w.+-]/g, '?')}; harden undo would:`];
    for (const {entry, state} of await checkBackup(root, backup)) {
      lines.push(`  ${entry.existed ? 'restore' : 'remove '} ${entry.file}${listNote[state]}`);
    }
    if (!backup.host) for (const dir of [...(manifest.createdDirs ?? [])].reverse()) lines.push(`  remove  ${dir}/ (if empty)`);
    const usable = older.filter(isUsable).length;
    if (usable > 0) lines.push(`${usable} older backup${usable === 1 ? '' : 's'}: each harden undo restores one, newest first`);
    for (const bad of older.filter((b): b is UnusableBackup => !isUsable(b))) lines.push(`older backup ${bad.id} cannot be used: ${unusable(bad).message}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }
  const done = await withProjectLock(root, 'undo', async () => restoreBackup(root, (await newest()).backup, {force: flags.force}));
  process.stdout.write(done.map(d => `${d.action} ${d.file}\n`).join(''));
  return 0;
}
