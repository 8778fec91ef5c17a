import {UserError} from '../core/model/errors.js';
import {fullName, isSha256Digest, parseReference, referenceKey} from '../core/patch/pin/reference.js';
import type {ContainerEngine} from './ports.js';

/*
 * Digests for `fix --pin-digests`, from what the local engine knows: an image pulled from a
 * registry lists `name@sha256:...` in its RepoDigests, one per repository it was pulled as
 * (Docker writes `node@sha256:...`, Podman `docker.io/library/node@sha256:...`). Only an
 * entry for the reference's own repository counts; an image built or tagged locally has
 * none, and a digest is never guessed.
 */

/** Digests found, and why none was found for the others; both keyed by referenceKey. */
export interface LocalDigests {
  /** referenceKey -> `sha256:<64 hex>` from the engine's RepoDigests. */
  digests: Map<string, string>;
  /** referenceKey -> why no digest is known (never pulled, built locally, ambiguous, ...). */
  missing: Map<string, string>;
}

function repoDigestsOf(inspect: unknown): string[] {
  const list = (inspect as {RepoDigests?: unknown} | null)?.RepoDigests;
  return Array.isArray(list) ? list.filter((entry): entry is string => typeof entry === 'string') : [];
}

async function lookUp(engine: ContainerEngine, ref: string): Promise<{digest: string} | {reason: string}> {
  const parsed = parseReference(ref);
  if ('error' in parsed) return {reason: `not a valid image reference: ${parsed.error}`};
  let inspect: unknown;
  try {
    inspect = await engine.inspectImage(ref);
  } catch (error) {
    return {reason: `the engine could not inspect it: ${(error as Error).message.split('\n')[0]}`};
  }
  if (inspect === undefined) return {reason: `the engine does not have it: docker pull ${ref}, or pass --digest ${ref}=sha256:<digest>`};
  const entries = repoDigestsOf(inspect);
  if (entries.length === 0) return {reason: 'built locally, never pushed: no registry digest'};
  const repository = fullName(parsed);
  const found = new Set<string>();
  const others = new Set<string>();
  for (const entry of entries) {
    const at = entry.indexOf('@');
    const name = parseReference(entry.slice(0, at));
    const digest = entry.slice(at + 1);
    if (at < 0 || 'error' in name || !isSha256Digest(digest)) continue;
    if (fullName(name) === repository) found.add(digest);
    else others.add(entry.slice(0, at));
  }
  if (found.size === 1) return {digest: [...found][0]!};
  if (found.size > 1) return {reason: `the engine knows ${found.size} digests for ${repository} and cannot tell which one this tag is; pass --digest ${ref}=sha256:<digest>`};
  return {reason: `the engine's image was pulled only as ${[...others].join(', ') || 'other names'}, so it has no digest under this name; push it as ${ref} or pass --digest`};
}

/**
 * Asks the engine for each reference's digest (RepoDigests of `inspectImage(ref)`). References
 * already pinned, with a `$` or otherwise invalid are not asked about.
 */
export async function resolveLocalDigests(engine: ContainerEngine, refs: readonly string[]): Promise<LocalDigests> {
  const digests = new Map<string, string>();
  const missing = new Map<string, string>();
  for (const ref of refs) {
    const key = referenceKey(ref);
    const parsed = parseReference(ref);
    if (key === undefined || 'error' in parsed || parsed.digest !== undefined || digests.has(key) || missing.has(key)) continue;
    const result = await lookUp(engine, ref);
    if ('digest' in result) digests.set(key, result.digest);
    else missing.set(key, result.reason);
  }
  return {digests, missing};
}

/** The digests the local engine knows for `refs`, keyed by referenceKey; see {@link resolveLocalDigests} for why the others have none. */
export async function localDigests(engine: ContainerEngine, refs: string[]): Promise<Map<string, string>> {
  return (await resolveLocalDigests(engine, refs)).digests;
}

/** `--digest REF=sha256:<64 hex>`, checked strictly: the reference must be valid and unpinned, the digest well formed. */
export function parseDigestFlag(spec: string): {ref: string; key: string; digest: string} {
  const eq = spec.indexOf('=');
  const ref = eq < 0 ? spec : spec.slice(0, eq);
  const digest = eq < 0 ? '' : spec.slice(eq + 1);
  const example = 'expected REF=sha256:<64 hex digits>, such as node:20=sha256:' + '0'.repeat(64);
  if (eq < 0) throw new UserError(`--digest ${spec}: ${example}`);
  const parsed = parseReference(ref);
  if ('error' in parsed) throw new UserError(`--digest ${spec}: ${ref} is not a valid image reference (${parsed.error})`, example);
  if (parsed.digest !== undefined) throw new UserError(`--digest ${spec}: ${ref} already carries a digest; give the reference as written, without @...`, example);
  if (!isSha256Digest(digest)) throw new UserError(`--digest ${spec}: ${digest || 'the digest'} is not sha256: followed by 64 lower-case hex digits`, 'docker buildx imagetools inspect REF shows the digest');
  return {ref, key: referenceKey(ref)!, digest};
}
