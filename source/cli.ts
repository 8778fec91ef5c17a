// Entry point. Only node built-ins load here, so `--help` and `--version` answer
// at once; each command's code (yaml, dockerfile-ast, later Ink and dockerode) is
// imported only when that command runs.
import {UserError} from './core/model/errors.js';
import {helpText} from './commands/help.js';

declare const HARDEN_VERSION: string;

const commands: Record<string, () => Promise<{run(args: string[]): Promise<number>}>> = {
  audit: () => import('./commands/audit.js'),
  fix: () => import('./commands/fix.js'),
  undo: () => import('./commands/undo.js'),
  paths: () => import('./commands/paths.js'),
  verify: () => import('./commands/verify.js'),
  demo: async () => ({run: (await import('./commands/wizard.js')).runDemo}),
};

/**
 * A reader that stops early (`harden audit | head -3`) closes the pipe, and the next write fails
 * with EPIPE. That is neither the user's mistake nor a bug: the rest of the output is dropped
 * without a word, and the command runs to its end, so a `fix --yes` never stops between two
 * writes and the exit code is the command's own (with `set -o pipefail`, `harden audit | head`
 * still fails on findings). Any other stream error stays what it was.
 */
function dropOutputOnceClosed(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stream.write = (() => true) as typeof stream.write;
  });
}
dropOutputOnceClosed(process.stdout);
dropOutputOnceClosed(process.stderr);

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v' || first === 'version') {
    process.stdout.write(`${HARDEN_VERSION}\n`);
    return 0;
  }
  const isDir = (word: string) => !word.startsWith('-') && !(word in commands) && word !== 'help' && word !== 'version' && (word.includes('/') || word === '.');
  if (first === undefined || (rest.length === 0 && isDir(first)) || first.startsWith('--daemon-config') || (isDir(first) && rest[0]?.startsWith('--daemon-config'))) {
    // No command: the wizard, on the current directory or the one given.
    return (await import('./commands/wizard.js')).run(argv);
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(helpText(rest[0]));
    return 0;
  }
  // `harden DIR --help`: the wizard's help is the general page.
  if (isDir(first) && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(helpText());
    return 0;
  }
  const load = commands[first];
  if (!load) throw new UserError(`unknown command "${first}"`, `run "harden --help" to see the commands`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(helpText(first));
    return 0;
  }
  return (await load()).run(rest);
}

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UserError) {
      process.stderr.write(`harden: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`);
      // An unreachable engine (runtime/docker EngineUnavailable) carries exit code 3.
      const code = (error as UserError & {exitCode?: number}).exitCode;
      process.exitCode = typeof code === 'number' ? code : 2;
      return;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`harden: internal error (a bug in harden-wizard ${HARDEN_VERSION}; please report it with this output)\n${detail}\n`);
    process.exitCode = 70;
  },
);
