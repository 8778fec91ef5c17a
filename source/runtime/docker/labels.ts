import {randomBytes} from 'node:crypto';
import {hostname} from 'node:os';

/** On every container, volume and image the tool creates; sweep() never touches anything without it. */
export const managedLabel = 'harden-wizard.managed';
/** `<pid>-<random>` of the process that created the object; sweep() removes objects of dead sessions. */
export const sessionLabel = 'harden-wizard.session';
/** The host the session ran on: a pid can only be checked on the same host. */
export const hostLabel = 'harden-wizard.host';

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
  host: string = hostname(),
): Record<string, string> {
  return {...extra, [managedLabel]: 'true', [kindLabel]: kind, [sessionLabel]: session, [hostLabel]: host};
}

/** The pid in a session label, or undefined when the label is not `<pid>-<random>`. */
export function sessionPid(session: string | undefined): number | undefined {
  const match = /^(\d+)-[0-9a-z]+$/i.exec(session ?? '');
  const pid = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}
