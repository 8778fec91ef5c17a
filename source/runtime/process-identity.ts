import {readFileSync, readlinkSync} from 'node:fs';
import {hostname} from 'node:os';

/*
 * Who a process is, well enough to prove that it has ended. A pid alone proves nothing:
 * a harden in a container and one on the host share a Docker engine and maybe a project
 * folder, but not a pid namespace, so `kill(pid, 0)` on the other's pid asks about an
 * unrelated process, or none. A pid is checked only when the boot and the pid namespace
 * are provably ours; its start time tells a reused pid from the original.
 */

/** What a lock file or a label records of the process that holds or made it. */
export interface ProcessIdentity {
  pid: number;
  host: string;
  /** `/proc/sys/kernel/random/boot_id`: the same kernel, booted once. */
  bootId?: string;
  /** `/proc/self/ns/pid` (`pid:[4026531836]`): the same pid namespace on that kernel. */
  pidNamespace?: string;
  /** Field 22 of `/proc/<pid>/stat`: clock ticks after boot; a reused pid has another. */
  startTime?: string;
}

function readText(read: () => string): string | undefined {
  try {
    return read().trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The start time of a process in this pid namespace, or undefined (no /proc, no such pid). */
export function startTimeOf(pid: number): string | undefined {
  const stat = readText(() => readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (stat === undefined) return undefined;
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

let self: ProcessIdentity | undefined;

/** This process. */
export function selfIdentity(): ProcessIdentity {
  if (self) return self;
  const identity: ProcessIdentity = {pid: process.pid, host: hostname()};
  const bootId = readText(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'));
  const pidNamespace = readText(() => readlinkSync('/proc/self/ns/pid'));
  const startTime = startTimeOf(process.pid);
  if (bootId) identity.bootId = bootId;
  if (pidNamespace) identity.pidNamespace = pidNamespace;
  if (startTime) identity.startTime = startTime;
  self = identity;
  return identity;
}

/** Whether a pid exists in this namespace; EPERM means it exists and is someone else's. */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What {@link provablyGone} asks of the system; tests give their own. */
export interface Liveness {
  self: ProcessIdentity;
  exists(pid: number): boolean;
  startTime(pid: number): string | undefined;
}

const realLiveness = (): Liveness => ({self: selfIdentity(), exists: pidExists, startTime: startTimeOf});

/**
 * True only when `owner` has provably ended: it ran on this boot in this pid namespace, and
 * its pid is gone or now belongs to a process that started at another time. Anything that
 * cannot be checked (another machine, a container, no /proc) is alive as far as we know.
 */
export function provablyGone(owner: Partial<ProcessIdentity>, liveness: Liveness = realLiveness()): boolean {
  const {self: me} = liveness;
  if (typeof owner.pid !== 'number' || !Number.isSafeInteger(owner.pid) || owner.pid <= 0) return false;
  if (!me.bootId || !me.pidNamespace || owner.bootId !== me.bootId || owner.pidNamespace !== me.pidNamespace) return false;
  if (owner.pid === me.pid) return owner.startTime !== undefined && me.startTime !== undefined && owner.startTime !== me.startTime;
  if (!liveness.exists(owner.pid)) return true;
  const now = liveness.startTime(owner.pid);
  return owner.startTime !== undefined && now !== undefined && now !== owner.startTime;
}
