import {parseArgs, type ParseArgsConfig} from 'node:util';
import {UserError} from '../core/model/errors.js';
import {defaultMaxBytes} from '../core/parse/text.js';

/** node:util parseArgs with positionals, its errors turned into one line that names the help to read. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T) {
  try {
    return parseArgs({args, allowPositionals: true, strict: true, options});
  } catch (error) {
    throw new UserError((error as Error).message.split('\n')[0]!, `run "harden ${command} --help" for the options`);
  }
}

/** `--max-size MIB` as bytes; the default when absent. */
export function maxBytesFrom(value: string | undefined): number {
  if (value === undefined) return defaultMaxBytes;
  const mib = Number(value);
  if (!Number.isFinite(mib) || mib <= 0) throw new UserError(`--max-size must be a positive number of MiB, not "${value}"`);
  return Math.round(mib * 1024 * 1024);
}

/**
 * `--only RULE,...` or `--skip RULE,...` as a set of rule ids; repeated flags add up. An
 * id no rule has is a usage error that lists the ids, so a typo cannot silently drop a rule.
 */
export function ruleIdsFrom(flag: string, values: readonly string[], known: readonly string[]): Set<string> {
  const ids = values.flatMap(v => v.split(',')).map(s => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new UserError(`--${flag} needs rule ids, such as --${flag} cap-drop`, `rules: ${known.join(', ')}`);
  const unknown = ids.filter(id => !known.includes(id));
  if (unknown.length > 0) throw new UserError(`--${flag}: unknown rule ${unknown.join(', ')}`, `rules: ${known.join(', ')}`);
  return new Set(ids);
}
