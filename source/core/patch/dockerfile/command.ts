/*
 * Just enough shell reading to find what a Dockerfile runs: the argv of CMD, ENTRYPOINT
 * and HEALTHCHECK, and the simple commands of a RUN with their `VAR=value` prefixes.
 * Anything cleverer (functions, subshells, expansions) makes the rewrite say no.
 */

/** A command as Docker runs it. */
export interface Argv {
  words: string[];
  /** The text as written (shell form: what `/bin/sh -c` gets). */
  source: string;
  /** Written in shell form: Docker runs it with `/bin/sh -c`. */
  shell: boolean;
  /** Shell form with nothing a shell must interpret (no `$`, quotes, `&&`, redirects, globs). */
  plain: boolean;
}

/** One simple command of a shell line. */
export interface Segment {
  /** `VAR=value` prefixes. */
  env: Record<string, string>;
  /** Words, quotes removed, `sudo` and `exec` dropped. */
  words: string[];
}

/** Parses the arguments of CMD or ENTRYPOINT (or what follows HEALTHCHECK's `CMD`). */
export function parseArgv(args: string): Argv {
  const text = args.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every(w => typeof w === 'string')) return {words: parsed, source: text, shell: false, plain: true};
    } catch {
      // BuildKit runs an unparsable [...] in a shell; so do we.
    }
  }
  return {words: splitWords(text), source: text, shell: true, plain: !/[$`&|;<>(){}*?~\\"'#]|\n/.test(text)};
}

/** The argv Docker runs: exec-form ENTRYPOINT plus CMD; a shell-form ENTRYPOINT ignores CMD. */
export function effectiveArgv(entrypoint: Argv | undefined, cmd: Argv | undefined): Argv | undefined {
  if (!entrypoint) return cmd;
  if (entrypoint.shell || !cmd) return entrypoint;
  return {words: [...entrypoint.words, ...cmd.words], source: `${entrypoint.source} ${cmd.source}`, shell: cmd.shell, plain: cmd.plain};
}

/** The command of a HEALTHCHECK (`--interval=... CMD ...`), or undefined for `NONE`. */
export function healthcheckArgv(args: string): Argv | undefined {
  const match = /^\s*(?:--\S+\s+)*(\S+)\s*([\s\S]*)$/.exec(args);
  if (!match || match[1]!.toUpperCase() !== 'CMD') return undefined;
  return parseArgv(match[2]!);
}

/** The simple commands of a shell line (a RUN, a shell-form CMD); `&&`, `;`, pipes and newlines inside quotes do not split. */
export function segments(shell: string): Segment[] {
  const result: Segment[] = [];
  for (const part of splitCommands(shell)) {
    const words = splitWords(part);
    const env: Record<string, string> = {};
    while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) {
      const word = words.shift()!;
      env[word.slice(0, word.indexOf('='))] = word.slice(word.indexOf('=') + 1);
    }
    while (words[0] === 'sudo' || words[0] === 'exec' || words[0] === 'env') words.shift();
    if (words.length > 0 || Object.keys(env).length > 0) result.push({env, words});
  }
  return result;
}

function splitCommands(shell: string): string[] {
  const parts: string[] = [];
  let quote = '';
  let current = '';
  for (let i = 0; i < shell.length; i++) {
    const c = shell[i]!;
    if (quote) {
      current += c;
      if (c === '\\' && quote === '"' && i + 1 < shell.length) current += shell[++i];
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    if (c === ';' || c === '\n' || c === '|' || (c === '&' && shell[i + 1] === '&')) {
      parts.push(current);
      current = '';
      if ((c === '&' || c === '|') && shell[i + 1] === c) i++;
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts;
}

/** Whitespace-separated words with simple quotes removed. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) {
    words.push(match[1] ?? match[2] ?? match[3]!);
  }
  return words;
}

/** The value of `-o X`, `-o=X`, `--output X` or `--output=X` in a word list. */
export function flagValue(words: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    for (const name of names) {
      if (word === name) return words[i + 1];
      if (word.startsWith(`${name}=`)) return word.slice(name.length + 1);
    }
  }
  return undefined;
}

/** The programs a command runs: argv[0] of exec form; the first word of each simple command of shell form. */
export function programs(argv: Argv): string[] {
  if (!argv.shell) return argv.words.slice(0, 1);
  return segments(argv.source).map(s => s.words[0]).filter((w): w is string => w !== undefined);
}

/** Packages installed by apt-get/apt/apk/yum/dnf/microdnf in a segment, versions stripped. */
export function installedPackages(segment: Segment): {tool: string; packages: string[]} | undefined {
  const [tool, ...rest] = segment.words;
  if (!tool || !/^(apt-get|apt|apk|yum|dnf|microdnf)$/.test(tool)) return undefined;
  const at = rest.findIndex(w => w === 'install' || w === 'add');
  if (at < 0) return undefined;
  const packages = rest.slice(at + 1).filter(w => !w.startsWith('-') && !w.startsWith('.')).map(w => w.replace(/[=<>].*$/, ''));
  // apk add --virtual NAME: NAME is a label, not a package.
  const virtual = rest.indexOf('--virtual');
  const label = virtual >= 0 ? rest[virtual + 1] : rest.find(w => w.startsWith('--virtual='))?.slice('--virtual='.length);
  return {tool, packages: packages.filter(p => p !== label && p !== '')};
}
