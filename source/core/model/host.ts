import type {Located} from './facts.js';

/*
 * What `harden audit --host` knows of the machine under the containers: the engine's own
 * report (`GET /info`), its configuration (daemon.json and dockerd's command line), the
 * OS (os-release) and the mount table. Each part is optional: a part that could not be
 * read is missing, and the rules say what they could not check rather than guess.
 */

/** The fields of os-release(5) the checks use. */
export interface OsRelease {
  /** `ID`, lower-case: `debian`, `flatcar`, `fedora`; `linux` when the file sets none (os-release's default). */
  id: string;
  /** `ID_LIKE`, split on spaces: `["rhel", "fedora"]`. */
  idLike: string[];
  /** `VARIANT_ID`: `coreos`, `iot`, `silverblue`, `aws-k8s-1.29`. */
  variantId?: string;
  /** `NAME`: `Debian GNU/Linux`. */
  name?: string;
  /** `PRETTY_NAME`: `Debian GNU/Linux 12 (bookworm)`. */
  prettyName?: string;
  /** `VERSION_ID`: `12`, `3815.2.0`. */
  versionId?: string;
}

/** One line of /proc/<pid>/mountinfo (proc(5)), octal escapes (`\040`) decoded. */
export interface MountEntry {
  /** Mount id, unique in the table. */
  id: number;
  /** `major:minor` of the filesystem: two mounts with the same one share a filesystem. */
  device: string;
  /** The directory of the filesystem mounted here (`/` unless a bind mount or an OSTree deployment). */
  root: string;
  /** Where it is mounted: `/`, `/var/lib/docker`. */
  mountPoint: string;
  /** Per-mount options: `rw`, `ro`, `nosuid`, `nodev`, `noexec`, `relatime`. */
  options: string[];
  /** Filesystem type: `ext4`, `xfs`, `overlay`, `squashfs`. */
  fsType: string;
  /** Mount source: `/dev/vda1`, `overlay`. */
  source: string;
  /** Per-superblock options; `ro` here makes the filesystem read-only under every mount. */
  superOptions: string[];
  /** `ro` in either option list. */
  readOnly: boolean;
}

/** An OS whose system files cannot be changed in place, and how it achieves that. */
export interface ImmutableOs {
  /** `Flatcar Container Linux`, `Fedora CoreOS`. */
  name: string;
  /** One clause on what is read-only and how it is updated, for messages. */
  how: string;
}

/** What the engine reports of itself (`GET /info`, `docker info`), mapped defensively. */
export interface EngineSettings {
  /** `ServerVersion`: `20.10.24`, `27.3.1`. */
  serverVersion: string;
  /** `OperatingSystem` of the engine's host: `Debian GNU/Linux 12 (bookworm)`, `Docker Desktop`. */
  operatingSystem: string;
  /** `DockerRootDir`: `/var/lib/docker`. */
  dockerRootDir: string;
  /** `LiveRestoreEnabled`. */
  liveRestore: boolean;
  /** `SecurityOptions` as reported: `name=seccomp,profile=default`, `name=rootless`, `name=userns`. */
  securityOptions: string[];
  /** `name=rootless` is reported: the daemon runs as an ordinary user. */
  rootless: boolean;
  /** `name=userns` is reported: `userns-remap` is in force. */
  userns: boolean;
  /** `Swarm.LocalNodeState` is `active` (live-restore is not available then). */
  swarm: boolean;
  /** `Name`: the engine host's name. */
  name: string;
}

/** daemon.json as read. dockerd accepts a setting either there or as a flag, never both. */
export interface DaemonConfig {
  /** Absolute path it was read from (or looked for). */
  file: string;
  /** `found`: parsed; `missing`: no file, the daemon runs on its flags and defaults; `invalid`: unreadable or malformed, see the report's errors. */
  state: 'found' | 'missing' | 'invalid';
  /** Top-level settings with the line each key is on; empty unless found. */
  settings: ReadonlyMap<string, Located<unknown>>;
}

/** dockerd's command line, as far as the checks need it. */
export interface DaemonArgs {
  /** Every `--flag value` / `--flag=value` / `--flag` (true), long names, last one winning: `no-new-privileges` -> true. */
  settings: ReadonlyMap<string, string | boolean>;
  /** Each `-H`/`--host`, as written: `unix:///var/run/docker.sock`, `fd://`. */
  hosts: string[];
  /** `--config-file`, when given. */
  configFile?: string;
}

/** Everything the host rules judge. */
export interface HostFacts {
  /** The engine host's name (`docker info` Name), else this machine's. */
  name: string;
  /** Where the engine answered (`unix:///var/run/docker.sock`); undefined when none did. */
  endpoint?: string;
  /**
   * Set when the files harden can read (os-release, the mount table, daemon.json) are not the
   * engine host's: it says why (a tcp:// endpoint, an engine in Docker Desktop's VM). The
   * file-based checks are then not made and the findings say so.
   */
  elsewhere?: string;
  /** The engine's report; undefined when no engine answered. */
  engine?: EngineSettings;
  /** daemon.json; undefined when it was not looked for (the engine's host is elsewhere). */
  daemonConfig?: DaemonConfig;
  /** The command line of the dockerd serving the endpoint; undefined when it was not found. */
  daemonArgs?: DaemonArgs;
  /** os-release; undefined when not read. */
  os?: OsRelease;
  /** Set when the OS is a recognised immutable one (from os-release, the mount table or `docker info`). */
  immutable?: ImmutableOs;
  /** The mounts of `/`, `/usr` and the data root; undefined when the mount table was not read. */
  mounts?: {root: MountEntry; usr?: MountEntry; dataRoot?: MountEntry};
  /** `DOCKER_CONTENT_TRUST` where harden runs (the environment that builds); undefined when unset. */
  contentTrust?: string;
}
