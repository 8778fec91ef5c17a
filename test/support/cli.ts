/**
 * The built CLI (`npm test` builds first) run on real files: one runner for every test that
 * checks what a person sees. HARDEN_TEST_BIN runs the tests against another build (an older
 * release, to see a test fail there).
 */
import {execFile} from 'node:child_process';
import {resolve} from 'node:path';

export const bin = process.env['HARDEN_TEST_BIN'] ?? resolve('bin/harden.js');

/** What a run printed and how it ended. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `harden ARGS` in `cwd` without colour; never throws for a non-zero exit. */
export function harden(args: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 120_000): Promise<Run> {
  return new Promise(done => {
    execFile('node', [bin, ...args], {cwd, env: {...process.env, NO_COLOR: '1', ...env}, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
      const code = error ? (typeof (error as {code?: unknown}).code === 'number' ? (error as {code: number}).code : 1) : 0;
      done({code, stdout, stderr});
    });
  });
}
