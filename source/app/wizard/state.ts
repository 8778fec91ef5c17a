import type {AuditError, Finding} from '../../core/model/finding.js';
import type {FilePatch, Plan} from '../../core/model/plan.js';
import type {ProofOutcome} from '../../core/plan/options.js';
import type {FoundPath, VerifyResult} from '../../core/model/runtime.js';
import type {ScanProgress, ScanResult} from '../services.js';

/** A tmpfs (compose tmpfs, Kubernetes emptyDir) or a volume (named volume, PVC). */
export type MountType = 'tmpfs' | 'volume';

/** A writable path the person touched on one target; the planner's own proposals need no entry. */
export interface PathChoice {
  /** Absolute and normalised. */
  path: string;
  /** The mount asked for; undefined lets the planner choose, as `--writable PATH` does. */
  mount?: MountType;
  /** Typed by the person, found by running the target, named by a failed verification, or the planner's own with its mount switched. */
  source: 'added' | 'discovered' | 'verify' | 'proposed';
  /** Off: kept in the list but not asked for. */
  enabled: boolean;
  /** Why the path is writable, in the words of whatever found it. */
  evidence: string[];
}

/** What becomes of single-stage Dockerfiles: the table's runtime base, another base, or no rewrite. */
export type DockerfileChoice = {kind: 'proposed'} | {kind: 'base'; image: string} | {kind: 'single-stage'};

/** Everything the person decided; carried by every step after the scan so `esc` never loses it. */
export interface Choices {
  /** Target ids to harden, in scan order. */
  selected: readonly string[];
  /** Per target id: paths added, discovered, or retyped. */
  paths: Readonly<Record<string, readonly PathChoice[]>>;
  dockerfile: DockerfileChoice;
  /** Display paths of files skipped in review; every other file of the plan is accepted. */
  skippedFiles: readonly string[];
  /**
   * The rewrites' proof by running (step 5), for the choices it was made with (`key`, see
   * proofKey): the plan writes the candidate it proved, or none when it failed.
   */
  proof?: {key: string; outcome: ProofOutcome};
}

/** One write: the plan as applied (accepted files only) and what the writer reported. */
export interface Applied {
  plan: Plan;
  written: string[];
  backupId: string | undefined;
}

/** The optional steps beyond read-only (issue 6); each is off until the person switches it on. */
export interface ExtrasChoice {
  /** `fix --pin-digests`: image references pinned to the digests the engine knows. */
  pin: boolean;
  /** `fix --falco`: drift rules for the hardened workloads. */
  falco: boolean;
  /** `fix --signing`: CI jobs that sign the images and cluster policies that admit only signed ones. */
  signing: 'none' | 'github' | 'gitlab';
  /** `fix --containers`: hardened run configs for the running containers. */
  runConfigs: boolean;
}

/** What the optional steps made: the files, their text before, and notes (references not pinned, containers skipped). */
export interface ExtrasPlan {
  plan: Plan;
  /** Text of each changed file as it is on disk now, for the diff. */
  before: Readonly<Record<string, string>>;
  notes: readonly string[];
}

/** The host's audit and the daemon.json change on offer (issue 8). */
export interface HostCheck {
  findings: readonly Finding[];
  errors: readonly AuditError[];
  /** Where the engine's daemon.json is (absolute); undefined when the engine runs elsewhere. */
  daemonFile?: string;
  /** The change to daemon.json, relative to the project like every patch; undefined when nothing is missing or it could not be read. */
  daemonPatch?: FilePatch;
  /** The file's text now, for the diff; undefined for a new file. */
  daemonBefore?: string;
  /** templates/host (daemon.json fragment, immutable-OS and Kubernetes-node notes) as new files of the project, those not there yet. */
  templates?: readonly FilePatch[];
  notes: readonly string[];
}

/** The host as read, and what became of the daemon.json offer. */
export type HostOutcome = HostCheck & {
  daemon?: {written: true; backupId: string | undefined} | {error: string};
  /** What became of copying templates/host into the project. */
  copied?: {written: string[]; backupId: string | undefined} | {error: string};
};

/** What the steps after verification did, for the summary and the report. */
export interface Beyond {
  extras?: {choice: ExtrasChoice; written: string[]; backupId: string | undefined; notes: readonly string[]};
  host?: HostOutcome;
}

/** Fields on every state. */
export interface Base {
  /** Bumped on each transition that starts a side effect, so every run has its own key. */
  seq: number;
  /** Set when the wizard is leaving with this exit code; running side effects are aborted first. */
  exit?: number;
}

/** What every step after the scan carries. */
export interface Session extends Base {
  scan: ScanResult;
  choices: Choices;
  /** The plan for `choices`; undefined while it is being (re)made. */
  plan?: Plan;
  /** Every write so far, oldest first. */
  applied: readonly Applied[];
  /** Results of the latest verification round. */
  verified: readonly VerifyResult[];
  /** What the optional steps and the host step did; set once they ran. */
  beyond?: Beyond;
}

/** What a re-scan after a write goes back to: the choices, and where the flow resumes. */
export interface Resume {
  choices: Choices;
  applied: readonly Applied[];
  verified: readonly VerifyResult[];
}

export type ScanningState = Base & {step: 'scanning'; dir: string; progress: ScanProgress; resume?: Resume};
export type TargetsState = Session & {step: 'targets'};
/** `explain`: the longer explanation panel is open. */
export type FindingsState = Session & {step: 'findings'; explain: boolean};
export type PathsState = Session & {
  step: 'paths';
  /** The add-a-path line is open for this target, with the text typed so far. */
  adding?: {targetId: string; text: string};
  /** `harden paths` is running this target; its progress lines. */
  discovering?: {targetId: string; lines: readonly string[]};
  /** One line for the person: why a key did nothing, what discovery found. */
  note?: string;
};
/**
 * `proving`: the rewrites are being built and run, with the progress lines so far.
 * `preview`: the diff of the rewritten Dockerfiles is shown instead of the choices (space).
 */
export type DockerfileState = Session & {step: 'dockerfile'; proving?: {lines: readonly string[]}; preview?: boolean};
export type ReviewState = Session & {step: 'review'};
/** `done`: the write finished (the summary of what changed is shown). */
export type WritingState = Session & {step: 'writing'; done?: Applied};
/**
 * Runs `queue[index..]` concurrently; `index === queue.length` means the round is over.
 * `results[i]` answers `queue[i]`: a target that finishes moves to `queue[index]`, so the
 * queue's first `index` entries are the finished ones, in the order they finished.
 */
export type VerifyingState = Session & {step: 'verifying'; queue: readonly string[]; index: number; lines: readonly string[]; results: readonly VerifyResult[]};
/**
 * Step 9, beyond read-only: `choose` the optional outputs, `planning` them, `preview` the files
 * (each accepted or skipped, like the review), `writing`, then `done`.
 */
export type ExtrasState = Session & {
  step: 'extras';
  extras: ExtrasChoice;
  phase: 'choose' | 'planning' | 'preview' | 'writing' | 'done';
  made?: ExtrasPlan;
  /** Files of `made` the person skipped. */
  skipped: readonly string[];
};
/**
 * Step 10, the host: `reading` it, `shown` (findings and the daemon.json offer), `confirm`
 * (the diff of daemon.json, written only on y), `writing` it, `done`; `copying` the host
 * templates into the project on request, from `shown` or `done`.
 */
export type HostState = Session & {step: 'host'; phase: 'reading' | 'shown' | 'confirm' | 'writing' | 'copying' | 'done'; check?: HostOutcome};
export type SummaryState = Session & {step: 'summary'; saved?: {files: string[]} | {error: string}};
/** `back`: where esc returns to, when there is somewhere sensible. */
export type FailedState = Base & {step: 'failed'; message: string; back?: WizardState};

/** The wizard: one state per step (STYLE.md, "The wizard is a state machine"). */
export type WizardState =
  | ScanningState
  | TargetsState
  | FindingsState
  | PathsState
  | DockerfileState
  | ReviewState
  | WritingState
  | VerifyingState
  | ExtrasState
  | HostState
  | SummaryState
  | FailedState;

export type Step = WizardState['step'];

/** Everything that can happen: keys the screens turn into intents, and the results of side effects. */
export type WizardAction =
  | {type: 'scanProgress'; progress: ScanProgress}
  | {type: 'scanned'; scan: ScanResult}
  | {type: 'failed'; message: string}
  | {type: 'next'}
  | {type: 'back'}
  | {type: 'quit'}
  | {type: 'finish'}
  | {type: 'toggleTarget'; id: string}
  | {type: 'setTargets'; ids: readonly string[]}
  | {type: 'toggleExplain'}
  /** Step 5: opens or closes the diff of the rewrite. */
  | {type: 'togglePreview'}
  | {type: 'planned'; plan: Plan}
  | {type: 'togglePath'; targetId: string; path: string}
  | {type: 'setMount'; targetId: string; path: string; mount: MountType}
  | {type: 'addStart'; targetId: string}
  /** Typed characters, appended (a handler may hold a stale text, the reducer never does). */
  | {type: 'addInput'; text: string}
  | {type: 'addErase'}
  | {type: 'addSubmit'}
  | {type: 'discoverStart'; targetId: string}
  | {type: 'progress'; line: string}
  | {type: 'discovered'; targetId: string; paths: readonly FoundPath[]}
  | {type: 'discoverFailed'; message: string}
  | {type: 'chooseDockerfile'; choice: DockerfileChoice}
  | {type: 'proved'; outcome: ProofOutcome}
  | {type: 'setFile'; file: string; accepted: boolean}
  | {type: 'applied'; written: string[]; backupId: string | undefined}
  /** `target`: the id it answers (targets verify concurrently and finish in any order); absent, the next in the queue. */
  | {type: 'verified'; result: VerifyResult; target?: string}
  | {type: 'fixMissing'}
  | {type: 'toggleExtra'; extra: 'pin' | 'falco' | 'runConfigs'}
  /** Signing: none → GitHub → GitLab → none. */
  | {type: 'cycleSigning'}
  | {type: 'extrasPlanned'; made: ExtrasPlan}
  | {type: 'extrasApplied'; written: string[]; backupId: string | undefined}
  | {type: 'hostChecked'; check: HostCheck}
  /** Opens the daemon.json diff for confirmation. */
  | {type: 'offerDaemon'}
  /** y on the daemon.json diff. */
  | {type: 'confirmDaemon'}
  | {type: 'daemonWritten'; backupId: string | undefined}
  | {type: 'daemonFailed'; message: string}
  /** c: copy templates/host into the project. */
  | {type: 'copyTemplates'}
  | {type: 'templatesCopied'; written: string[]; backupId: string | undefined}
  | {type: 'copyFailed'; message: string}
  | {type: 'saved'; files: string[]}
  | {type: 'saveFailed'; message: string};
