import {runtimeBases} from '../knowledge/runtime-bases.js';
import {describeRuntime} from '../knowledge/runtime-choice.js';
import type {Subject} from '../model/facts.js';
import {effectiveBase} from './effective.js';
import {rewriteRuntime} from './single-stage-build.js';

/*
 * The non-root user `harden fix` writes for an image built here, so the root-user finding
 * proposes the same USER the fix then writes (issue 15: the message said 10001:10001 and
 * the fix wrote node's 1000:1000). Same decision as planUser without --user: the runtime
 * base's own user, else the table's new user.
 */
export interface FixUser {
  /** `uid:gid`, as USER is written. */
  value: string;
  uid: number;
  /** Whose user it is, for the message. */
  who: string;
}

export function fixUser(subject: Subject): FixUser | undefined {
  if (!subject.dockerfile) return undefined;
  const rewritten = rewriteRuntime(subject.dockerfile);
  const base = effectiveBase(subject.dockerfile);
  const image = rewritten ?? (base === null ? 'scratch' : base.raw);
  const runtime = describeRuntime(runtimeBases, image);
  if (runtime.user) {
    const {uid, gid, name} = runtime.user;
    return {value: `${uid}:${gid}`, uid, who: `${image}'s own ${name ? `"${name}" user` : `uid ${uid}`}`};
  }
  const {uid, gid, name} = runtimeBases.newUser;
  return {value: `${uid}:${gid}`, uid, who: `a new "${name}" user in ${image}`};
}
