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
