import {isRootUser} from '../../knowledge/well-known-images.js';
import type {RuntimeBases} from '../../knowledge/runtime-bases.js';
import type {RuntimeInfo} from '../../knowledge/runtime-choice.js';

/*
 * The runtime user. USER is written by number (uid:gid): Kubernetes can check
 * `runAsNonRoot` only against a numeric user, and a name would fail there with "image
 * has non-numeric user". A comment above names the user. Where the image has no
 * non-root user one is created with a real home (docker init's /nonexistent breaks apps
 * that write to $HOME; RESEARCH.md).
 */

/** The user lines for a stage, or why there is none. */
export type UserPlan =
  | {
      ok: true;
      /** The value written after USER. */
      value: string;
      /** `uid:gid` (or `uid`) for chown. */
      owner: string;
      /** RUN that creates the user, when the image lacks it. */
      create?: string;
      /** Comment line above USER. */
      comment: string;
      notes: string[];
    }
  | {ok: false; reason: string};

/** Picks the runtime user: the requested one, else the image's own, else a new `app` user. */
export function planUser(bases: RuntimeBases, runtime: RuntimeInfo, image: string, requested?: string): UserPlan {
  const wanted = requested?.trim();
  if (wanted !== undefined && wanted !== '') {
    if (isRootUser(wanted)) return {ok: false, reason: `the runtime user must not be root (asked for "${wanted}")`};
    if (/^\d+(:\d+)?$/.test(wanted)) {
      const uid = Number(wanted.split(':')[0]);
      const notes = runtime.user?.uid === uid ? [] : [`uid ${uid} has no entry in ${image}'s /etc/passwd: it has no name and HOME is /`];
      return {ok: true, value: wanted, owner: wanted, comment: `# harden: run as uid ${wanted}, not root`, notes};
    }
    if (wanted.includes('$')) return {ok: false, reason: `the user "${wanted}" depends on a variable; pass a user name or uid`};
    if (runtime.user && runtime.user.name === wanted) return own(runtime, image);
    if (wanted === 'nobody' && runtime.createUser) {
      // Debian and Alpine both have nobody (65534), with the home /nonexistent.
      return {ok: true, value: '65534:65534', owner: '65534:65534', comment: '# harden: run as "nobody", as the Dockerfile did; by number so Kubernetes runAsNonRoot can check it', notes: ['nobody\'s home is /nonexistent: an app that writes to $HOME fails there']};
    }
    return create(bases, runtime, image, wanted.split(':')[0]!);
  }
  if (runtime.user) return own(runtime, image);
  return create(bases, runtime, image, bases.newUser.name);
}

function own(runtime: RuntimeInfo, image: string): UserPlan {
  const user = runtime.user!;
  const value = `${user.uid}:${user.gid}`;
  const who = user.name ? `${image}'s own "${user.name}" user` : `uid ${user.uid} (${image} has no user names)`;
  return {ok: true, value, owner: value, comment: `# harden: run as ${who}, by number so Kubernetes runAsNonRoot can check it`, notes: []};
}

function create(bases: RuntimeBases, runtime: RuntimeInfo, image: string, name: string): UserPlan {
  if (!runtime.createUser) {
    return {ok: false, reason: `${image} has no shell to create the user "${name}" with; pass a numeric uid`};
  }
  const fresh = {...bases.newUser, name, home: `/home/${name}`};
  const fill = (key: string) => String((fresh as Record<string, string | number>)[key]);
  const command = runtime.createUser.replace(/\{(name|uid|gid|home)\}/g, (_whole, key: string) => fill(key));
  const value = `${fresh.uid}:${fresh.gid}`;
  const notes = runtime.known ? [] : [`${image} is not in templates/runtime-bases.json: the user is created the Debian way, which the build will show works or not`];
  return {
    ok: true,
    value,
    owner: value,
    create: `RUN ${command}`,
    comment: `# harden: run as "${name}" (created above, home ${fresh.home}), by number so Kubernetes runAsNonRoot can check it`,
    notes: [`${image} has no non-root user: "${name}" (uid ${fresh.uid}) is created with home ${fresh.home}`, ...notes],
  };
}
