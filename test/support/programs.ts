import {execFileSync} from 'node:child_process';

/** Whether `program` is on PATH and answers `args` (a version flag) with exit 0. */
export function hasProgram(program: string, args: readonly string[] = ['--version']): boolean {
  try {
    execFileSync(program, args, {stdio: 'ignore'});
    return true;
  } catch {
    return false;
  }
}
