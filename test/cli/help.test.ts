import {describe, expect, it} from 'vitest';
import {helpText} from '../../source/commands/help.js';
import {commandOptions} from '../../source/commands/options.js';
import {harden} from '../hostile/support.js';

/** `--name` or `-x` as a word of the text: not part of a longer flag (`--plan` is not `--plan-out`). */
function mentions(text: string, flag: string): boolean {
  return new RegExp(`(^|[\\s,\\[(|])${flag.replace(/[-]/g, '\\-')}(?![\\w-])`, 'm').test(text);
}

describe('each command\'s --help', () => {
  const commands = Object.keys(commandOptions);

  it('is its own page, not the general one', () => {
    for (const command of commands) {
      expect(helpText(command), command).not.toBe(helpText());
      expect(helpText(command), command).toMatch(new RegExp(`^Usage: harden ${command}\\b`));
    }
  });

  it.each(commands)('harden %s --help names every flag its parser accepts, and its short form', command => {
    const text = helpText(command);
    const missing: string[] = [];
    for (const [name, option] of Object.entries(commandOptions[command]!)) {
      if (!mentions(text, `--${name}`)) missing.push(`--${name}`);
      if (option.short !== undefined && !mentions(text, `-${option.short}`)) missing.push(`-${option.short}`);
    }
    expect(missing).toEqual([]);
  });

  it('the general help names every command that has a page', () => {
    for (const command of commands) expect(helpText()).toContain(`harden ${command}`);
  });
});

describe('the built CLI', () => {
  it.each([
    [['--help', 'demo']],
    [['help', 'demo']],
    [['demo', '--help']],
    [['demo', '-h']],
  ])('harden %j shows the demo page', async args => {
    const run = await harden(args, process.cwd());
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(helpText('demo'));
  });

  it('harden --help fix lists --max-size', async () => {
    const run = await harden(['--help', 'fix'], process.cwd());
    expect(run.stdout).toMatch(/--max-size MIB/);
  });

  it('harden DIR --help shows the general help, not "unknown command"', async () => {
    const run = await harden(['./templates/demo', '--help'], process.cwd());
    expect(run).toMatchObject({code: 0, stderr: ''});
    expect(run.stdout).toBe(helpText());
  });
});
