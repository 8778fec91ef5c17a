import {posix} from 'node:path';
import {canonicalPath} from '../paths.js';

/*
 * Host mounts an app only reads, so `fix` can make them read-only without asking: the
 * init scripts of the official database images, nginx's static root, and a single
 * configuration file. A data file (.json, .db, .sqlite) or a directory of unknown use is
 * never on the list: only a person knows whether the app writes there.
 */

/** Directories the images read and never write, with the source that says so. */
const readDirs: ReadonlyArray<{path: string; why: string}> = [
  {path: '/docker-entrypoint-initdb.d', why: 'the postgres, mysql, mariadb and mongo images only read their init scripts there, on first start (docker-library docs)'},
  {path: '/usr/share/nginx/html', why: 'nginx only reads the files it serves (docker-library/docs nginx)'},
];

/** Extensions of configuration a program reads at start (a data file such as .json or .db is not one). */
const configFile = /\.(conf|cnf|cfg|ini|ya?ml|toml|properties|pem|crt|cert)$/i;

/** Why the app only reads what is mounted at `target`, or undefined when that is not known. */
export function onlyRead(target: string): string | undefined {
  const path = canonicalPath(target);
  const dir = readDirs.find(d => path === d.path || path.startsWith(d.path + '/'));
  if (dir) return dir.why;
  const name = posix.basename(path);
  if (configFile.test(name)) return `${name} is a configuration file, which a program reads`;
  return undefined;
}
