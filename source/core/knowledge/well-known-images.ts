import type {ImageRef, WriteHint} from '../model/facts.js';
import {normalisePath} from '../paths.js';
import {parseImageRef} from '../parse/image-ref.js';

/*
 * Paths popular images write at runtime, so a read-only root filesystem needs a mount
 * there. Sources are the issues and docs named in /work/shared/RESEARCH.md; entries
 * without one there cite the image's own Dockerfile or docs. Match is exact on the
 * normalised repository: a guess from a substring ("my-nginx-proxy") would put mounts
 * into files for images we know nothing about.
 */

/** What a conditional path can look at. */
export interface ImageContext {
  /** The image asked about; conditions read its tag. */
  ref: ImageRef;
  /** The user the container runs as, already defaulted from the image. */
  user?: string;
  /** CMD/ENTRYPOINT, or the compose `command` / Kubernetes `command`+`args` that replace it. */
  command?: string;
  /** WORKDIR of the final stage, for app-relative paths. */
  workdir?: string;
  /** ENV in force, so a path moved elsewhere (npm_config_cache) is not asked for. */
  env: Readonly<Record<string, string>>;
}

/** One path an image writes. */
export interface KnownPath {
  /** Absolute; `~/` is the run user's home; `{workdir}/` the WORKDIR. Unknown home or workdir: the path is left out. */
  path: string;
  mount: 'tmpfs' | 'volume';
  /** Why, with the source. */
  why: string;
  /** A tmpfs here must allow exec (Docker's tmpfs is `noexec`). */
  exec?: boolean;
  /** tmpfs mode the app needs, such as `1777`. */
  mode?: string;
  /** Only when this holds; `describe` reads as "when ...". */
  when?: {describe: string; test(ctx: ImageContext): boolean};
}

/** An image the table knows. */
export interface KnownImage {
  /** Display name. */
  name: string;
  /** Normalised repositories it matches, as in `ImageRef.repository`. */
  repositories: readonly string[];
  /** The image's configured user; undefined when we do not know it. */
  defaultUser?: string | ((ref: ImageRef) => string);
  /** Home directories of users the image creates, for `~/` paths. */
  homes?: Readonly<Record<string, string>>;
  paths: readonly KnownPath[];
}

/** True for `root`, `0`, `0:0`, `root:root`, `root:1000`: the user part decides. */
export function isRootUser(user: string): boolean {
  const name = user.trim().split(':')[0]!;
  return name === 'root' || name === '0';
}

/** A uid the kubelet can check for `runAsNonRoot`: numeric and not 0. */
export function isNumericNonRoot(user: string): boolean {
  const match = /^(\d+)(:\S+)?$/.exec(user.trim());
  return match !== null && Number(match[1]) > 0;
}

const runs = (pattern: RegExp, describe: string) => ({describe, test: (c: ImageContext) => pattern.test(c.command ?? '')});
const nonRoot = {describe: 'the container runs as non-root', test: (c: ImageContext) => c.user !== undefined && !isRootUser(c.user)};
const tagHas = (word: string) => ({describe: `the tag is a ${word} variant`, test: (c: ImageContext) => (c.ref.tag ?? '').includes(word)});
/** Leading major version of the tag; `latest`, a missing tag or a codename is the newest. */
const major = (ref: ImageRef): number => {
  const match = /^(\d+)/.exec(ref.tag ?? '');
  return match ? Number(match[1]) : Number.POSITIVE_INFINITY;
};

const tmp = (why: string, extra: Partial<KnownPath> = {}): KnownPath => ({path: '/tmp', mount: 'tmpfs', why, ...extra});
const jvmTmp = tmp('the JVM writes hsperfdata and temp files there; native libraries (netty, snappy, JNI) extracted there need exec (spring-boot #8578, #11962; netty #6678)', {exec: true});
const dataProtection = '~/.aspnet/DataProtection-Keys';
const distroless = ['static', 'base', 'base-nossl', 'cc', 'java17', 'java21', 'nodejs20', 'nodejs22', 'python3'].flatMap(name => [
  `distroless/${name}`, `distroless/${name}-debian11`, `distroless/${name}-debian12`,
]);

/** The table. */
export const wellKnownImages: readonly KnownImage[] = [
  {name: 'nginx', repositories: ['nginx'], defaultUser: 'root', paths: [
    {path: '/var/cache/nginx', mount: 'tmpfs', why: 'proxy and client-body temp files (docker-library/docs nginx)'},
    {path: '/var/run', mount: 'tmpfs', why: 'nginx.pid (docker-library/docs nginx)'},
    tmp('pid and temp paths must move to /tmp when nginx runs as non-root (docker-library/docs nginx)', {when: nonRoot}),
  ]},
  {name: 'nginx-unprivileged', repositories: ['nginxinc/nginx-unprivileged'], defaultUser: '101', paths: [
    tmp('this image moves nginx.pid and all temp paths to /tmp (docker-library/docs nginx; nginxinc/docker-nginx-unprivileged)'),
  ]},
  {name: 'httpd', repositories: ['httpd'], defaultUser: 'root', paths: [
    {path: '/usr/local/apache2/logs', mount: 'tmpfs', why: 'httpd.pid and runtime files under ServerRoot/logs (public hosting projects\' issues)'},
    {path: '/var/run', mount: 'tmpfs', why: 'runtime files (public hosting projects\' issues)'},
  ]},
  {name: 'postgres', repositories: ['postgres'], defaultUser: 'root', paths: [
    {path: '/var/run/postgresql', mount: 'tmpfs', why: 'the Unix socket and lock file (docker-library/postgres #154, PR #205)'},
    tmp('temp files (docker-library/postgres #154)'),
    {path: '/var/lib/postgresql/data', mount: 'volume', why: 'PGDATA, the database (docker-library/postgres #154)', when: {describe: 'the tag is before 18', test: c => major(c.ref) < 18}},
    {path: '/var/lib/postgresql', mount: 'volume', why: 'PGDATA lives under /var/lib/postgresql/<major>/docker since 18 (docker-library/postgres)', when: {describe: 'the tag is 18 or later', test: c => major(c.ref) >= 18}},
  ]},
  ...['mysql', 'mariadb'].map((name): KnownImage => ({name, repositories: [name], defaultUser: 'root', paths: [
    {path: '/run/mysqld', mount: 'tmpfs', why: 'the socket and pid file (docker-library/mysql #328)'},
    tmp('temp tables and files (docker-library/mysql #328)'),
    {path: '/var/lib/mysql', mount: 'volume', why: 'the datadir (docker-library/mysql #328)'},
  ]})),
  {name: 'redis', repositories: ['redis'], defaultUser: 'root', paths: [
    {path: '/data', mount: 'volume', why: 'RDB/AOF persistence; the image declares VOLUME /data (docker-library/redis)'},
  ]},
  {name: 'mongo', repositories: ['mongo'], defaultUser: 'root', paths: [
    tmp('the mongod Unix socket (docker-library/mongo #323)'),
    {path: '/data/db', mount: 'volume', why: 'the database (docker-library/mongo #323)'},
    {path: '/data/configdb', mount: 'volume', why: 'config-server data; the image declares VOLUME /data/configdb (docker-library/mongo)'},
  ]},
  {name: 'node', repositories: ['node'], defaultUser: 'root', homes: {node: '/home/node', 1000: '/home/node'}, paths: [
    tmp('temp files (nodejs/docker-node #1749)'),
    {path: '~/.npm', mount: 'tmpfs', why: 'npm writes its cache and logs there; or set npm_config_cache=/tmp/.npm (npm/cli #5183, #7105)',
      when: {describe: 'the command runs npm', test: c => /\b(npm|npx)\b/.test(c.command ?? '') && !Object.keys(c.env).some(k => k.toLowerCase() === 'npm_config_cache')}},
    {path: '{workdir}/.next/cache', mount: 'tmpfs', why: 'Next.js image and ISR cache (Next.js deployment projects)', when: runs(/\bnext\s+start\b/, 'the command runs next start')},
  ]},
  {name: 'python', repositories: ['python'], defaultUser: 'root', paths: [
    tmp('gunicorn worker heartbeat files and tempfile (benoitc/gunicorn #2859, #2976)'),
  ]},
  {name: 'php', repositories: ['php'], defaultUser: 'root', paths: [
    tmp('sessions and uploads default to /tmp (php.ini session.save_path, upload_tmp_dir)'),
    {path: '/var/run/apache2', mount: 'tmpfs', why: 'apache2.pid (docker-library/php apache2-foreground)', when: tagHas('apache')},
    {path: '/var/lock/apache2', mount: 'tmpfs', why: 'Apache lock files (docker-library/php)', when: tagHas('apache')},
  ]},
  {name: 'tomcat', repositories: ['tomcat'], defaultUser: 'root', paths: [
    jvmTmp,
    ...['logs', 'temp', 'work'].map((dir): KnownPath => ({path: `/usr/local/tomcat/${dir}`, mount: 'tmpfs', why: `Tomcat writes CATALINA_BASE/${dir}: log files, java.io.tmpdir, compiled JSPs (tomcat image; spring-boot #8578)`})),
  ]},
  {name: 'java', repositories: ['eclipse-temurin', 'openjdk', 'amazoncorretto'], defaultUser: 'root', paths: [jvmTmp]},
  {name: 'jetty', repositories: ['jetty'], defaultUser: 'jetty', paths: [tmp('Jetty\'s work directory, /tmp/jetty (jetty #11667)')]},
  {name: 'grafana', repositories: ['grafana/grafana', 'grafana/grafana-oss', 'grafana/grafana-enterprise'], defaultUser: '472', paths: [
    tmp('plugin installs and temp files (grafana #20950)'),
    {path: '/var/lib/grafana', mount: 'volume', why: 'the SQLite database and plugins (grafana #20950)'},
    {path: '/var/log/grafana', mount: 'tmpfs', why: 'log files (grafana #20950)'},
  ]},
  {name: 'prometheus', repositories: ['prom/prometheus', 'prometheus/prometheus'], defaultUser: 'nobody', paths: [
    {path: '/prometheus', mount: 'volume', why: 'the TSDB; the image declares VOLUME /prometheus (prometheus Dockerfile)'},
  ]},
  {name: 'elasticsearch', repositories: ['elasticsearch', 'elasticsearch/elasticsearch'], defaultUser: '1000', paths: [
    {path: '/usr/share/elasticsearch/data', mount: 'volume', why: 'the indices (elastic/elasticsearch #71157)'},
    {path: '/usr/share/elasticsearch/logs', mount: 'tmpfs', why: 'GC and server logs (elastic/elasticsearch #71157)'},
    tmp('ES_TMPDIR; JNA needs exec there (elastic/elasticsearch #71157)', {exec: true}),
    {path: '/usr/share/elasticsearch/config', mount: 'volume', why: 'keystore.tmp is written next to the keystore; a tmpfs would hide jvm.options, so use a volume seeded from the image (elastic/elasticsearch #119341)'},
  ]},
  {name: 'keycloak', repositories: ['keycloak/keycloak'], defaultUser: '1000', paths: [
    {path: '/opt/keycloak/data/tmp', mount: 'tmpfs', why: 'Keycloak\'s temp directory (keycloak #37533)'},
  ]},
  {name: 'ruby', repositories: ['ruby'], defaultUser: 'root', paths: [
    tmp('Ruby rejects a world-writable /tmp without the sticky bit (kubernetes #110835)', {mode: '1777'}),
    {path: '{workdir}/tmp', mount: 'tmpfs', why: 'Rails pids, cache and sockets under tmp/ (kubernetes #110835)', mode: '1777', when: runs(/\b(rails|puma|unicorn)\b/, 'the command runs rails, puma or unicorn')},
  ]},
  ...(['aspnet', 'runtime'] as const).map((name): KnownImage => ({name: `dotnet ${name}`, repositories: [`dotnet/${name}`], defaultUser: 'root', homes: {app: '/home/app', 1654: '/home/app'}, paths: [
    tmp('the diagnostics IPC socket; or set DOTNET_EnableDiagnostics=0 (dotnet/runtime #86259)', {when: {describe: 'diagnostics are on', test: c => c.env['DOTNET_EnableDiagnostics'] !== '0'}}),
    ...(name === 'aspnet' ? [{path: dataProtection, mount: 'volume', why: 'ASP.NET Core DataProtection keys; without them cookies and antiforgery tokens break on restart (dotnet/runtime #86259)'} as const] : []),
  ]})),
  {name: 'caddy', repositories: ['caddy'], defaultUser: 'root', paths: [
    {path: '/data', mount: 'volume', why: 'certificates and keys, XDG_DATA_HOME (caddy image docs)'},
    {path: '/config', mount: 'volume', why: 'the autosaved config, XDG_CONFIG_HOME (caddy image docs)'},
  ]},
  {name: 'rabbitmq', repositories: ['rabbitmq'], defaultUser: 'root', paths: [
    {path: '/var/lib/rabbitmq', mount: 'volume', why: 'the Erlang cookie and Mnesia database; the image declares VOLUME /var/lib/rabbitmq (docker-library/rabbitmq)'},
  ]},
  {name: 'memcached', repositories: ['memcached'], defaultUser: 'memcache', paths: []},
  {name: 'distroless', repositories: distroless, defaultUser: ref => ((ref.tag ?? '').includes('nonroot') ? '65532' : 'root'), paths: []},
  ...['alpine', 'debian', 'ubuntu', 'busybox', 'golang'].map((name): KnownImage => ({name, repositories: [name], defaultUser: 'root', paths: []})),
];

const byRepository = new Map(wellKnownImages.flatMap(image => image.repositories.map(r => [r, image] as const)));

/** The table entry for an image, or undefined. `mirror.gcr.io/library/nginx` and `.../docker/library/nginx` are nginx. */
export function lookupImage(ref: ImageRef): KnownImage | undefined {
  const known = assumedRef(ref);
  if (known.unresolved) return undefined;
  const repository = known.repository.replace(/^(?:.*\/)?library\/(?=[^/]+$)/, '');
  return byRepository.get(repository);
}

/** `postgres:${PG_TAG:-16}` is judged as postgres:16, what Compose runs when the variable is unset. */
function assumedRef(ref: ImageRef): ImageRef {
  return ref.unresolved && ref.assumed !== undefined ? parseImageRef(ref.assumed, ref.line) : ref;
}

/** The user a known image runs as when nothing overrides it, or undefined. */
export function imageDefaultUser(ref: ImageRef): string | undefined {
  const user = lookupImage(ref)?.defaultUser;
  return typeof user === 'function' ? user(assumedRef(ref)) : user;
}

/** Write hints from the table for one image, resolving `~` and `{workdir}` and applying conditions. */
export function knownWriteHints(
  ref: ImageRef,
  context: {user?: string; command?: string; workdir?: string; env?: Readonly<Record<string, string>>},
  line: number,
): WriteHint[] {
  const image = lookupImage(ref);
  if (!image) return [];
  const user = context.user ?? imageDefaultUser(ref);
  const ctx: ImageContext = {ref: assumedRef(ref), env: context.env ?? {}};
  if (user !== undefined) ctx.user = user;
  if (context.command !== undefined) ctx.command = context.command;
  if (context.workdir !== undefined) ctx.workdir = context.workdir;
  const home = user === undefined || isRootUser(user) ? '/root' : image.homes?.[user.split(':')[0]!];
  const hints: WriteHint[] = [];
  for (const known of image.paths) {
    if (known.when && !known.when.test(ctx)) continue;
    let path = known.path;
    if (path.startsWith('~/')) {
      if (home === undefined) continue;
      path = home + path.slice(1);
    } else if (path.startsWith('{workdir}/')) {
      if (ctx.workdir === undefined || !ctx.workdir.startsWith('/')) continue;
      path = ctx.workdir + path.slice('{workdir}'.length);
    }
    const notes = [known.exec ? 'needs exec' : '', known.mode ? `mode=${known.mode}` : ''].filter(Boolean).join(', ');
    const assumed = ref.unresolved && ref.assumed !== undefined ? ` (image ${ref.assumed}, the default of ${ref.raw})` : '';
    const evidence = `well-known image ${image.name}${assumed}: ${known.why}${known.when ? `, when ${known.when.describe}` : ''}${notes ? ` [${notes}]` : ''}`;
    const hint: WriteHint = {path: normalisePath(path), evidence, source: 'known-image', mount: known.mount, line};
    if (known.exec || known.mode) hint.tmpfs = {...(known.exec ? {exec: true} : {}), ...(known.mode ? {mode: known.mode} : {})};
    hints.push(hint);
  }
  return hints;
}
