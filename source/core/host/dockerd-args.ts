import type {DaemonArgs} from '../model/host.js';

/*
 * dockerd's command line (`/proc/<pid>/cmdline`), read with pflag's rules: `--name`,
 * `--name=value`, `--name value`, `-H value`, `-Hvalue`. dockerd takes no positional
 * arguments, so a word after a flag is always that flag's value, and a flag followed by
 * another flag (or nothing) is a boolean set to true. A setting lives either here or in
 * daemon.json, never both: dockerd refuses to start when one is in both.
 */

/** Short flags that matter here, and the old names of renamed flags. */
const aliases: Record<string, string> = {H: 'host', g: 'data-root', graph: 'data-root', p: 'pidfile', D: 'debug'};

/** Go's strconv.ParseBool, which pflag uses for `--flag=value`. */
function parseBool(value: string): boolean | undefined {
  if (/^(1|t|true)$/i.test(value)) return true;
  if (/^(0|f|false)$/i.test(value)) return false;
  return undefined;
}

/** The flags of a dockerd command line; `argv[0]` (the program) is skipped when it names dockerd. */
export function parseDaemonArgs(argv: readonly string[]): DaemonArgs {
  const settings = new Map<string, string | boolean>();
  const hosts: string[] = [];
  const words = argv.length > 0 && /(^|\/)dockerd$/.test(argv[0]!) ? argv.slice(1) : [...argv];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') break;
    const long = /^--([^=]+)(?:=(.*))?$/s.exec(word);
    const short = long ? null : /^-([A-Za-z])(?:=?(.+))?$/s.exec(word);
    if (!long && !short) continue;
    const raw = (long ?? short)![1]!;
    const name = aliases[raw] ?? raw;
    let value: string | boolean | undefined = (long ?? short)![2];
    if (value === undefined) {
      const next = words[i + 1];
      if (next !== undefined && !next.startsWith('-')) {
        value = next;
        i++;
      } else value = true;
    } else value = parseBool(value) ?? value;
    if (name === 'host' && typeof value === 'string') hosts.push(value);
    settings.set(name, value);
  }
  const args: DaemonArgs = {settings, hosts};
  const configFile = settings.get('config-file');
  if (typeof configFile === 'string') args.configFile = configFile;
  return args;
}

/** A dockerd process as the runtime found it. */
export interface DockerdProcess {
  pid: number;
  argv: string[];
  /** Its user id: rootless daemons run as an ordinary user. */
  uid?: number;
  /** XDG_RUNTIME_DIR from its environment, when readable: a rootless daemon's default socket is there. */
  runtimeDir?: string;
}

/** systemd's docker.socket listens here; `-H fd://` hands that socket to dockerd. */
const systemdSocket = '/run/docker.sock';

/** `/var/run` is a link to `/run` on every current distribution. */
function socketKey(path: string): string {
  return path.replace(/^\/var\/run\//, '/run/').replace(/\/+$/, '');
}

/** The unix socket paths a dockerd listens on, its defaults included. */
export function daemonSockets(process: DockerdProcess, args = parseDaemonArgs(process.argv)): string[] {
  const rootless = process.uid !== undefined && process.uid !== 0;
  const hosts = args.hosts.length > 0 ? args.hosts : rootless ? (process.runtimeDir ? [`unix://${process.runtimeDir}/docker.sock`] : []) : ['unix:///var/run/docker.sock'];
  return hosts.flatMap(host => (host.startsWith('unix://') ? [host.slice('unix://'.length)] : host.startsWith('fd://') ? [systemdSocket] : []));
}

/** Of the dockerd processes, the one that serves `endpoint` (`unix:///path`); undefined for other endpoints or when none does. */
export function dockerdServing(processes: readonly DockerdProcess[], endpoint: string): (DockerdProcess & {args: DaemonArgs}) | undefined {
  if (!endpoint.startsWith('unix://')) return undefined;
  const wanted = socketKey(endpoint.slice('unix://'.length));
  for (const process of processes) {
    const args = parseDaemonArgs(process.argv);
    if (daemonSockets(process, args).some(path => socketKey(path) === wanted)) return {...process, args};
  }
  return undefined;
}
