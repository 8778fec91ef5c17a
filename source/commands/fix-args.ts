import {UserError} from '../core/model/errors.js';
import {maxBytesFrom, parseCommandArgs, ruleIdsFrom} from './args.js';
import {fixOptions} from './options.js';
import {canonicalPath, isForbiddenWritable, normalisePath} from '../core/paths.js';
import type {FixOptions} from '../core/plan/options.js';
import type {WritableRequest} from '../core/plan/writable.js';
import {allRules} from '../core/rules/index.js';

export interface FixFlags {
  paths: string[];
  options: FixOptions;
  yes: boolean;
  json: boolean;
  planOut?: string;
  planIn?: string;
  maxBytes: number;
  noColor: boolean;
  /** Run each service to see what it writes (needs an engine). */
  discover: boolean;
  /** `--no-run`: do not prove multi-stage rewrites by running them. */
  noRun: boolean;
  /** Write hardened run configs for the engine's running containers. */
  containers: boolean;
  /** Pin image references by digest (`--pin-digests`, with `--digest REF=DIGEST` values). */
  pinDigests: boolean;
  digests: string[];
  /** Write Falco drift rules for the hardened workloads. */
  falco: boolean;
  /** Write image-signing CI jobs and admission policies for this forge. */
  signing?: 'github' | 'gitlab';
  /** Add the low-trade-off daemon settings to this daemon.json. */
  daemonJson?: string;
}

/** `PATH[=tmpfs|volume]`: absolute, already normalised, never a system path. */
export function parseWritable(spec: string): WritableRequest {
  // `web:/app/run=tmpfs`: for service (or container) web only.
  const named = /^([A-Za-z0-9][\w.\/-]*):(\/.*)$/.exec(spec);
  const target = named?.[1];
  const [path = '', mount, ...rest] = (named?.[2] ?? spec).split('=');
  if (rest.length > 0 || (mount !== undefined && mount !== 'tmpfs' && mount !== 'volume')) {
    throw new UserError(`--writable ${spec}: expected [NAME:]PATH[=tmpfs|volume], like web:/app/run=tmpfs`);
  }
  if (!path.startsWith('/')) throw new UserError(`--writable ${spec}: the path must be absolute, like /var/cache/app`);
  if (normalisePath(path) !== path) throw new UserError(`--writable ${spec}: write the path normalised, as ${normalisePath(path)}`);
  if (isForbiddenWritable(path)) {
    throw new UserError(`--writable ${spec}: ${canonicalPath(path)} must never be writable`, 'mount only the directories the app writes, such as /tmp or /var/cache/app');
  }
  return {path, ...(mount === undefined ? {} : {mount}), ...(target === undefined ? {} : {target})};
}

/** `--not-writable PATH`: absolute and normalised; the planner compares canonical paths. */
function parseNotWritable(spec: string): string {
  if (!spec.startsWith('/')) throw new UserError(`--not-writable ${spec}: the path must be absolute, like /app/cache`);
  if (normalisePath(spec) !== spec) throw new UserError(`--not-writable ${spec}: write the path normalised, as ${normalisePath(spec)}`);
  return canonicalPath(spec);
}

export function parseFixArgs(args: string[]): FixFlags {
  const parsed = parseCommandArgs('fix', args, fixOptions);
  const {values, positionals} = parsed;
  const options: FixOptions = {writable: values.writable.map(parseWritable), capDrop: values['cap-drop']};
  if (values['not-writable'].length > 0) options.notWritable = values['not-writable'].map(parseNotWritable);
  const known = allRules.map(r => r.id);
  if (values.only !== undefined) options.only = ruleIdsFrom('only', [values.only], known);
  if (values.skip !== undefined) {
    // --skip is --only every other rule: `wants` is the one check the planner makes.
    const skip = ruleIdsFrom('skip', values.skip, known);
    options.only = new Set([...(options.only ?? known)].filter(id => !skip.has(id)));
  }
  if (values.user !== undefined) options.user = parseUser(values.user);
  if (values['runtime-base'] !== undefined) options.runtimeBase = values['runtime-base'];
  const maxBytes = maxBytesFrom(values['max-size']);
  if (values.plan !== undefined && positionals.length > 0) throw new UserError('--plan replays a saved plan; give no paths with it');
  const flags: FixFlags = {paths: positionals.length > 0 ? positionals : ['.'], options, yes: values.yes, json: values.json, maxBytes, noColor: values['no-color'], discover: values.discover, noRun: values['no-run'], containers: values.containers, pinDigests: values['pin-digests'] || values.digest.length > 0, digests: values.digest, falco: values.falco};
  if (values['daemon-json'] !== undefined) flags.daemonJson = values['daemon-json'];
  if (values.signing !== undefined) {
    if (values.signing !== 'github' && values.signing !== 'gitlab') throw new UserError(`--signing ${values.signing}: expected github or gitlab`);
    flags.signing = values.signing;
  }
  if (values['plan-out'] !== undefined) flags.planOut = values['plan-out'];
  if (values.plan !== undefined) flags.planIn = values.plan;
  return flags;
}

/**
 * `--user UID[:GID]`, numbers only: a name means nothing to Kubernetes' runAsUser, and
 * `user: "abc"` in compose fails at start unless the image happens to have that user.
 * UID 0 is root: no hardening. GID 0 stays allowed: OpenShift runs arbitrary uids in group 0.
 */
export function parseUser(value: string): string {
  const match = /^(\d{1,10})(?::(\d{1,10}))?$/.exec(value);
  const ids = match ? [match[1], match[2]].filter(id => id !== undefined).map(Number) : [];
  // 4294967295 is (uid_t)-1, "no change" to setuid; Linux ids stop below it.
  if (!match || ids.some(id => id > 4294967294)) throw new UserError(`--user "${value}": expected UID[:GID] in numbers, such as 10001 or 10001:10001`);
  if (ids[0] === 0) throw new UserError(`--user "${value}": UID 0 is root, which is not hardening; expected a non-root UID[:GID] such as 10001:10001`);
  return value;
}
