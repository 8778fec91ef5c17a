/*
 * Image references as the distribution/reference grammar defines them (the one Docker,
 * containerd and Podman share), strictly: a reference that does not match is never
 * rewritten, and a digest that does not match is never written.
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component ( "/" path-component )*     (at most 255 characters)
 *   domain    := host [ ":" port ]   (a first component is a domain only with a ".", a ":" or "localhost")
 *   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag       := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 */

/** A reference split into its parts. */
export interface Reference {
  /** Registry host (and port) as written, when the reference names one. */
  domain?: string;
  /** Repository path as written, without the domain: `node`, `library/node`, `org/app`. */
  path: string;
  tag?: string;
  /** `algorithm:hex` as written after `@`. */
  digest?: string;
}

const pathComponent = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const hostLabel = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
/** What `@` may carry in general (OCI: algorithm `:` encoded); sha256 is checked more strictly below. */
const anyDigest = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
/** The only digest harden writes: sha256, 64 lower-case hex digits, as registries report it. */
export const sha256Digest = /^sha256:[0-9a-f]{64}$/;

/** True for `sha256:` followed by exactly 64 lower-case hex digits. */
export function isSha256Digest(digest: string): boolean {
  return sha256Digest.test(digest);
}

function isDomain(text: string): boolean {
  const colon = text.lastIndexOf(':');
  const host = colon >= 0 ? text.slice(0, colon) : text;
  const port = colon >= 0 ? text.slice(colon + 1) : undefined;
  if (port !== undefined && !/^[0-9]{1,5}$/.test(port)) return false;
  return host.length > 0 && host.split('.').every(label => hostLabel.test(label));
}

/** Parses a reference, or says in a few words why it is not one. */
export function parseReference(ref: string): Reference | {error: string} {
  if (ref.length === 0) return {error: 'empty'};
  if (ref.length > 512) return {error: 'longer than any valid reference'};
  if (/\s/.test(ref)) return {error: 'contains white space'};
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!anyDigest.test(digest)) return {error: `"@${digest.slice(0, 80)}" is not a digest`};
    if (digest.startsWith('sha256:') && !isSha256Digest(digest)) return {error: `"@${digest.slice(0, 80)}" is not sha256 followed by 64 lower-case hex digits`};
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag)) return {error: `":${tag.slice(0, 80)}" is not a valid tag`};
  }
  if (rest.length > 255) return {error: 'the name is longer than 255 characters'};
  const parts = rest.split('/');
  let domain: string | undefined;
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost')) {
    domain = parts.shift();
    if (!isDomain(domain!)) return {error: `"${domain!.slice(0, 80)}" is not a registry host`};
  }
  if (!parts.every(part => pathComponent.test(part))) {
    return {error: /[A-Z]/.test(rest) ? 'repository names must be lower case' : 'the repository name has characters a reference cannot have'};
  }
  const result: Reference = {path: parts.join('/')};
  if (domain !== undefined) result.domain = domain;
  if (tag !== undefined) result.tag = tag;
  if (digest !== undefined) result.digest = digest;
  return result;
}

/** The registry and repository in full: `docker.io/library/node`, `ghcr.io/org/app`. */
export function fullName(ref: Reference): string {
  const domain = ref.domain === undefined || ref.domain === 'index.docker.io' || ref.domain === 'registry-1.docker.io' ? 'docker.io' : ref.domain.toLowerCase();
  const path = domain === 'docker.io' && !ref.path.includes('/') ? `library/${ref.path}` : ref.path;
  return `${domain}/${path}`;
}

/**
 * The key a reference is looked up by in a digest map: registry, repository and tag in
 * full (`node:20` and `docker.io/library/node:20` are one key, `node` is `...node:latest`).
 * A digest already written is left out. Undefined when `ref` is not a valid reference.
 */
export function referenceKey(ref: string): string | undefined {
  const parsed = parseReference(ref.trim());
  if ('error' in parsed) return undefined;
  return `${fullName(parsed)}:${parsed.tag ?? 'latest'}`;
}

/** The name as written, without tag or digest: what a `name@digest` is built from. */
export function nameOf(ref: Reference): string {
  return ref.domain === undefined ? ref.path : `${ref.domain}/${ref.path}`;
}
