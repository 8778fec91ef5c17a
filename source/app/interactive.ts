/*
 * Loaded before Ink: the CLI asks this first, so a pipe or CI never pays for loading
 * React just to be told the wizard needs a terminal.
 */

/** The line a non-interactive run prints to stderr (the CLI then exits 2). */
export const nonInteractiveHint = 'harden: the wizard needs a terminal; use "harden audit" and "harden fix" in scripts';

/** True when both ends are a terminal; the wizard needs keys in and a screen out. */
export function isInteractive(stdin: {isTTY?: boolean} = process.stdin, stdout: {isTTY?: boolean} = process.stdout): boolean {
  return stdin.isTTY === true && stdout.isTTY === true;
}
