/** What a directory entry is, without following a symbolic link. */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

/**
 * The file system as the core's discovery needs it. The real one is runtime/fs/node-fs.ts;
 * tests may give an in-memory one.
 */
export interface FileSystem {
  /** Entries of a directory, not sorted. */
  list(dir: string): Promise<Array<{name: string; kind: EntryKind}>>;
  /** Follows links; `kind` is never `symlink`. Rejects when the path does not exist. */
  stat(path: string): Promise<{kind: EntryKind; size: number}>;
  /** The canonical absolute path, links resolved. */
  realpath(path: string): Promise<string>;
  /** Reads at most `maxBytes + 1` bytes, so a caller can tell that a file is too large without reading it all. */
  read(path: string, maxBytes: number): Promise<Uint8Array>;
}

/** The engine the tool talks to, as found and checked. */
export interface EngineInfo {
  /** Where it was reached: `unix:///var/run/docker.sock`, `tcp://...`. */
  endpoint: string;
  /** How the endpoint was chosen: `DOCKER_HOST`, `context <name>`, `default socket`, `podman socket`. */
  source: string;
  apiVersion: string;
  serverVersion: string;
  /** True for Podman's Docker-compatible API. */
  podman: boolean;
}

/** A container as the engine lists it. */
export interface ContainerSummary {
  id: string;
  /** Without the leading `/`. */
  name: string;
  image: string;
  state: string;
  labels: Readonly<Record<string, string>>;
}

/** One entry of `docker diff`: `GET /containers/{id}/changes`. */
export interface FileChange {
  path: string;
  kind: 'modified' | 'added' | 'deleted';
  /** Whether the path is a directory; set for added entries with nothing listed below them, which `docker diff` leaves ambiguous. */
  directory?: boolean;
}

/** A build through the engine API (the classic builder; no BuildKit CLI needed). */
export interface BuildRequest {
  /** Absolute build context directory; `.dockerignore` in it is honoured. */
  context: string;
  /** Dockerfile path relative to the context. */
  dockerfile: string;
  /** Build this text instead of the Dockerfile's (a candidate rewrite); the project is not written. */
  dockerfileText?: string;
  /** The stage to build (`build.target` of a compose service); the final one when unset. */
  target?: string;
  tag: string;
  labels?: Readonly<Record<string, string>>;
  /** Each line of build output, as it arrives: `Step 3/9 : RUN npm ci`. */
  onProgress?(line: string): void;
  /**
   * Each image the build makes (not those it took from the cache or a FROM): every stage's
   * layers, which the builder keeps untagged after the build; see `removeBuildLayers`.
   */
  onImage?(id: string): void;
  signal?: AbortSignal;
}

/** How to run a container; every field maps to one `docker run` flag. */
export interface RunSpec {
  image: string;
  /** Replaces CMD when given. */
  cmd?: string[];
  env?: Readonly<Record<string, string>>;
  user?: string;
  readOnly: boolean;
  /** Path -> tmpfs options (`mode=1777,uid=1000,size=64m,exec`). */
  tmpfs: Readonly<Record<string, string>>;
  /** Named volumes the tool creates for this run (labelled, removed with it). */
  volumes: ReadonlyArray<{name: string; target: string}>;
  /**
   * Always `none`: the container under test never gets the host's network (nor a bridge to the
   * rest of the machine); its ports are reached from a probe in its own namespace (`connect`).
   */
  network: 'none';
  noNewPrivileges: boolean;
  capDrop?: string[];
  /** Added back after `capDrop` (`--cap-drop ALL --cap-add CHOWN ...`). */
  capAdd?: string[];
  memoryBytes: number;
  pidsLimit: number;
  labels?: Readonly<Record<string, string>>;
}

/** What a connection to a port of a container gave: an answer, a refusal, silence, or no way to ask. */
export type NetworkAnswer =
  | {kind: 'answered'; answer: string}
  | {kind: 'refused'}
  | {kind: 'silent'}
  | {kind: 'unavailable'; why: string};

/** A container the tool started; `remove()` is always safe to call, also twice. */
export interface RunningContainer {
  id: string;
  logs(): Promise<string>;
  /** Raw inspect JSON. */
  inspect(): Promise<unknown>;
  changes(): Promise<FileChange[]>;
  /** Runs a command inside; output is stdout and stderr together. */
  exec(cmd: string[], timeoutMs: number): Promise<{exitCode: number; output: string}>;
  /**
   * Connects to 127.0.0.1:`port` inside the container's network namespace, from a probe that
   * joins it; with `request`, sends it and resolves with the first bytes of the answer.
   */
  connect(port: number, request?: string): Promise<NetworkAnswer>;
  /** Resolves with the exit code, or undefined when still running after `timeoutMs`. */
  wait(timeoutMs: number): Promise<number | undefined>;
  /** Stops (if running) and removes the container and the volumes created for it. */
  remove(): Promise<void>;
}

/** Everything the tool asks of a container engine. The real one lives in runtime/docker. */
export interface ContainerEngine {
  info(): Promise<EngineInfo>;
  /** Raw `GET /info` JSON (`docker info`): security options, data root, live-restore; mapped by the pure core. */
  systemInfo(): Promise<unknown>;
  listContainers(all: boolean): Promise<ContainerSummary[]>;
  /** Raw inspect JSON; mapped to facts by the pure core. */
  inspectContainer(id: string): Promise<unknown>;
  /** Raw image inspect JSON, or undefined when the engine has no such image. */
  inspectImage(ref: string): Promise<unknown | undefined>;
  changes(id: string): Promise<FileChange[]>;
  build(request: BuildRequest): Promise<{imageId: string}>;
  /** Fetches an image from its registry; only ever called when the person asked (`--pull`). */
  pull(ref: string, onProgress: (line: string) => void, signal?: AbortSignal): Promise<void>;
  run(spec: RunSpec): Promise<RunningContainer>;
  /** Removes containers, volumes and images left by earlier runs of the tool that were killed. */
  sweep(): Promise<{containers: number; volumes: number; images: number}>;
  /** Removes an image the tool built. */
  removeImage(ref: string): Promise<void>;
  /**
   * Removes the images a build of this process made (`BuildRequest.onImage`), newest first,
   * leaving any that were tagged since or that another image or container still uses.
   */
  removeBuildLayers(ids: readonly string[]): Promise<void>;
}
