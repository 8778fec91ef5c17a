import {render} from 'ink';
import {App} from './app.js';
import {isInteractive, nonInteractiveHint} from './interactive.js';
import type {WizardServices} from './services.js';

export interface RunWizardOptions {
  /** The project directory. */
  dir: string;
  services: WizardServices;
  /** Workshop mode (`harden demo`): a lesson line on each step. */
  lesson?: boolean;
  /** Streams, for tests; the process's own by default. */
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/**
 * Runs the wizard until the person finishes (0) or quits (130); 1 when a step failed for
 * good, 2 without a terminal (after one line on stderr saying what to use instead).
 */
export async function runWizard(options: RunWizardOptions): Promise<number> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  if (!isInteractive(stdin, stdout)) {
    stderr.write(nonInteractiveHint + '\n');
    return 2;
  }
  let code = 130;
  let summary = '';
  const onExit = (c: number, text: string) => {
    code = c;
    summary = text;
  };
  const instance = render(<App dir={options.dir} services={options.services} lesson={options.lesson === true} onExit={onExit} />, {
    stdin,
    stdout,
    stderr,
    // Ctrl-C is a key like q: the app aborts what runs and waits for its clean-up before it leaves.
    exitOnCtrlC: false,
    // A stray console.log would tear the frame on the real terminal; streams of one's own leave the console alone.
    patchConsole: options.stdout === undefined,
  });
  await instance.waitUntilExit();
  // After Ink is done: its frames are redrawn in place, and this must stay on the terminal.
  stdout.write(summary);
  return code;
}
