import type {WritableMount} from '../model/plan.js';

/*
 * A reproducible, hardened launch configuration of one running container: what the user
 * started it with (read back from its inspect JSON, minus what the image already says),
 * plus a read-only root filesystem, no-new-privileges and a mount for every directory it
 * was seen to write. The renderers (docker run script, compose service, Podman Quadlet
 * unit) turn the same model into three files, so they never disagree.
 */

/** A mount the container already had, kept as it was. */
export type KeptMount =
  /** `-v /host:/path[:ro]`. */
  | {kind: 'bind'; source: string; target: string; readOnly: boolean}
  /**
   * `-v name:/path[:ro]`. An anonymous volume (an image VOLUME) keeps its generated name,
   * so the new container finds the data the old one wrote.
   */
  | {kind: 'volume'; name: string; target: string; readOnly: boolean}
  /** `--tmpfs /path:options`; `options` as Docker takes them (`size=64m,mode=1777`), or `''`. */
  | {kind: 'tmpfs'; target: string; options: string};

/**
 * A directory the container wrote in its own layer, given a mount of its own: a tmpfs or a
 * named volume, never both. `name` is the volume's name (`<name>-<dir>`), `''` for a tmpfs.
 */
export interface RunWritable extends WritableMount {
  /** The `docker diff` lines that show the writes (`A /var/log/app/app.log`), as collapseChanges gives them. */
  evidence: string[];
}

/** One published port: `HostConfig.PortBindings`, as `-p [hostIp:][hostPort:]containerPort/protocol`. */
export interface PortBinding {
  /** `80`, or a range `8000-8010`. */
  containerPort: string;
  /** `tcp`, `udp` or `sctp`. */
  protocol: string;
  /** `''` for every address; `127.0.0.1`, `::1`. */
  hostIp: string;
  /** `''` lets the engine choose a port. */
  hostPort: string;
}

/** `KEY=value` of an environment variable or a label. */
export interface NameValue {
  name: string;
  value: string;
}

/** How the engine restarts the container; `no` is the default and is not recorded. */
export interface RestartPolicy {
  policy: 'always' | 'unless-stopped' | 'on-failure';
  /** For `on-failure`: give up after this many restarts. */
  maxRetries?: number;
}

/** The hardened launch configuration of one container. */
export interface RunConfig {
  /** Container name: the original's, or the one asked for. Also the base of the file names and volume names. */
  name: string;
  /**
   * Base of the file names when it is not the one the name gives (format.ts fileBase): set by
   * withUniqueFileBases when two containers' names would give the same files.
   */
  fileBase?: string;
  /** `Config.Image`: the reference as the user started it (`nginx:1.27`), or `sha256:...` when started from an id. */
  image: string;
  /** Set when it differs from the image's ENTRYPOINT (or the image is unknown); `[]` clears it. */
  entrypoint?: string[];
  /** Set when it differs from the image's CMD, or when `entrypoint` is set (a new entrypoint clears the image's CMD). */
  command?: string[];
  /** Environment variables the image does not already set to the same value, in the container's order. */
  env: NameValue[];
  /** `Config.User` when set (the engine has merged the image's USER into it), kept as is even when it is root. */
  user?: string;
  /** True when the container runs as root (no user, `root`, `0`): kept, and noted. */
  runsAsRoot: boolean;
  /** `Config.WorkingDir` when it differs from the image's. */
  workingDir?: string;
  /** Published ports, sorted by container port. */
  ports: PortBinding[];
  /** Binds, volumes and tmpfs the container had, sorted by target. */
  mounts: KeptMount[];
  /** The new mounts for the directories it wrote, sorted by path. */
  writable: RunWritable[];
  /** `HostConfig.NetworkMode` unless it is the default bridge: `host`, `none`, `container:<id>` or a network name. */
  network?: string;
  restart?: RestartPolicy;
  /** Labels the user set, sorted by name, without the image's own and compose's or harden's bookkeeping, plus `harden-wizard.generated=true`. */
  labels: NameValue[];
  capAdd: string[];
  capDrop: string[];
  /** `HostConfig.SecurityOpt` entries kept as they were (all but no-new-privileges, which is always on). */
  securityOpt: string[];
  /** Hardening: the root filesystem is read-only. */
  readOnly: true;
  /** Hardening: `no-new-privileges`. */
  noNewPrivileges: true;
  /** Set when docker compose created the container: the compose file names its service after it. */
  compose?: {project: string; service: string};
  /** What a reviewer should know: root user, settings not carried over, writes no mount can take. One line each. */
  notes: string[];
}

/** Options of runConfigFromInspect. */
export interface RunConfigOptions {
  /** A name for the new container instead of the original's (the original keeps its name until it is removed). */
  name?: string;
  /** More labels for the new container (a test run's label, a team's owner label). */
  labels?: Readonly<Record<string, string>>;
}

/** Label on every container started from a generated configuration, so it can be told apart later. */
export const generatedLabel = 'harden-wizard.generated';
