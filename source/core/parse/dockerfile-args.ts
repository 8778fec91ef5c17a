import {astView, scanDockerfile, type DockerfileView} from './dockerfile-view.js';

/*
 * The ARGs a FROM line sees, as BuildKit reads them for a build without --build-arg: only those
 * declared before the first FROM ("meta args"), each default expanded with the ones before it,
 * a later declaration with a default replacing an earlier one and one without keeping it.
 */

/**
 * Meta args by name: the default, expanded; `null` when declared without one (only a
 * --build-arg gives it a value, so a FROM that uses it is not known).
 */
export type MetaArgs = ReadonlyMap<string, string | null>;

/** The meta args of the ARG properties before the first FROM, in order. */
export function metaArgs(properties: ReadonlyArray<{name: string; value: string | null}>): Map<string, string | null> {
  const args = new Map<string, string | null>();
  for (const {name, value} of properties) {
    if (value === null) {
      if (!args.has(name)) args.set(name, null);
    } else args.set(name, expandArgs(value, args));
  }
  return args;
}

/** The meta args of a Dockerfile's text. */
export function metaArgsOf(text: string): MetaArgs {
  const view: DockerfileView = scanDockerfile(text) ?? astView(text);
  return metaArgs(view.initialArgs);
}

const reference = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^{}]*))?\}|\$\{[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Expands `$V`, `${V}`, `${V:-word}`, `${V-word}`, `${V:+word}` and `${V+word}` as BuildKit's
 * shell lexer does. What cannot be known is left as written, so the text still shows a `$`:
 * a variable declared without a default (`$V`, `${V:+x}`), one never declared (`$V`: BuildKit
 * makes it empty and warns; an empty image name is no image), and any other form (`${V:?}`,
 * `${V#x}`, nesting).
 */
export function expandArgs(text: string, args: MetaArgs): string {
  return text.replace(reference, (whole, braced: string | undefined, operator: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare;
    if (name === undefined) return whole;
    const value = args.get(name);
    const known = typeof value === 'string';
    switch (operator) {
      case undefined:
        return known ? value : whole;
      case ':-':
        return known && value !== '' ? value : expandArgs(word ?? '', args);
      case '-':
        return known ? value : expandArgs(word ?? '', args);
      case ':+':
        return value === null ? whole : known && value !== '' ? expandArgs(word ?? '', args) : '';
      case '+':
        return value === null ? whole : known ? expandArgs(word ?? '', args) : '';
      default:
        return whole;
    }
  });
}
