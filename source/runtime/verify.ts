import {ImageNotLocal} from '../core/model/errors.js';
import {userIds} from '../core/knowledge/user-ids.js';
import type {FoundPath, VerifyCheck, VerifyResult} from '../core/model/runtime.js';
import {canonicalPath, isCovered, suggestMount} from '../core/paths.js';
import {requestsFor, type WritableRequest} from '../core/plan/writable.js';
import {writeFailures} from '../core/runtime/log-errors.js';
import {testRunCapabilities} from '../core/runtime/privileges.js';
import {chooseProbe} from '../core/runtime/readiness.js';
import {onExitRemove} from './docker/cleanup.js';
import type {ContainerEngine, RunSpec} from './ports.js';
import {prepareImage, type PreparedImage} from './prepare.js';
import {waitReady} from './probe.js';
import {discoverPaths, limits} from './shadow.js';
import type {ResolvedTarget} from './targets/resolve.js';

export interface VerifyOptions {
  writable: readonly WritableRequest[];
  /** How long a ready container must stay up. */
  settleSeconds: number;
  readyTimeoutMs: number;
  probe?: string;
  /** Run a shadow container to name the missing path when the logs do not. */
  shadowOnFailure: boolean;
  onProgress(line: string): void;
  signal?: AbortSignal;
  /** Pull an image the engine does not have (`--pull`); otherwise such a target is not verified. */
  pull?: boolean;
}

const maxLogChars = 4000;

/** The hardened run configuration: read-only root, the target's mounts, no-new-privileges, its user, no network, the fewest capabilities. */
export function hardenedSpec(image: string, target: ResolvedTarget, prepared: PreparedImage, writable: readonly WritableRequest[]): RunSpec {
  const user = target.user ?? (prepared.config.user || undefined);
  const ids = user ? userIds(user) : undefined;
  const tmpfs: Record<string, string> = {};
  const volumes: Array<{name: string; target: string}> = [];
  const add = (path: string, mount: string) => {
    if (mount === 'tmpfs') {
      const options = ['size=64m'];
      if (path === '/tmp' || path === '/var/tmp') options.push('mode=1777');
      // A tmpfs is root's unless told otherwise; a non-root app writes there only when it owns it.
      else if (ids && ids.uid !== 0) options.push(`uid=${ids.uid}`, `gid=${ids.gid ?? ids.uid}`);
      tmpfs[path] = options.join(',');
    } else volumes.push({name: path.split('/').filter(Boolean).join('-') || 'root', target: path});
  };
  for (const mount of target.mounts) if (!mount.readOnly && (mount.kind === 'tmpfs' || mount.kind === 'emptyDir')) add(mount.target, 'tmpfs');
  for (const mount of target.mounts) if (!mount.readOnly && (mount.kind === 'volume' || mount.kind === 'pvc')) add(mount.target, 'volume');
  for (const request of writable) if (!(request.path in tmpfs) && !volumes.some(v => v.target === request.path)) add(request.path, request.mount ?? suggestMount(request.path));
  return {
    image,
    ...(target.command ? {cmd: target.command} : {}),
    ...(user ? {user} : {}),
    readOnly: true,
    tmpfs,
    volumes,
    network: 'none',
    noNewPrivileges: true,
    ...testRunCapabilities(user, target.capDrop, target.capAdd),
    ...limits,
  };
}

/** `harden verify`: builds when needed, runs the target hardened and judges it. */
export async function verifyTarget(engine: ContainerEngine, target: ResolvedTarget, options: VerifyOptions): Promise<VerifyResult> {
  const checks: VerifyCheck[] = [];
  const result: VerifyResult = {target: target.label, ok: false, checks, missing: [], logs: ''};
  let prepared: PreparedImage;
  try {
    prepared = await prepareImage(engine, target, options.onProgress, options.signal, options.pull);
    checks.push({name: 'build', ok: true, detail: target.build ? `built ${target.build.dockerfile}` : `image ${target.image} is present`});
  } catch (error) {
    if (error instanceof ImageNotLocal) {
      result.notVerified = {image: error.image, why: error.why};
      return result;
    }
    checks.push({name: 'build', ok: false, detail: (error as Error).message});
    return result;
  }
  try {
    const probe = chooseProbe(prepared.config, options.probe);
    // `--writable web:/app/run`: only for the target named web.
    const spec = hardenedSpec(prepared.image, target, prepared, target.subject ? requestsFor(options.writable, target.subject) : options.writable.filter(r => r.target === undefined));
    const mounts = [...Object.keys(spec.tmpfs).map(p => `tmpfs ${p}`), ...spec.volumes.map(v => `volume ${v.target}`)];
    options.onProgress(`running ${target.label} read-only${mounts.length > 0 ? ` with ${mounts.join(', ')}` : ' with no writable mount'}, no network`);
    const container = await engine.run(spec);
    const forget = onExitRemove(container);
    try {
      checks.push({name: 'start', ok: true, detail: `read-only root, no-new-privileges, no network, ${privilegesOf(spec)}`});
      const ready = await waitReady(container, probe, options.readyTimeoutMs, options.signal);
      if (ready.exitCode !== undefined) {
        checks.push({name: 'exit-code', ok: ready.exitCode === 0, detail: ready.exitCode === 0 ? 'a one-shot run: it exited 0' : ready.detail});
      } else {
        checks.push({name: 'ready', ok: ready.ready, detail: ready.detail});
        if (ready.ready) {
          options.onProgress(`ready; watching for ${options.settleSeconds} s`);
          const exit = await container.wait(options.settleSeconds * 1000);
          checks.push({name: 'stays-up', ok: exit === undefined, detail: exit === undefined ? `still running after ${options.settleSeconds} s` : `it exited with code ${exit}`});
        }
      }
      result.logs = (await container.logs()).slice(-maxLogChars);
    } finally {
      await container.remove();
      forget();
    }
    const failures = writeFailures(result.logs);
    checks.push({
      name: 'no-write-errors',
      ok: failures.length === 0,
      detail: failures.length === 0 ? 'no read-only or permission error in the logs' : failures.map(f => f.line).slice(0, 3).join(' | '),
    });
    for (const failure of failures) addMissing(result.missing, failure.dir, suggestMount(failure.dir), `log: ${failure.line}`);
    result.ok = checks.every(c => c.ok);
    if (!result.ok && result.missing.length === 0 && options.shadowOnFailure) {
      options.onProgress('the logs name no path; running it writable once to see what it writes');
      const mounted = [...target.mounts, ...Object.keys(spec.tmpfs).map(p => ({target: p, kind: 'tmpfs' as const, readOnly: false, line: 0})), ...spec.volumes.map(v => ({target: v.target, kind: 'volume' as const, readOnly: false, line: 0}))];
      const found = await discoverPaths(engine, {...target, mounts: mounted}, {durationSeconds: 2, readyTimeoutMs: options.readyTimeoutMs, onProgress: options.onProgress, ...(options.probe ? {probe: options.probe} : {}), ...(options.signal ? {signal: options.signal} : {})});
      for (const path of found) if (!isCovered(path.path, mounted)) addMissing(result.missing, path.path, path.mount, path.evidence.join('; '));
    }
  } finally {
    await prepared.release();
  }
  return result;
}

/** `user 1000:1000, no capabilities` or `root with CHOWN, SETUID, ...`, for the start check. */
function privilegesOf(spec: RunSpec): string {
  const who = spec.user && !/^(root|0)(:|$)/.test(spec.user) ? `user ${spec.user}` : `root (the image names no other user)`;
  return spec.capAdd && spec.capAdd.length > 0 ? `${who} with only ${spec.capAdd.join(', ')}` : `${who}, no capabilities`;
}

function addMissing(missing: FoundPath[], path: string, mount: FoundPath['mount'], evidence: string): void {
  const key = canonicalPath(path);
  const entry = missing.find(m => m.path === key);
  if (entry) entry.evidence.push(evidence);
  else missing.push({path: key, mount, evidence: [evidence]});
}
