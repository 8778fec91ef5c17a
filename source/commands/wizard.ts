import {cp, mkdir, mkdtemp, readdir} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {isInteractive, nonInteractiveHint} from '../app/interactive.js';
import {UserError} from '../core/model/errors.js';
import {parseCommandArgs} from './args.js';
import {lazyServices} from './lazy-services.js';
import {loadWizardUi} from './load-wizard.js';
import {packageRoot} from './package-root.js';

/** `[DIR] [--daemon-config FILE]`, the arguments of `harden` and `harden demo`. */
function wizardArgs(command: string, args: string[]): {dir: string | undefined; daemonConfig: string | undefined} {
  const {values, positionals} = parseCommandArgs(command, args, {'daemon-config': {type: 'string'}});
  if (positionals.length > 1) throw new UserError(`harden ${command === 'demo' ? 'demo ' : ''}takes at most one directory`, 'run "harden --help" to see the commands');
  return {dir: positionals[0], daemonConfig: values['daemon-config'] === undefined ? undefined : resolve(values['daemon-config'])};
}

async function startWizard(dir: string, lesson: boolean, daemonConfig: string | undefined): Promise<number> {
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
  const services = lazyServices(async () => (await import('./wizard-services.js')).realServices(daemonConfig === undefined ? {} : {daemonConfig}));
  return runWizard({dir, services, lesson});
}

/** `harden` with no command: the wizard on the current directory. */
export function run(args: string[]): Promise<number> {
  const {dir, daemonConfig} = wizardArgs('wizard', args);
  return startWizard(resolve(dir ?? '.'), false, daemonConfig);
}

/** `harden demo [DIR]`: copies the demo project into DIR (or a new temporary directory) and starts the wizard there. */
export async function runDemo(args: string[]): Promise<number> {
  const given = wizardArgs('demo', args);
  let dir: string;
  if (given.dir === undefined) {
    dir = await mkdtemp(join(tmpdir(), 'harden-demo-'));
  } else {
    dir = resolve(given.dir);
    await mkdir(dir, {recursive: true});
    if ((await readdir(dir)).length > 0) throw new UserError(`${given.dir} is not empty`, 'give a new or empty directory, or none for a temporary one');
  }
  await cp(join(await packageRoot(), 'templates', 'demo'), dir, {recursive: true});
  process.stderr.write(`harden: the demo project is in ${dir}\n`);
  if (!isInteractive()) {
    // No terminal (a pipe, CI): show what the wizard's first steps would, as plain commands.
    process.stderr.write('harden: no terminal, so no wizard; here are the audit and the fix it would offer (run "harden demo" in a terminal for the wizard)\n\n');
    process.chdir(dir);
    await (await import('./audit.js')).run(['--fail-on', 'none']);
    process.stdout.write('\n');
    return (await import('./fix.js')).run([]);
  }
  return startWizard(dir, true, given.daemonConfig);
}
