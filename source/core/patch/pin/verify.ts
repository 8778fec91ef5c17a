import type {AuditError} from '../../model/finding.js';
import type {ImageRef} from '../../model/facts.js';
import {parseCompose} from '../../parse/compose.js';
import {parseDockerfile} from '../../parse/dockerfile.js';
import {parseKubernetes} from '../../parse/kubernetes.js';
import {unwritable} from '../text-edit.js';

/*
 * Reads the pinned text back as the audit will and checks that only the pinned references
 * changed, each to exactly the reference intended: same parse errors (none), same number
 * of references, every other reference as it was.
 */

export type PinFileType = 'dockerfile' | 'compose' | 'yaml';

function references(file: string, type: PinFileType, text: string): {refs: ImageRef[]; errors: AuditError[]} {
  if (type === 'dockerfile') {
    const parsed = parseDockerfile(file, text);
    return {refs: (parsed.facts?.stages ?? []).flatMap(stage => (stage.from ? [stage.from] : [])), errors: parsed.errors};
  }
  if (type === 'compose') {
    const parsed = parseCompose(file, text);
    return {refs: (parsed.facts?.services ?? []).flatMap(service => (service.image ? [service.image] : [])), errors: parsed.errors};
  }
  const parsed = parseKubernetes(file, text);
  return {refs: (parsed.facts?.containers ?? []).flatMap(container => (container.image ? [container.image] : [])), errors: parsed.errors};
}

/** `line` and the reference written there before, to the reference expected after. */
export type Expected = ReadonlyMap<string, string>;

export function expectationKey(line: number, ref: string): string {
  return `${line}\u0000${ref}`;
}

/** A one-line problem with the line it concerns, or undefined when the pinned text is as intended. */
export function verifyPins(file: string, type: PinFileType, before: string, after: string, expected: Expected): {line: number; message: string} | undefined {
  const bytes = unwritable(after);
  if (bytes) return bytes;
  const was = references(file, type, before);
  const now = references(file, type, after);
  if (now.errors.length > was.errors.length) {
    const error = now.errors[0]!;
    return {line: error.line, message: `pinning made the file unreadable (${error.message}); nothing was written`};
  }
  if (now.refs.length !== was.refs.length) return {line: 1, message: `pinning changed the number of image references from ${was.refs.length} to ${now.refs.length}; nothing was written`};
  const matched = new Set<string>();
  for (let i = 0; i < was.refs.length; i++) {
    const old = was.refs[i]!;
    const fresh = now.refs[i]!;
    const key = expectationKey(old.line, old.raw);
    const want = expected.get(key);
    if (want !== undefined) matched.add(key);
    if (fresh.line !== old.line || fresh.raw !== (want ?? old.raw)) {
      return {line: old.line, message: `after pinning, line ${old.line} reads ${fresh.raw.slice(0, 200)} instead of ${(want ?? old.raw).slice(0, 200)}; nothing was written`};
    }
  }
  if (matched.size < expected.size) return {line: 1, message: 'a pinned reference is not read back by the audit; nothing was written'};
  return undefined;
}
