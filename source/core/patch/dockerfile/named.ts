import {posix} from 'node:path';
import {resolveIn, type CopyIn} from './artifacts.js';
import type {Argv} from './command.js';

/*
 * Paths the command line names. A file it reads ships with the app even when only the
 * build output is copied (`node report.js --format text data/sales.json`, relative to
 * WORKDIR); the directory of a path given to an output option is one the app writes
 * (`--output out/summary.json`), so the runtime user must own it. Paths outside WORKDIR that
 * the app reads belong to the base image or to what the build installed, not to this list.
 */

/** Options whose value is a file the app writes (or, ending in `dir`, a directory it writes in). */
const outputOptions = /^--?(o|out|output|outfile|out-file|output-file|output-dir|outdir|out-dir|log|log-file|logfile|log-dir|pid|pidfile|pid-file|data-dir|datadir|state-dir|cache-dir)$/;

/** Extensions of files a command line names for the app to read (not `com.acme.App`, a class). */
const fileExtension = /\.(json|csv|tsv|txt|ini|cfg|conf|toml|ya?ml|xml|properties|env|m?js|cjs|ts|py|rb|php|jar|war|html?|db|sqlite3?|pem|crt|key|sql|lua|sh)$/;

/** What the command line names, as absolute paths. */
export interface NamedPaths {
  /** Files or directories under WORKDIR the app reads. */
  reads: string[];
  /** Directories the app writes. */
  writes: string[];
}

function looksLikePath(word: string): boolean {
  if (word === '' || word === '-' || word.startsWith('@') || /[$`*?:]/.test(word)) return false;
  return word.includes('/') || fileExtension.test(word);
}

export function namedPaths(entry: Argv | undefined, workdir: string | undefined): NamedPaths {
  const named: NamedPaths = {reads: [], writes: []};
  // A shell-form command with expansions is not read; a plain one is its words.
  if (!entry || (entry.shell && !entry.plain)) return named;
  const words = entry.words;
  for (let i = 1; i < words.length; i++) {
    let word = words[i]!;
    let option: string | undefined;
    const inline = /^(--?[A-Za-z][\w-]*)=(.*)$/.exec(word);
    if (inline) [, option, word] = inline as unknown as [string, string, string];
    else if (word.startsWith('-')) continue;
    else if (words[i - 1]?.startsWith('-')) option = words[i - 1];
    if (!looksLikePath(word)) continue;
    const path = resolveIn(workdir, word);
    if (option !== undefined && outputOptions.test(option)) named.writes.push(option.endsWith('dir') ? path : posix.dirname(path));
    else if (!word.startsWith('/') || (workdir !== undefined && path.startsWith(`${workdir}/`))) named.reads.push(path);
  }
  return named;
}

/**
 * True when a COPY of the builder brought `path` in, as COPY places things: a directory's
 * contents go into the destination (`.`, `config/`, and a source without an extension, which
 * may be a directory); a file goes to the destination, or into it when that ends in `/` or
 * the COPY has several sources.
 */
export function copiedIn(path: string, copies: readonly CopyIn[]): boolean {
  return copies.some(copy => {
    const to = copy.to.replace(/(.)\/$/, '$1');
    const into = copy.to.endsWith('/') || copy.sources.length > 1;
    return copy.sources.some(source => {
      const name = posix.basename(source);
      if (source === '.' || source.endsWith('/') || !name.includes('.')) return path === to || path.startsWith(to === '/' ? '/' : `${to}/`);
      if (!into) return path === to;
      return posix.dirname(path) === to && glob(name).test(posix.basename(path));
    });
  });
}

/** A COPY source's basename pattern (`package*.json`) as a regular expression. */
function glob(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}
