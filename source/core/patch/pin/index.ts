import type {AuditError} from '../../model/finding.js';
import {looksLikeKubernetes} from '../../parse/kubernetes.js';
import {applyEdits, type TextEdit} from '../text-edit.js';
import {composeSites, dockerfileSites, kubernetesSites, type Located} from './locate.js';
import {isSha256Digest, nameOf, parseReference, referenceKey} from './reference.js';
import {expectationKey, verifyPins, type PinFileType} from './verify.js';

export {isSha256Digest, parseReference, referenceKey} from './reference.js';
export type {PinFileType} from './verify.js';

/*
 * `fix --pin-digests`: rewrites `FROM`, compose `image:` and Kubernetes `image:` references
 * to `name:tag@sha256:...` with a digest the caller knows (the engine's RepoDigests, or
 * `--digest REF=DIGEST`). It never invents one: a reference without a known, well-formed
 * digest is reported and left as it is. The tag stays for readability (`:latest` is written
 * out when there was none, since that is what the digest was resolved from). Each edit
 * replaces exactly the reference's characters, keeping its quotes and the file's line ends;
 * the result is read back and checked, and a pinned reference is never touched again.
 */

/** A reference that now carries a digest. */
export interface PinnedRef {
  /** The reference as it was written. */
  ref: string;
  digest: string;
  line: number;
}

/** A reference left as it was, and why. */
export interface UnresolvedRef {
  ref: string;
  line: number;
  reason: string;
}

export type PinResult =
  | {ok: true; text: string; pinned: PinnedRef[]; unresolved: UnresolvedRef[]}
  | {ok: false; error: AuditError};

const noDigest = 'no digest is known for it: pull it so the engine knows one, or pass --digest REF=sha256:<digest>';

/** The caller's map with every key in {@link referenceKey} form; two different digests for one key make it unusable. */
function normaliseDigests(digests: ReadonlyMap<string, string>): Map<string, {digest: string} | {conflict: string}> {
  const result = new Map<string, {digest: string} | {conflict: string}>();
  for (const [ref, digest] of digests) {
    const key = referenceKey(ref) ?? ref;
    const known = result.get(key);
    if (known === undefined) result.set(key, {digest});
    else if ('digest' in known && known.digest !== digest) result.set(key, {conflict: `two different digests were given for it (${known.digest.slice(0, 80)} and ${digest.slice(0, 80)})`});
  }
  return result;
}

function sites(file: string, type: PinFileType, text: string): Located {
  if (type === 'dockerfile') return dockerfileSites(file, text);
  if (type === 'compose') return composeSites(file, text);
  return looksLikeKubernetes(text) ? kubernetesSites(file, text) : {ok: true, sites: []};
}

/**
 * Pins every image reference of one file whose digest `digests` gives. `digests` maps a
 * reference (any spelling {@link referenceKey} accepts) to `sha256:<64 hex>`; `reasons`
 * may say, per {@link referenceKey}, why no digest is known (the engine's answer).
 */
export function pinReferences(
  file: string,
  type: PinFileType,
  text: string,
  digests: ReadonlyMap<string, string>,
  reasons: ReadonlyMap<string, string> = new Map(),
): PinResult {
  const located = sites(file, type, text);
  if (!located.ok) return located;
  const known = normaliseDigests(digests);
  const pinned: PinnedRef[] = [];
  const unresolved: UnresolvedRef[] = [];
  const edits: TextEdit[] = [];
  const expected = new Map<string, string>();
  for (const site of located.sites) {
    const {ref, line} = site;
    const shown = ref.length > 300 ? `${ref.slice(0, 300)}...` : ref;
    if (site.problem !== undefined || site.range === undefined) {
      unresolved.push({ref: shown, line, reason: site.problem ?? 'cannot be edited in place'});
      continue;
    }
    const parsed = parseReference(ref);
    if ('error' in parsed) {
      unresolved.push({ref: shown, line, reason: `not a valid image reference: ${parsed.error}`});
      continue;
    }
    if (parsed.digest !== undefined) continue;
    const key = referenceKey(ref)!;
    const entry = known.get(key);
    if (entry === undefined || 'conflict' in entry) {
      unresolved.push({ref, line, reason: entry === undefined ? (reasons.get(key) ?? noDigest) : entry.conflict});
      continue;
    }
    if (!isSha256Digest(entry.digest)) {
      unresolved.push({ref, line, reason: `the digest given for it (${entry.digest.slice(0, 80)}) is not sha256: and 64 lower-case hex digits`});
      continue;
    }
    const pinnedRef = `${nameOf(parsed)}:${parsed.tag ?? 'latest'}@${entry.digest}`;
    const {start, end, quote} = site.range;
    edits.push({start, end, text: `${quote}${pinnedRef}${quote}`});
    expected.set(expectationKey(line, ref), pinnedRef);
    pinned.push({ref, digest: entry.digest, line});
  }
  if (edits.length === 0) return {ok: true, text, pinned, unresolved};
  const after = applyEdits(text, edits);
  const problem = verifyPins(file, type, text, after, expected);
  if (problem) return {ok: false, error: {file, line: problem.line, message: problem.message}};
  return {ok: true, text: after, pinned, unresolved};
}
