import type {AuditError, Target} from './finding.js';

/** A writable path and the mount it gets. */
export interface WritableMount {
  /** Absolute, normalised, symlinks like /var/run resolved to the real directory (/run). */
  path: string;
  /** tmpfs (compose tmpfs, Kubernetes emptyDir) for ephemeral data; volume (named volume, PVC) for data that must outlive the container. */
  mount: 'tmpfs' | 'volume';
  /** Volume name: a compose named volume or a Kubernetes volume. Unique in its file. */
  name: string;
  /** Why this path is writable (evidence), and why this mount type. */
  why: string;
  /** The tmpfs must allow exec: Docker mounts tmpfs noexec, which breaks native libraries (netty, JNI). */
  exec?: boolean;
  /** tmpfs mode, such as `1777` for /tmp (Ruby refuses a world-writable /tmp without the sticky bit). */
  mode?: string;
  /** Owner of the tmpfs when the container runs as a non-root user. */
  uid?: number;
  gid?: number;
  /** Size limit in MiB: tmpfs `size`, emptyDir `sizeLimit`. */
  sizeMiB?: number;
}

/** One change to make to one target; each patcher handles the kinds that apply to its file type. */
export type Change =
  /** compose `read_only: true`; Kubernetes `readOnlyRootFilesystem: true`. */
  | {kind: 'read-only'}
  /** A tmpfs/volume mount (compose) or a volumeMount plus pod volume (Kubernetes). */
  | {kind: 'writable'; mount: WritableMount}
  /** compose `security_opt: [no-new-privileges:true]`; Kubernetes `allowPrivilegeEscalation: false`. */
  | {kind: 'no-new-privileges'}
  /** compose `cap_drop: [ALL]`; Kubernetes `capabilities.drop: [ALL]`; `add`: what `cap_add` / `capabilities.add` give back. */
  | {kind: 'cap-drop-all'; add?: string[]}
  /** A host mount the app only reads at `target` becomes read-only: `:ro` (compose short syntax), `read_only: true` (long syntax), `readOnly: true` (a Kubernetes volumeMount of a hostPath). */
  | {kind: 'mount-read-only'; target: string}
  /** Kubernetes `seccompProfile: {type: RuntimeDefault}` on the container. */
  | {kind: 'seccomp'}
  /** compose `user: "1000:1000"`; Kubernetes `runAsNonRoot: true` plus `runAsUser` when `uid` is known. */
  | {kind: 'run-as'; user?: string; uid?: number; gid?: number}
  /** Dockerfile: split into builder and runtime stages. */
  | {kind: 'multi-stage'; runtimeBase: string; user: string; proof: Proof}
  /** Dockerfile: add `USER` to the final stage. */
  | {kind: 'dockerfile-user'; user: string};

/**
 * Whether a multi-stage rewrite was built and run before it was offered: `proven` when it did
 * what the original does (same answer or job result, read-only too, a passing HEALTHCHECK,
 * non-root, smaller); `not run` when no engine answered or `--no-run` was given.
 */
export interface Proof {
  status: 'proven' | 'not run';
  /** One line: what the runs showed, or why there were none. */
  detail: string;
  /** Image sizes in bytes, when proven. */
  sizes?: {original: number; rewrite: number};
  /** What the original and the rewrite answered, when proven. */
  answers?: {original: string; rewrite?: string};
}

/** A change, the rule it answers and why it is made this way. */
export type PlannedChange = Change & {rule: string; reason: string};

/** Something the fix will not do, with the reason (never skipped silently). */
export interface Skipped {
  rule: string;
  /** What was not done, e.g. the path or the setting. */
  what: string;
  reason: string;
  /**
   * A change the plan set out to make and took back: the file it must go in could not be
   * edited there (a compose override Compose applies on top, an anchor, a failed check).
   * Its finding stays, and `harden fix` exits 1.
   */
  withdrawn?: boolean;
}

/** The plan for one target. */
export interface TargetPlan {
  target: Target;
  changes: PlannedChange[];
  skipped: Skipped[];
}

/** The new text of one file. */
export interface FilePatch {
  /** Display path, relative to `Plan.cwd`, `/`-separated. */
  file: string;
  /** sha256 (hex) of the bytes that were read; the writer refuses to write over anything else. Absent for a new file. */
  sha256?: string;
  /** True when the original started with a UTF-8 BOM; the writer puts it back. */
  bom: boolean;
  /**
   * Full text after the edits (without BOM; line endings as the original's). Bytes of the
   * original that were not valid UTF-8 are lone surrogates U+DC80..U+DCFF here, which the
   * writer turns back into the same bytes (core/parse/utf8.ts); JSON keeps them as `\udcXX`.
   */
  text: string;
  /** True for a file the fix creates (a PVC manifest). */
  created: boolean;
}

/** Everything `harden fix` will do, before it does it. JSON-serialisable: `--plan-out` saves it, `--plan` replays it. */
export interface Plan {
  tool: {name: string; version: string};
  /** Absolute directory the file paths are relative to. */
  cwd: string;
  targets: TargetPlan[];
  files: FilePatch[];
  /** Files that could not be parsed or patched; they are left byte for byte untouched. */
  errors: AuditError[];
}
