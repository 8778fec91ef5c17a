import type {VerifyResult} from '../core/model/runtime.js';
import {UserError} from '../core/model/errors.js';
import {parseCommandArgs} from './args.js';
import {verifyOptions} from './options.js';
import {resolveTargets, type ResolvedTarget} from '../runtime/targets/resolve.js';
import {verifyTarget} from '../runtime/verify.js';
import {verifyTargets} from '../runtime/verify-targets.js';
import {parseWritable} from './fix-args.js';
import {writableNames} from '../core/plan/writable.js';
import {abortOnSignal, notVerifiedExit, onceEngine, progressPrinter, seconds} from './runtime-args.js';

/** How many targets run at once unless --jobs says otherwise. */
const defaultJobs = 4;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs('verify', args, verifyOptions);
  const {values, positionals} = parsed;
  if (positionals.length === 0) throw new UserError('harden verify takes a TARGET', 'a directory with a Dockerfile, compose.yaml[:SERVICE], manifest.yaml[:CONTAINER] or an image; several are verified at once');
  const writable = values.writable.map(parseWritable);
  const jobs = jobsFrom(values.jobs);
  const options = {
    writable,
    settleSeconds: seconds(values.settle, '--settle', 5),
    readyTimeoutMs: seconds(values.timeout, '--timeout', 60) * 1000,
    shadowOnFailure: !values['no-shadow'],
    pull: values.pull,
    ...(values.probe !== undefined ? {probe: values.probe} : {}),
  };
  // Files are read before the engine is reached, so a missing path is named even with no engine.
  const connect = onceEngine();
  const targets: ResolvedTarget[] = [];
  let several = positionals.length > 1;
  for (const spec of positionals) {
    const resolved = await resolveTargets(spec, process.cwd(), connect);
    targets.push(...resolved.targets);
    several ||= resolved.wholeFile;
  }
  const engine = await connect();
  await engine.sweep();
  for (const target of targets) {
    if (target.container) throw new UserError(`${target.label} is a container; verify its image or its compose service instead`);
  }
  const quiet = values.quiet || values.json;
  const abort = abortOnSignal();
  let results: VerifyResult[];
  try {
    if (several) {
      const print = progressPrinter(quiet);
      results = await verifyTargets(engine, targets, {...options, jobs, signal: abort.signal, onProgress: (target, line) => print(`[${target.label}] ${line.trim()}`)});
    } else {
      results = [await verifyTarget(engine, targets[0]!, {...options, onProgress: progressPrinter(quiet), signal: abort.signal})];
    }
  } finally {
    abort.dispose();
  }
  // A failure of the hardened config is 1; a target that could not run for want of its image is 4 when nothing failed.
  const failed = results.filter(r => !r.ok && !r.notVerified).map(r => r.target);
  const unverified = results.filter(r => r.notVerified);
  const code = failed.length > 0 ? 1 : unverified.length > 0 ? notVerifiedExit : 0;
  if (values.json) {
    process.stdout.write(JSON.stringify(several ? results : results[0], null, 2) + '\n');
    return code;
  }
  if (!several) {
    printResult(results[0]!, targets[0]!.label, positionals, nameOf(targets[0]!));
    return code;
  }
  results.forEach((result, index) => {
    process.stdout.write(`${index > 0 ? '\n' : ''}== ${result.target}: ${result.ok ? 'ok' : result.notVerified ? 'not verified' : 'FAIL'}\n`);
    printResult(result, result.target, positionals, nameOf(targets[index]));
  });
  const passed = results.length - failed.length - unverified.length;
  const notRun = unverified.length > 0 ? `; not verified (image not on this machine): ${unverified.map(r => r.target).join(', ')}` : '';
  process.stdout.write(`\n${passed} of ${results.length} targets keep working read-only${failed.length > 0 ? `; not: ${failed.join(', ')}` : ''}${notRun}.\n`);
  return code;
}

/** `--jobs N`: how many targets run at once, 1 to 16. */
function jobsFrom(value: string | undefined): number {
  if (value === undefined) return defaultJobs;
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 16) throw new UserError(`--jobs must be a whole number from 1 to 16, not "${value}"`);
  return jobs;
}

/** The checks of one result; on failure the missing paths, the fix command and the last lines of output. */
/** The service or container name `fix --writable NAME:PATH` takes for a target, when it has one. */
function nameOf(target: ResolvedTarget | undefined): string | undefined {
  return target?.subject ? writableNames(target.subject)[0] : undefined;
}

function printResult(result: VerifyResult, label: string, specs: readonly string[], name: string | undefined): void {
  if (result.notVerified) {
    const pull = /is not on this machine$/.test(result.notVerified.why) ? `; harden verify --pull ${specs.join(' ')} pulls it (from its registry) and verifies it` : '';
    process.stdout.write(`--    not verified: ${result.notVerified.why}${pull}\n`);
    return;
  }
  for (const check of result.checks) process.stdout.write(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name.padEnd(16)} ${check.detail}\n`);
  if (result.ok) {
    process.stdout.write(`\n${label} runs read-only with no-new-privileges and keeps working.\n`);
    return;
  }
  if (result.missing.length > 0) {
    process.stdout.write('\nIt needs these paths writable:\n');
    for (const path of result.missing) process.stdout.write(`  ${path.path} (${path.mount}): ${path.evidence[0]}\n`);
    // Named, so the fix adds the path to this service only, not to every one (a cache has no /app/run).
    const prefix = name === undefined ? '' : `${name}:`;
    process.stdout.write(`\nFix: harden fix ${result.missing.map(p => `--writable ${prefix}${p.path}=${p.mount}`).join(' ')}\n`);
  }
  const tail = result.logs.trim().split('\n').slice(-8).join('\n');
  if (tail) process.stdout.write(`\nLast lines of its output:\n${tail}\n`);
}
