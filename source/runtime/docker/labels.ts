import {randomBytes} from 'node:crypto';
import {selfIdentity, type ProcessIdentity} from '../process-identity.js';

/** On every container, volume and image the tool creates; sweep() never touches anything without it. */
export const managedLabel = 'harden-wizard.managed';
/** `<pid>-<random>` of the process that created the object; sweep() removes objects of dead sessions. */
export const sessionLabel = 'harden-wizard.session';
/** The host the session ran on, for a person reading the labels. */
export const hostLabel = 'harden-wizard.host';
/**
 * The boot, pid namespace and start time of the session's process (see process-identity.ts):
 * its pid means something only on the same boot and in the same pid namespace, so sweep()
 * removes an object only when all three prove that the process has ended.
 */
export const bootLabel = 'harden-wizard.boot';
export const pidNamespaceLabel = 'harden-wizard.pidns';
export const startLabel = 'harden-wizard.start';

/**
 * What the object is. Containers inherit their image's labels, so a container someone starts
 * from an image the tool built carries `kind=image` and is never mistaken for the tool's own.
 */
export const kindLabel = 'harden-wizard.kind';

/** The kinds of object the tool creates. */
export type ManagedKind = 'container' | 'volume' | 'image';

/** This process's session: `<pid>-<random>`, so two runs with a reused pid still differ. */
export const sessionId = `${process.pid}-${randomBytes(4).toString('hex')}`;

/**
 * The labels the tool puts on what it creates. The caller's labels come first so that they can
 * never overwrite the managed and session labels that sweep() relies on.
 */
export function managedLabels(
  kind: ManagedKind,
  extra: Readonly<Record<string, string>> = {},
  session: string = sessionId,
  owner: Omit<ProcessIdentity, 'pid'> = selfIdentity(),
): Record<string, string> {
  const proof: Record<string, string> = {};
  if (owner.bootId) proof[bootLabel] = owner.bootId;
  if (owner.pidNamespace) proof[pidNamespaceLabel] = owner.pidNamespace;
  if (owner.startTime) proof[startLabel] = owner.startTime;
  return {...extra, [managedLabel]: 'true', [kindLabel]: kind, [sessionLabel]: session, [hostLabel]: owner.host, ...proof};
}

/** The process that made an object, as its labels record it (for provablyGone). */
export function ownerOf(labels: Readonly<Record<string, string>>): Partial<ProcessIdentity> {
  const owner: Partial<ProcessIdentity> = {};
  const pid = sessionPid(labels[sessionLabel]);
  if (pid !== undefined) owner.pid = pid;
  if (labels[hostLabel]) owner.host = labels[hostLabel];
  if (labels[bootLabel]) owner.bootId = labels[bootLabel];
  if (labels[pidNamespaceLabel]) owner.pidNamespace = labels[pidNamespaceLabel];
  if (labels[startLabel]) owner.startTime = labels[startLabel];
  return owner;
}

/** The pid in a session label, or undefined when the label is not `<pid>-<random>`. */
export function sessionPid(session: string | undefined): number | undefined {
  const match = /^(\d+)-[0-9a-z]+$/i.exec(session ?? '');
  const pid = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}
