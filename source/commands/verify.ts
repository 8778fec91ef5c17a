import {UserError} from '../core/model/errors.js';
import {parseCommandArgs} from './args.js';
import {connectEngine} from '../runtime/docker/engine.js';
import {resolveTarget} from '../runtime/targets/resolve.js';
import {verifyTarget} from '../runtime/verify.js';
import {parseWritable} from './fix-args.js';
import {abortOnSignal, progressPrinter, seconds} from './runtime-args.js';

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs('verify', args, {
    writable: {type: 'string', multiple: true, default: []},
    settle: {type: 'string'},
    timeout: {type: 'string'},
    probe: {type: 'string'},
    'no-shadow': {type: 'boolean', default: false},
    json: {type: 'boolean', default: false},
    quiet: {type: 'boolean', short: 'q', default: false},
  });
  const {values, positionals} = parsed;
  if (positionals.length !== 1) throw new UserError('harden verify takes one TARGET', 'a directory with a Dockerfile, compose.yaml:SERVICE, manifest.yaml:CONTAINER or an image');
  const writable = values.writable.map(parseWritable);
  const engine = await connectEngine();
  await engine.sweep();
  const target = await resolveTarget(positionals[0]!, process.cwd(), engine);
  if (target.container) throw new UserError(`${target.label} is a container; verify its image or its compose service instead`);
  const abort = abortOnSignal();
  let result;
  try {
    result = await verifyTarget(engine, target, {
      writable,
      settleSeconds: seconds(values.settle, '--settle', 5),
      readyTimeoutMs: seconds(values.timeout, '--timeout', 60) * 1000,
      shadowOnFailure: !values['no-shadow'],
      ...(values.probe !== undefined ? {probe: values.probe} : {}),
      onProgress: progressPrinter(values.quiet || values.json),
      signal: abort.signal,
    });
  } finally {
    abort.dispose();
  }
  if (values.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return result.ok ? 0 : 1;
  }
  for (const check of result.checks) process.stdout.write(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name.padEnd(16)} ${check.detail}\n`);
  if (result.ok) {
    process.stdout.write(`\n${target.label} runs read-only with no-new-privileges and keeps working.\n`);
    return 0;
  }
  if (result.missing.length > 0) {
    process.stdout.write('\nIt needs these paths writable:\n');
    for (const path of result.missing) process.stdout.write(`  ${path.path} (${path.mount}): ${path.evidence[0]}\n`);
    process.stdout.write(`\nFix: harden fix ${result.missing.map(p => `--writable ${p.path}=${p.mount}`).join(' ')}\n`);
  }
  const tail = result.logs.trim().split('\n').slice(-8).join('\n');
  if (tail) process.stdout.write(`\nLast lines of its output:\n${tail}\n`);
  return 1;
}
