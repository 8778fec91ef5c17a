import {randomBytes} from 'node:crypto';
import {link, lstat, open, readFile, rename, rm, utimes} from 'node:fs/promises';
import {UserError} from '../../core/model/errors.js';
import {provablyGone, selfIdentity, type ProcessIdentity} from '../process-identity.js';
import {isCode} from './atomic-write.js';
import {ensureHardenDir, type HardenDir} from './harden-dir.js';
import {sweepLeftovers} from './leftovers.js';

/*
 * One writer at a time in a project: `harden fix --yes`, the wizard's writes and `harden undo`
 * take `.harden/lock` for their check-backup-write. Without it two fixes both read the same
 * compose.yaml, both say "wrote", and the first one's change is lost.
 *
 * Node has no flock, so the lock is a file made with O_EXCL. Its holder touches it every
 * second; a lock nobody has touched for {@link staleMs} is abandoned, and so is one whose
 * holder has provably ended (same boot and pid namespace, pid gone: a kill -9).
 */

/** Holder of the lock, as `.harden/lock` records it. */
interface LockRecord extends ProcessIdentity {
  command: string;
  since: string;
  token: string;
}

/** Options of {@link withProjectLock}; commands pass none. */
export interface LockOptions {
  /** How long to wait for another holder before refusing. */
  waitMs?: number;
  /** Told once when the lock is held by another process and we wait. */
  onWait?(line: string): void;
}

const defaultWaitMs = 10_000;
const staleMs = 15_000;
const heartbeatMs = 1_000;
const pollMs = 100;

/**
 * Runs `fn` holding the project's lock, after removing what a killed run left behind
 * (temporary files, unfinished backups): with the lock held, nothing else is writing them.
 */
export async function withProjectLock<T>(root: string, command: string, fn: (dir: HardenDir) => Promise<T>, options: LockOptions = {}): Promise<T> {
  const dir = await ensureHardenDir(root);
  const release = await acquire(dir.lock, command, options);
  try {
    await sweepLeftovers(dir);
    return await fn(dir);
  } finally {
    await release();
  }
}

async function acquire(path: string, command: string, options: LockOptions): Promise<() => Promise<void>> {
  const record: LockRecord = {...selfIdentity(), command, since: new Date().toISOString(), token: randomBytes(8).toString('hex')};
  const deadline = Date.now() + (options.waitMs ?? defaultWaitMs);
  let told = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(record)}\n`);
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
    const holder = await readHolder(path);
    if (holder === 'gone') continue;
    if (holder.abandoned) {
      await takeOver(path, holder.ino);
      continue;
    }
    const who = describe(holder.record);
    if (Date.now() >= deadline) {
      throw new UserError(`${who} is changing files in this project; nothing was done`, 'run this again when it has finished; if no harden is running, delete .harden/lock');
    }
    if (!told) options.onWait?.(`waiting for ${who} to finish`);
    told = true;
    await new Promise(resolve => setTimeout(resolve, pollMs));
  }
  const beat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, heartbeatMs);
  beat.unref();
  return async () => {
    clearInterval(beat);
    // Only our own lock: one taken over as abandoned (we were stopped for too long) is someone else's now.
    const current = await readFile(path, 'utf8').catch(() => '');
    if (current.includes(`"token":"${record.token}"`)) await rm(path, {force: true});
  };
}

async function readHolder(path: string): Promise<'gone' | {record: Partial<LockRecord> | undefined; abandoned: boolean; ino: number}> {
  let info;
  try {
    info = await lstat(path);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return 'gone';
    throw error;
  }
  if (!info.isFile()) throw new UserError('.harden/lock is not a file harden made', 'delete .harden/lock, then run harden again');
  let record: Partial<LockRecord> | undefined;
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof value === 'object' && value !== null) record = value as Partial<LockRecord>;
  } catch {
    // Being written right now, or damaged: its age decides.
  }
  const silent = Date.now() - info.mtimeMs > staleMs;
  return {record, abandoned: silent || (record !== undefined && provablyGone(record)), ino: info.ino};
}

/**
 * Moves the abandoned lock (inode `ino`) aside and removes it. When two processes take it over
 * at once, the second may move the first one's new lock instead: that one is put back.
 */
async function takeOver(path: string, ino: number): Promise<void> {
  const aside = `${path}.${randomBytes(6).toString('hex')}.abandoned`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return;
    throw error;
  }
  if ((await lstat(aside)).ino !== ino) await link(aside, path).catch(() => undefined);
  await rm(aside, {force: true});
}

function describe(record: Partial<LockRecord> | undefined): string {
  if (!record) return 'another harden';
  const command = typeof record.command === 'string' ? ` ${record.command.slice(0, 40).replace(/[^\w .-]/g, '')}` : '';
  const pid = typeof record.pid === 'number' ? ` (pid ${record.pid}${typeof record.host === 'string' ? ` on ${record.host.slice(0, 64).replace(/[^\w.-]/g, '')}` : ''})` : '';
  return `another harden${command}${pid}`;
}
