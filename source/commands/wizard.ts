import {access, constants, cp, lstat, mkdir, mkdtemp, readdir} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {isInteractive, nonInteractiveHint} from '../app/interactive.js';
import {UserError} from '../core/model/errors.js';
import {parseCommandArgs} from './args.js';
import {wizardOptions} from './options.js';
import {lazyServices} from './lazy-services.js';
import {loadWizardUi} from './load-wizard.js';
import {packageRoot} from './package-root.js';
import type {RealServicesOptions} from './wizard-services.js';

/** `[DIR] [--daemon-config FILE] [--pull]`, the arguments of `harden` and `harden demo`. */
function wizardArgs(command: string, args: string[]): {dir: string | undefined; services: RealServicesOptions} {
  const {values, positionals} = parseCommandArgs(command, args, wizardOptions);
  if (positionals.length > 1) throw new UserError(`harden ${command === 'demo' ? 'demo ' : ''}takes at most one directory`, 'run "harden --help" to see the commands');
  const services: RealServicesOptions = values.pull ? {pull: true} : {};
  if (values['daemon-config'] !== undefined) services.daemonConfig = resolve(values['daemon-config']);
  return {dir: positionals[0], services};
}

async function startWizard(dir: string, lesson: boolean, options: RealServicesOptions): Promise<number> {
  // Checked before Ink loads, so a pipe answers at once.
  if (!isInteractive()) {
    process.stderr.write(`${nonInteractiveHint}\n`);
    return 2;
  }
  // Ink draws only the last frame when CI is set (is-in-ci, read when Ink loads). A
  // terminal on both ends is a person at a keyboard, CI or not (a tmux pane in a CI job).
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
  // The services (core, yaml, dockerode) load when the scan starts, after the first frame.
  const {runWizard} = await loadWizardUi();
  const services = lazyServices(async () => (await import('./wizard-services.js')).realServices(options));
  return runWizard({dir, services, lesson});
}

/** `harden` with no command: the wizard on the current directory. */
export function run(args: string[]): Promise<number> {
  const {dir, services} = wizardArgs('wizard', args);
  return startWizard(resolve(dir ?? '.'), false, services);
}

/** `harden demo [DIR]`: copies the demo project into DIR (or a new temporary directory) and starts the wizard there. */
export async function runDemo(args: string[]): Promise<number> {
  const given = wizardArgs('demo', args);
  let dir: string;
  if (given.dir === undefined) {
    dir = await mkdtemp(join(tmpdir(), 'harden-demo-')).catch((error: unknown) => {
      throw new UserError(`cannot create a temporary directory in ${tmpdir()}: ${reason(error)}`, 'give a directory: harden demo DIR, or set TMPDIR');
    });
  } else {
    dir = await demoDir(given.dir);
  }
  try {
    await cp(join(await packageRoot(), 'templates', 'demo'), dir, {recursive: true});
  } catch (error) {
    throw new UserError(`cannot copy the demo project into ${given.dir ?? dir}: ${reason(error)}`, demoHint);
  }
  process.stderr.write(`harden: the demo project is in ${dir}\n`);
  if (!isInteractive()) {
    // No terminal (a pipe, CI): show what the wizard's first steps would, as plain commands.
    process.stderr.write('harden: no terminal, so no wizard; here are the audit and the fix it would offer (run "harden demo" in a terminal for the wizard)\n\n');
    process.chdir(dir);
    await (await import('./audit.js')).run(['--fail-on', 'none']);
    process.stdout.write('\n');
    // A preview: the proof by running (builds and runs) is left to harden fix and the wizard.
    return (await import('./fix.js')).run(['--no-run']);
  }
  return startWizard(dir, true, given.services);
}

const demoHint = 'give a new or empty directory, or none for a temporary one';

/**
 * DIR for `harden demo DIR`: made when it does not exist, else a real, empty, writable
 * directory. A link is refused even to a directory: the demo would land somewhere else.
 */
async function demoDir(given: string): Promise<string> {
  const dir = resolve(given);
  const info = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new UserError(`cannot use ${given}: ${reason(error)}`, demoHint);
  });
  if (info === undefined) {
    await makeDirs(dir, given);
    return dir;
  }
  if (info.isSymbolicLink()) throw new UserError(`${given} is a symbolic link; the demo goes only into a real directory`, demoHint);
  if (!info.isDirectory()) throw new UserError(`${given} exists and is not a directory`, demoHint);
  if ((await readdir(dir)).length > 0) throw new UserError(`${given} is not empty`, demoHint);
  await access(dir, constants.W_OK).catch(() => {
    throw new UserError(`${given} is not writable`, demoHint);
  });
  return dir;
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir loops forever where mkdir answers
 * ENOENT for a parent that exists (/proc/x), and a level at a time says which part failed.
 */
async function makeDirs(dir: string, given: string): Promise<void> {
  const missing: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    const info = await lstat(at).catch(() => undefined);
    if (info?.isDirectory()) break;
    if (info !== undefined) throw new UserError(`cannot create ${given}: ${at} is not a directory`, demoHint);
    if (dirname(at) === at) break;
    missing.unshift(at);
  }
  for (const path of missing) {
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      throw new UserError(`cannot create ${given}: ${reason(error)}`, demoHint);
    });
  }
}

/** A file system error as a few words: "permission denied", not the errno dump. */
function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'read-only file system', ENOSPC: 'no space left on the device',
    ENOENT: 'no such file or directory', ENOTDIR: 'a part of the path is not a directory', EEXIST: 'it exists already', EDQUOT: 'disk quota exceeded',
  };
  return (code && words[code]) ?? (error as Error).message.split('\n')[0]!;
}
