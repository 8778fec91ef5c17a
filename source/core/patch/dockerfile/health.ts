import {programs, splitWords, type Argv} from './command.js';
import type {Language} from '../../knowledge/runtime-bases.js';
import type {RuntimeInfo} from '../../knowledge/runtime-choice.js';

/*
 * A HEALTHCHECK that asks with wget or curl breaks on a runtime base without them
 * (node:*-slim and python:*-slim have neither; docker-library/docs), and the image is
 * never healthy. The same GET made by the runtime itself works there: `node -e` or
 * `python -c`, healthy on an answer below 400 as `curl -f` and wget count it (plain curl
 * takes any answer). Where the runtime base has the program (eclipse-temurin ships wget
 * and curl) the line stays as written. Anything more than one GET (a pipe into grep, a
 * POST, HTTPS options) is not rewritten.
 */

/** A probe written anew for the runtime base. */
export interface Probe {
  /** The command after HEALTHCHECK's options, in exec form. */
  command: string;
  argv: Argv;
  /** Comment line above the HEALTHCHECK. */
  comment: string;
}

/** Options of wget and curl that change nothing of a plain GET's outcome. */
const wgetOptions = /^(-q|--quiet|--spider|-nv|--no-verbose|-O-?|--output-document(=.*)?|-t\d*|--tries=\d+|-T\d*|--timeout=\d+|-S|--server-response|-qO-?|-O\/dev\/null)$/;
const curlOptions = /^(-[fsSL]+|--fail|--silent|--show-error|--location|-o|--output|-m|--max-time|--connect-timeout|--retry)$/;
const valueTaking = new Set(['-O', '--output-document', '-t', '-T', '-o', '--output', '-m', '--max-time', '--connect-timeout', '--retry']);

/** The URL a wget/curl probe GETs and whether it fails on an HTTP error, or undefined when it is more than that. */
export function plainProbe(argv: Argv): {program: 'wget' | 'curl'; url: string; failOnError: boolean} | undefined {
  let words = argv.words;
  if (argv.shell) {
    // `wget ... || exit 1`: the exit status is the probe's either way.
    const body = argv.source.replace(/\s*\|\|\s*exit\s+1\s*$/, '');
    if (/[$`<>;&|\n]/.test(body)) return undefined;
    words = splitWords(body);
  }
  const program = words[0];
  if (program !== 'wget' && program !== 'curl') return undefined;
  const allowed = program === 'wget' ? wgetOptions : curlOptions;
  let url: string | undefined;
  let failOnError = program === 'wget';
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith('-')) {
      if (!allowed.test(word)) return undefined;
      if (program === 'curl' && (word === '--fail' || /^-[sSL]*f/.test(word))) failOnError = true;
      if (valueTaking.has(word)) i++;
      continue;
    }
    if (url !== undefined || !/^http:\/\/[^\s'"\\]+$/.test(word)) return undefined;
    url = word;
  }
  return url === undefined ? undefined : {program, url, failOnError};
}

/** The probe made by the runtime's own interpreter, or undefined when the language has none to ask with. */
function interpreterProbe(language: Language, url: string, failOnError: boolean): string[] | undefined {
  if (language === 'node') {
    const ok = failOnError ? 'r.statusCode < 400 ? 0 : 1' : '0';
    return ['node', '-e', `require('http').get('${url}', r => process.exit(${ok})).on('error', () => process.exit(1))`];
  }
  if (language === 'python') {
    const script = failOnError
      ? `import urllib.request; urllib.request.urlopen('${url}')`
      : `import urllib.error, urllib.request\ntry:\n    urllib.request.urlopen('${url}')\nexcept urllib.error.HTTPError:\n    pass`;
    return ['python', '-c', script];
  }
  return undefined;
}

/**
 * The probe to write instead of `argv` on `runtimeImage`, or undefined when the runtime has
 * what the probe runs (the line stays) or it cannot be asked another way (the check refuses).
 */
export function probeFor(argv: Argv, runtime: RuntimeInfo, runtimeImage: string, language: Language): Probe | undefined {
  if (programs(argv).every(p => runtime.commands.has(p) || p === 'exit')) return undefined;
  const probe = plainProbe(argv);
  if (!probe) return undefined;
  const words = interpreterProbe(language, probe.url, probe.failOnError);
  if (!words || !runtime.commands.has(words[0]!)) return undefined;
  const command = `[${words.map(w => JSON.stringify(w)).join(', ')}]`;
  return {
    command,
    argv: {words, source: command, shell: false, plain: true},
    comment: `# harden: ${runtimeImage} has no ${probe.program}: the same GET of ${probe.url}, made by ${words[0]}`,
  };
}
