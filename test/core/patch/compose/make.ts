import type {PlannedChange, WritableMount} from '../../../../source/core/model/plan.js';

/*
 * Planned changes as the planner writes them, in a line each, for the tests.
 */

export function readOnly(): PlannedChange {
  return {kind: 'read-only', rule: 'read-only-rootfs', reason: 'the root filesystem becomes read-only'};
}

export function tmpfs(path: string, options: Partial<WritableMount> = {}): PlannedChange {
  const mount: WritableMount = {path, mount: 'tmpfs', name: path.split('/').filter(Boolean).join('-') || 'root', why: 'test', ...options};
  return {kind: 'writable', mount, rule: 'writable-path-unmounted', reason: `${path} stays writable on a tmpfs`};
}

export function volume(name: string, path: string): PlannedChange {
  return {kind: 'writable', mount: {path, mount: 'volume', name, why: 'test'}, rule: 'writable-path-unmounted', reason: `${path} stays writable on a named volume`};
}

export function noNewPrivileges(): PlannedChange {
  return {kind: 'no-new-privileges', rule: 'privilege-escalation', reason: 'setuid binaries can no longer raise privileges'};
}

export function capDropAll(): PlannedChange {
  return {kind: 'cap-drop-all', rule: 'cap-drop', reason: 'all Linux capabilities dropped'};
}

export function runAs(user: string): PlannedChange {
  return {kind: 'run-as', user, rule: 'root-user', reason: `runs as ${user}`};
}

/** The usual hardening of one service: read-only, /tmp and /run on tmpfs, no setuid, no capabilities, a user. */
export function hardening(user = '1000:1000'): PlannedChange[] {
  return [readOnly(), tmpfs('/tmp', {mode: '1777'}), tmpfs('/run'), noNewPrivileges(), capDropAll(), runAs(user)];
}

export function changes(entries: Record<string, PlannedChange[]>): Map<string, PlannedChange[]> {
  return new Map(Object.entries(entries));
}
