import {baseOf, noNewPrivilegesWhy, noteLines, portSpec, preamble, readOnlyWhy, restartSpec, tmpfsSpec, volumeSpec, writableWhy} from './format.js';
import type {RunConfig} from './model.js';
import {printable, shQuote} from './quote.js';

/*
 * The `docker run` script. Every value from the container is one single-quoted word and
 * is attached to its flag with `=` (`--name='web'`), so a value that starts with `-` is
 * never read as a flag; `--` ends the options before the image. Comments say what each
 * hardening flag does; they sit above the command because sh allows no comment inside a
 * `\`-continued line.
 */

/** One `docker run` option: a fixed flag, and the value it takes from the container (if any). */
export interface RunOption {
  flag: string;
  value?: string;
  /** Set on the hardening options: why, for the comment block. */
  why?: string;
}

/** The options of the hardened `docker run` after `-d` (detached), in the order the script writes them. */
export function dockerRunOptions(config: RunConfig): RunOption[] {
  const options: RunOption[] = [{flag: '--name', value: config.name}];
  options.push({flag: '--read-only', why: readOnlyWhy});
  options.push({flag: '--security-opt', value: 'no-new-privileges', why: noNewPrivilegesWhy});
  for (const mount of config.writable) {
    options.push(mount.mount === 'tmpfs'
      ? {flag: '--tmpfs', value: tmpfsSpec(mount), why: writableWhy(mount)}
      : {flag: '--volume', value: volumeSpec(mount.name, mount.path, false), why: writableWhy(mount)});
  }
  if (config.user !== undefined) options.push({flag: '--user', value: config.user});
  if (config.workingDir !== undefined) options.push({flag: '--workdir', value: config.workingDir});
  if (config.entrypoint !== undefined) options.push({flag: '--entrypoint', value: config.entrypoint[0] ?? ''});
  for (const env of config.env) options.push({flag: '--env', value: `${env.name}=${env.value}`});
  for (const port of config.ports) options.push({flag: '--publish', value: portSpec(port)});
  for (const mount of config.mounts) {
    if (mount.kind === 'tmpfs') options.push({flag: '--tmpfs', value: tmpfsSpec(mount)});
    else options.push({flag: '--volume', value: volumeSpec(mount.kind === 'bind' ? mount.source : mount.name, mount.target, mount.readOnly)});
  }
  if (config.network !== undefined) options.push({flag: '--network', value: config.network});
  if (config.restart !== undefined) options.push({flag: '--restart', value: restartSpec(config.restart)});
  for (const cap of config.capAdd) options.push({flag: '--cap-add', value: cap});
  for (const cap of config.capDrop) options.push({flag: '--cap-drop', value: cap});
  for (const option of config.securityOpt) options.push({flag: '--security-opt', value: option});
  for (const label of config.labels) options.push({flag: '--label', value: `${label.name}=${label.value}`});
  return options;
}

/**
 * What follows the image: the rest of a multi-word entrypoint (`docker run --entrypoint`
 * takes one word), then the command. The process runs the same argv either way.
 */
export function dockerRunCommand(config: RunConfig): string[] {
  return [...(config.entrypoint?.slice(1) ?? []), ...(config.command ?? [])];
}

/** The argv of the hardened container's `docker run`, after `docker`: what the script passes, word for word. */
export function dockerRunArgs(config: RunConfig): string[] {
  const options = dockerRunOptions(config).map(o => (o.value === undefined ? o.flag : `${o.flag}=${o.value}`));
  return ['run', '-d', ...options, '--', config.image, ...dockerRunCommand(config)];
}

const comment = (line: string) => (line === '' ? '#' : `# ${line}`);

/** File name of the script: `<name>.run.sh`. */
export function dockerRunFile(config: RunConfig): string {
  return `${baseOf(config)}.run.sh`;
}

/**
 * A POSIX sh script that starts the hardened container: `#!/bin/sh`, `set -eu` and one
 * `docker run -d` command, every value single-quoted so that no name, environment value
 * or label can make the shell do anything but pass it on.
 */
export function dockerRunScript(config: RunConfig): string {
  const options = dockerRunOptions(config);
  const name = shQuote(printable(config.name));
  const header = [
    ...preamble(config),
    'A container name is unique, so stop and remove the old container first:',
    `  docker stop ${name} && docker rm ${name}`,
    `then run: sh ${dockerRunFile(config)}`,
    '',
    'Hardening:',
    ...options.filter(o => o.why !== undefined).flatMap(o => [`  ${o.flag}${o.value === undefined ? '' : `=${printable(o.value)}`}`, `      ${o.why!}`]),
    ...(noteLines(config).length > 0 ? ['', ...noteLines(config)] : []),
    '',
    'Every value is in single quotes: the shell expands nothing inside them.',
  ];
  const lines = ['#!/bin/sh', ...header.map(comment), 'set -eu', '', 'docker run -d \\'];
  for (const option of options) lines.push(`  ${option.flag}${option.value === undefined ? '' : `=${shQuote(option.value)}`} \\`);
  lines.push(`  -- ${[config.image, ...dockerRunCommand(config)].map(shQuote).join(' ')}`);
  return `${lines.join('\n')}\n`;
}
