import {isRootUser} from './well-known-images.js';

/**
 * Numeric ids of the users official images create, so `runAsUser` and tmpfs `uid=`
 * can be filled in: Kubernetes' runAsNonRoot cannot check a user given by name.
 */
const known: Readonly<Record<string, number>> = {
  node: 1000, // nodejs/docker-node: useradd --uid 1000 node
  nonroot: 65532, // distroless
  nobody: 65534,
  'www-data': 33, // Debian
  nginx: 101, // nginx/docker-nginx
  grafana: 472,
  elasticsearch: 1000,
  memcache: 11211, // docker-library/memcached: useradd --uid 11211 memcache
};

/** `{uid, gid}` of a USER value like `1000`, `1000:1000`, `node` or `node:node`; undefined when unknown. */
export function userIds(user: string): {uid: number; gid?: number} | undefined {
  if (isRootUser(user)) return {uid: 0, gid: 0};
  const [name = '', group] = user.split(':');
  const uid = /^\d+$/.test(name) ? Number(name) : known[name];
  if (uid === undefined) return undefined;
  const gid = group === undefined ? (/^\d+$/.test(name) ? undefined : uid) : /^\d+$/.test(group) ? Number(group) : known[group];
  return gid === undefined ? {uid} : {uid, gid};
}
