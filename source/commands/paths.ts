import {ImageNotLocal, UserError} from '../core/model/errors.js';
import {parseCommandArgs} from './args.js';
import {pathsOptions} from './options.js';
import type {PathsResult} from '../core/model/runtime.js';
import {discoverPaths} from '../runtime/shadow.js';
import {resolveTarget} from '../runtime/targets/resolve.js';
import {notVerifiedExit, onceEngine, progressPrinter, seconds} from './runtime-args.js';

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs('paths', args, pathsOptions);
  const {values, positionals} = parsed;
  if (positionals.length !== 1) throw new UserError('harden paths takes one TARGET', 'an image, a container, a directory with a Dockerfile, or compose.yaml:SERVICE');
  // Files are read before the engine is reached, so a missing path is named even with no engine.
  const connect = onceEngine();
  const target = await resolveTarget(positionals[0]!, process.cwd(), connect);
  const engine = await connect();
  await engine.sweep();
  let paths;
  try {
    paths = await discoverPaths(engine, target, {
      durationSeconds: seconds(values.duration, '--duration', 5),
      readyTimeoutMs: seconds(values.timeout, '--timeout', 60) * 1000,
      ...(values.probe !== undefined ? {probe: values.probe} : {}),
      onProgress: progressPrinter(values.quiet || values.json),
      pull: values.pull,
    });
  } catch (error) {
    if (!(error instanceof ImageNotLocal)) throw error;
    // Nothing ran, and nothing is wrong with the target: its own exit code, and the way on.
    if (values.json) process.stdout.write(JSON.stringify({target: target.label, notRun: {image: error.image, why: error.why}}, null, 2) + '\n');
    else process.stdout.write(`${target.label}: not run: ${error.why}${values.pull ? '' : `; harden paths --pull ${positionals[0]} pulls it (from its registry)`}\n`);
    return notVerifiedExit;
  }
  const result: PathsResult = {target: target.label, paths};
  if (values.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } else if (paths.length === 0) {
    process.stdout.write(`${target.label} wrote nothing outside its mounts: a read-only root needs no writable path.\n`);
  } else {
    process.stdout.write(`${target.label} needs these paths writable:\n`);
    for (const path of paths) process.stdout.write(`  ${path.path.padEnd(28)} ${path.mount.padEnd(7)} ${path.evidence.slice(0, 3).join('; ')}\n`);
    const flags = paths.map(p => `--writable ${p.path}=${p.mount}`).join(' ');
    process.stdout.write(`\nTry: harden verify ${target.label} ${flags}\n`);
  }
  return 0;
}
