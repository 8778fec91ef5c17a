/** A writable path found by running the target (`harden paths`). */
export interface FoundPath {
  /** Absolute, canonical (/var/run is /run). */
  path: string;
  mount: 'tmpfs' | 'volume';
  /** Why: `A /var/log/app/access.log` (observed change), `VOLUME /data`, `well-known image nginx: ...`, `log: EROFS ...`. */
  evidence: string[];
}

/** `harden paths --json`. */
export interface PathsResult {
  target: string;
  paths: FoundPath[];
}

/** One check of a verification run. */
export interface VerifyCheck {
  /** `build`, `start`, `ready`, `stays-up`, `exit-code`, `no-write-errors`. */
  name: string;
  ok: boolean;
  detail: string;
}

/** `harden verify --json`. */
export interface VerifyResult {
  target: string;
  ok: boolean;
  checks: VerifyCheck[];
  /** Paths the app tried to write with no mount, and the mount that fixes each. */
  missing: FoundPath[];
  /** The container's output, trimmed to the last lines. */
  logs: string;
  /** Set when the target did not run because its image is not on this machine (`ok` is false, but nothing failed). */
  notVerified?: {image: string; why: string};
}
