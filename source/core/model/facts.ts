import type {AuditError, Target} from './finding.js';
import type {HostFacts} from './host.js';

export type {DaemonArgs, DaemonConfig, EngineSettings, HostFacts, ImmutableOs, MountEntry, OsRelease} from './host.js';

/** A value read from a file, with the 1-based line it came from. */
export interface Located<T> {
  value: T;
  line: number;
  /**
   * The file the line is in, when it is not the target's own: a value a compose.override.yaml
   * sets over compose.yaml. Findings on it point there, and the fix edits it there.
   */
  file?: string;
}

/** An image reference split into its parts (`registry/repo:tag@digest`). */
export interface ImageRef {
  /** The text as written, after ARG defaults were substituted. */
  raw: string;
  /** Repository without registry, tag or digest, with Docker Hub's `library/` removed: `nginx`, `bitnami/redis`. */
  repository: string;
  /** Registry host when one was written (`ghcr.io`), else undefined (Docker Hub). */
  registry?: string;
  tag?: string;
  /** `sha256:...` when pinned. */
  digest?: string;
  /** True when a `$VAR` could not be resolved, so the reference is not known. */
  unresolved: boolean;
  /** The file `line` is in, when not the target's own (an `image:` a compose override sets). */
  file?: string;
  /**
   * Compose only: the reference with each `${VAR:-default}` / `${VAR-default}` replaced by its
   * default, what Compose pulls when the variable is unset. Used to recognise well-known
   * images; the reference itself stays unresolved, since the variable may be set.
   */
  assumed?: string;
  line: number;
}

/** A path the workload is expected to write, and why we think so. */
export interface WriteHint {
  /** Absolute, normalised path. */
  path: string;
  /** Human-readable evidence, such as `VOLUME /data (Dockerfile line 12)`. */
  evidence: string;
  /** What kind of evidence: an image VOLUME, a Dockerfile hint (ENV, mkdir+chown), or the well-known image table. */
  source: 'volume' | 'dockerfile' | 'known-image';
  /** Suggested mount: tmpfs for ephemeral data, a volume for data that must outlive the container. */
  mount: 'tmpfs' | 'volume';
  /** What a tmpfs there must allow: exec (Docker's tmpfs is `noexec`), a mode such as `1777`. */
  tmpfs?: {exec?: boolean; mode?: string};
  line: number;
}

/** One `FROM` stage of a Dockerfile. */
export interface Stage {
  index: number;
  /** The `AS name`, lower-cased as BuildKit does. */
  name?: string;
  line: number;
  /** The base: an external image, or null for `scratch`. */
  from: ImageRef | null;
  /** Index of an earlier stage this one builds on (`FROM builder`), if any. */
  fromStage?: number;
  /** Last `USER` in this stage. */
  user?: Located<string>;
  volumes: Located<string>[];
  /** Shell text of each `RUN`, continuation lines joined, with the WORKDIR in effect for it (if the stage set one). */
  runs: Array<Located<string> & {workdir?: string}>;
  env: Array<Located<string> & {key: string}>;
  workdir?: Located<string>;
  /** `CMD` and `ENTRYPOINT` text, for runtime hints (does it run npm?). */
  command: Located<string>[];
  /** Destinations of COPY and ADD, absolute (resolved against WORKDIR), so a tmpfs never hides shipped files. */
  copies: Located<string>[];
  /** Paths the stage prepares for writing: ENV *_DIR values, `mkdir` + `chown`. */
  writeHints: WriteHint[];
}

/** What the audit knows of one Dockerfile. */
export interface DockerfileFacts {
  file: string;
  stages: Stage[];
}

/** A mount in a compose service or a Kubernetes container. */
export interface MountFact {
  /** Absolute path inside the container. */
  target: string;
  kind: 'volume' | 'bind' | 'tmpfs' | 'emptyDir' | 'pvc' | 'other';
  readOnly: boolean;
  line: number;
  /** The file `line` is in, when not the target's own (a mount a compose override adds). */
  file?: string;
  /** Compose only: the service key the mount is written under; `!reset` and `!override` act per key. */
  key?: 'volumes' | 'tmpfs';
  /** The host path of a bind mount (compose) or hostPath volume (Kubernetes), as written. */
  source?: string;
  /** Compose's short syntax (`source:target[:mode]`), which fix can make read-only with `:ro`. */
  short?: boolean;
}

/**
 * A service key Compose's merge tags: `!reset` drops the value the files before set (the key
 * is then unset), `!override` replaces it whole instead of merging lists and mappings.
 */
export interface ComposeTag {
  /** The compose key, such as `read_only` or `volumes`. */
  key: string;
  tag: 'reset' | 'override';
  /** Line of the key. */
  line: number;
  /** The file, when not the target's own (a tag in the compose override merged into it). */
  file?: string;
}

/** One compose service, with merge keys and same-file `extends` resolved. */
export interface ComposeService {
  name: string;
  line: number;
  image?: ImageRef;
  /** Resolved path of the Dockerfile this service builds, relative like every file path. */
  build?: {
    dockerfile: string;
    /** The build context directory, resolved like `dockerfile`. */
    context: string;
    line: number;
    /** As in {@link Located}. */
    file?: string;
    /** `build.target`: the stage compose builds, lower-cased as BuildKit matches it; the final stage when unset. */
    target?: string;
  };
  readOnly?: Located<boolean>;
  user?: Located<string>;
  securityOpt: Located<string>[];
  privileged?: Located<boolean>;
  capDrop: Located<string>[];
  /** `cap_add`, as written. */
  capAdd?: Located<string>[];
  /** `pid:`, `ipc:` and `network_mode:`: `host` shares the host's namespace. */
  pid?: Located<string>;
  ipc?: Located<string>;
  networkMode?: Located<string>;
  /** Container ports it listens on, from `ports:` and `expose:` (a range gives its first port). */
  ports?: Located<number>[];
  /**
   * `command:`, its words joined; `argv` is the command as Compose passes it to the engine (it
   * replaces the image's CMD): the list as written, or the string split into words when it has
   * no quotes or escapes (Compose splits those with shell rules; then it is left out).
   */
  command?: Located<string> & {argv?: string[]};
  mounts: MountFact[];
  /** Keys tagged `!reset` or `!override`; after a merge, those of the override, with its file. */
  tags?: ComposeTag[];
  /** The service itself is tagged `!override`: it replaces the earlier files' service whole. */
  replaces?: boolean;
  /** Set on a service merged with the compose override that Compose reads over its file: where its entry is. */
  override?: {file: string; line: number};
}

export interface ComposeFacts {
  file: string;
  services: ComposeService[];
  /** Services tagged `!reset` (`web: !reset {}`): removed from the project, with the line of each. */
  removed?: Array<Located<string>>;
}

/** A Kubernetes securityContext field that may be set on the pod or the container. */
export interface K8sSecurity {
  readOnlyRootFilesystem?: Located<boolean>;
  allowPrivilegeEscalation?: Located<boolean>;
  runAsNonRoot?: Located<boolean>;
  runAsUser?: Located<number>;
  privileged?: Located<boolean>;
  /** capabilities.add and capabilities.drop, as written. */
  capAdd?: Located<string>[];
  capDrop?: Located<string>[];
  /** seccompProfile.type: `RuntimeDefault`, `Localhost` or `Unconfined`. */
  seccomp?: Located<string>;
  /**
   * Settings the Pod Security Standards' baseline forbids that no rule reads (procMount
   * Unmasked, an unconfined AppArmor profile, a custom SELinux user or role, a Windows
   * HostProcess, an unsafe sysctl), each as `field: value`.
   */
  breaks?: Located<string>[];
}

/** Pod-level settings of a workload, shared by its containers; a key is absent when not written. */
export interface K8sPod {
  /** Line of the pod spec. */
  line: number;
  hostPID?: Located<boolean>;
  hostIPC?: Located<boolean>;
  hostNetwork?: Located<boolean>;
  automountServiceAccountToken?: Located<boolean>;
  /** The pod's securityContext.seccompProfile.type, and what baseline forbids there. */
  seccomp?: Located<string>;
  breaks?: Located<string>[];
  /** The type (`hostPath`, `emptyDir`, ...) of each volume, at its line: restricted allows only some. */
  volumeTypes?: Located<string>[];
  /** Volume names the pod uses already (volumes, volumeMounts, a StatefulSet's volumeClaimTemplates): a new volume needs another. */
  volumeNames?: string[];
}

/** One container or initContainer of a workload. */
export interface K8sContainer {
  name: string;
  line: number;
  init: boolean;
  workload: {kind: string; name: string; line: number; document: number};
  image?: ImageRef;
  command?: Located<string>;
  security: K8sSecurity;
  podSecurity: Pick<K8sSecurity, 'runAsNonRoot' | 'runAsUser'>;
  mounts: MountFact[];
  /** Pod-level settings (one object shared by the pod's containers). */
  pod: K8sPod;
  /** The first of the pod's containers: pod-level findings are reported on it once. */
  first?: true;
  /** containerPort, and hostPort when set, of each port. */
  ports?: Array<{port: number; hostPort?: number; line: number}>;
}

export interface K8sFacts {
  file: string;
  containers: K8sContainer[];
}

/** The result of parsing one file: facts, or located errors, or both (errors in one document of many). */
export interface Parsed<T> {
  facts: T | null;
  errors: AuditError[];
}

/**
 * One entry of `docker diff` (`GET /containers/{id}/changes`). The same shape as the
 * runtime's `FileChange`, declared here so the core does not depend on the runtime.
 */
export interface FileChangeFact {
  /** Absolute path inside the container, as the engine reports it. */
  path: string;
  /** Docker's Kind 0, 1, 2: `C`, `A`, `D` in `docker diff`. */
  kind: 'modified' | 'added' | 'deleted';
  /** Whether the path is a directory, when the engine was asked (`docker diff` does not say). */
  directory?: boolean;
}

/**
 * What the audit knows of one container the engine runs, mapped from its inspect JSON.
 * The engine merges the image's config into the container's at create time, so `user`
 * and `imageVolumes` already include what the image set.
 */
export interface ContainerFacts {
  /** Full container id (64 hex digits). */
  id: string;
  /** Name without Docker's leading `/`; the short id when the engine gave none. */
  name: string;
  /** `Config.Image`: the reference the container was created from, as typed (`nginx:1.27`); line 0. */
  image: ImageRef;
  /** `State.Status`: `created`, `running`, `exited`, ...; `unknown` when missing. */
  state: string;
  /** `HostConfig.ReadonlyRootfs`. */
  readOnly: boolean;
  /** `Config.User`; `''` means the image's default, which the engine has already merged in, so root. */
  user: string;
  /** `HostConfig.SecurityOpt` turns no_new_privs on (`no-new-privileges`, `:true`, `=true`; the last one wins). */
  noNewPrivileges: boolean;
  /** `HostConfig.Privileged`. */
  privileged: boolean;
  /** `HostConfig.CapDrop`, as written (`ALL`, `NET_RAW`). */
  capDrop: string[];
  /** `Mounts[]` (bind, volume, tmpfs) and `HostConfig.Tmpfs` (`--tmpfs`, which `Mounts[]` leaves out); line 0. */
  mounts: MountFact[];
  /** `Config.Volumes` keys: the image's VOLUMEs and `-v /path`; Docker gives each an (anonymous) volume. */
  imageVolumes: string[];
  /** What the container wrote to its own layer (`docker diff`), when it was read. */
  changes?: FileChangeFact[];
  /** `Config.User` of the image, when its inspect JSON was given (`''`: the image sets none). */
  imageUser?: string;
  /** Set when docker compose created the container (its `com.docker.compose.*` labels), so fixes can name the service. */
  compose?: {project: string; service: string};
}

/** A target with everything a rule needs to judge it. */
export type Subject =
  | {kind: 'dockerfile'; target: Target; dockerfile: DockerfileFacts}
  | {kind: 'compose-service'; target: Target; service: ComposeService; dockerfile?: DockerfileFacts}
  | {kind: 'k8s-container'; target: Target; container: K8sContainer; dockerfile?: DockerfileFacts}
  /**
   * A container the engine runs. Its image is already built, so no Dockerfile is known;
   * `dockerfile?: never` keeps `subject.dockerfile` readable on every subject.
   */
  | {kind: 'container'; target: Target; container: ContainerFacts; dockerfile?: never}
  /** The engine's host and daemon (`audit --host`): settings under every container. */
  | {kind: 'host'; target: Target; host: HostFacts; dockerfile?: never};
