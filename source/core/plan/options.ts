import type {WritableRequest} from './writable.js';

/** What the person asked `fix` to do. */
export interface FixOptions {
  /** Rule ids to fix; undefined: every fixable rule. */
  only?: ReadonlySet<string>;
  /** `--writable PATH[=tmpfs|volume]`, for every compose service and Kubernetes container fixed. */
  writable: readonly WritableRequest[];
  /** Paths `fix --discover` saw each target write when it ran, by target id. */
  discovered?: ReadonlyMap<string, readonly WritableRequest[]>;
  /** `--not-writable PATH`: paths to leave read-only on every target, even with evidence that the app writes them. */
  notWritable?: readonly string[];
  /** The same per target id: proposals the person switched off in the wizard. */
  declined?: ReadonlyMap<string, ReadonlySet<string>>;
  /** `--user UID[:GID]`: run compose services and pods as this user when they run as root. */
  user?: string;
  /**
   * The user each image reference runs as by the engine's image config (`Config.User`), for
   * images on this machine that no Dockerfile here builds; absent without an engine.
   */
  imageUsers?: ReadonlyMap<string, string>;
  /** `--cap-drop`: drop all Linux capabilities too. */
  capDrop: boolean;
  /** `--runtime-base IMAGE`: the runtime stage of a multi-stage rewrite. */
  runtimeBase?: string;
  /**
   * What running each rewrite showed, by Dockerfile (as `Target.file`): the candidate that did
   * what the original does, or why none did. A Dockerfile with no entry was not run, for the
   * reason in `notRun`.
   */
  proofs?: ReadonlyMap<string, RewriteDecision>;
  /** Why rewrites were not run: `no engine answered (...)`, `--no-run`. Default: not asked. */
  notRun?: string;
}

/** The proof's verdict on one Dockerfile's rewrite candidates (runtime/prove-rewrite.ts). */
export type RewriteDecision =
  /** Write `rewriteCandidates(...)[candidate]`; `detail` says what its runs showed. */
  | {kind: 'proven'; candidate: number; detail: string; sizes?: {original: number; rewrite: number}; answers?: Answers}
  /** Write none: every candidate failed its proof, or the original could not be judged. */
  | {kind: 'refused'; reason: string; answers?: Answers};

/** What the proofs decided, by Dockerfile, or why none ran. */
export type ProofOutcome = {proofs: ReadonlyMap<string, RewriteDecision>} | {notRun: string};

/** What the original and the rewrite (the one written, or the last tried) answered, side by side. */
export interface Answers {
  original: string;
  /** Undefined when the rewrite did not get to run (it did not build). */
  rewrite?: string;
}

export function wants(options: FixOptions, rule: string): boolean {
  return options.only === undefined || options.only.has(rule);
}
