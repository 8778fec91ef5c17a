import type {ImageRef} from '../model/facts.js';

/**
 * Splits an image reference the way Docker's reference grammar does: the first
 * path component is a registry only if it has a `.` or `:` or is `localhost`.
 */
export function parseImageRef(raw: string, line: number): ImageRef {
  const text = raw.trim();
  // `$VAR` (Dockerfile ARG, compose interpolation) or `{{ }}` (a template) is not a known image.
  const unresolved = /\$|\{\{/.test(text);
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let repository = rest.toLowerCase();
  if (registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io') {
    registry = undefined;
  }
  if (registry === undefined && repository.startsWith('library/')) repository = repository.slice('library/'.length);
  const ref: ImageRef = {raw: text, repository, unresolved, line};
  if (registry !== undefined) ref.registry = registry;
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** `${VAR:-default}` and `${VAR-default}` with their defaults (Compose interpolation); undefined when any variable has none. */
export function composeDefaults(text: string): string | undefined {
  // Compose's `$$` is a literal dollar, never a variable; an image name has no use for one.
  if (text.includes('$$')) return undefined;
  const filled = text.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^${}]*)\}/g, (_match, fallback: string) => fallback);
  return filled.includes('$') || filled === text ? undefined : filled;
}

/*
 * Docker's reference grammar (github.com/distribution/reference): what the engine accepts as an
 * image name, so a word that is not one is never sent to it. A name the engine's router would
 * rewrite (`/x`, `a//b`) makes it answer with a redirect, and a malformed one with 400.
 */
const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const domainPart = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `(?:${domainPart}(?:\\.${domainPart})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const referencePattern = new RegExp(`^((?:${domain}/)?${component}(?:/${component})*)(?::${tagPattern})?(?:@${digestPattern})?$`);

/** True when the engine would take `text` as an image reference (`nginx`, `ghcr.io/a/b:1.2`, `sha256:...`). */
export function isImageReference(text: string): boolean {
  const match = referencePattern.exec(text);
  // A bare `localhost:5000` is a name with a tag to the grammar; Docker reads it the same way.
  return match !== null && match[1]!.length <= 255;
}

/** True when `text` can name a container: Docker's `[a-zA-Z0-9][a-zA-Z0-9_.-]*`, which also covers ids. */
export function isContainerName(text: string): boolean {
  return /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(text) && text.length <= 255;
}
