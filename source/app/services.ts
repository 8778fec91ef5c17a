import type {Analysis, LoadedFile} from '../core/audit.js';
import type {Plan} from '../core/model/plan.js';
import type {FoundPath, VerifyResult} from '../core/model/runtime.js';
import type {FixOptions, ProofOutcome} from '../core/plan/options.js';
import type {Beyond, ExtrasChoice, ExtrasPlan, HostCheck} from './wizard/state.js';

/** What the scan found: the audit of the project, and whether an engine is there for the runtime steps. */
export interface ScanResult {
  dir: string;
  analysis: Analysis;
  files: LoadedFile[];
  /** Undefined when an engine answered; else one line saying why not (the wizard then runs the static steps only). */
  engineProblem?: string;
  /** The user each local image a root-user finding is about runs as, from the engine's image config (as `harden fix` reads it). */
  imageUsers?: ReadonlyMap<string, string>;
}

/** Live counts while scanning. */
export interface ScanProgress {
  files: number;
  targets: number;
  containers: number;
}

/** Progress lines of a long step (build output, "waiting for :3000"). */
export type ProgressLine = (line: string) => void;

/**
 * Everything the wizard does to the world, injected so every screen renders in tests
 * with fakes. The real implementation composes the same core and runtime as the
 * plain commands; the wizard adds no logic of its own.
 */
export interface WizardServices {
  scan(dir: string, onProgress: (progress: ScanProgress) => void, signal: AbortSignal): Promise<ScanResult>;
  /** Pure: the same planner as `harden fix`. */
  plan(scan: ScanResult, options: FixOptions): Plan;
  /**
   * Step 5: `harden fix`'s proof by running of the scan's rewrites (the scan is scoped to the
   * chosen targets): build and run the original and each candidate. Optional: without it the
   * plan says the rewrites were not run.
   */
  prove?(scan: ScanResult, options: FixOptions, onProgress: ProgressLine, signal: AbortSignal): Promise<ProofOutcome>;
  /** Atomic writes with a backup; returns what was written and the backup id for undo. */
  apply(plan: Plan): Promise<{written: string[]; backupId: string | undefined}>;
  /** `harden paths` for one target id: run it and report the paths it writes. */
  discoverPaths(scan: ScanResult, targetId: string, onProgress: ProgressLine, signal: AbortSignal): Promise<FoundPath[]>;
  /** `harden verify` for one target id against the files as written. */
  verify(scan: ScanResult, targetId: string, onProgress: ProgressLine, signal: AbortSignal): Promise<VerifyResult>;
  /**
   * Step 9: the optional outputs for the chosen targets, made from the files as written now,
   * as `fix --pin-digests`, `--falco`, `--signing` and `--containers` make them. Writes nothing.
   */
  planExtras(scan: ScanResult, selected: readonly string[], choice: ExtrasChoice, signal: AbortSignal): Promise<ExtrasPlan>;
  /** Step 10: `harden audit --host`, and the daemon.json change `fix --daemon-json` would make. Writes nothing. */
  checkHost(scan: ScanResult, signal: AbortSignal): Promise<HostCheck>;
  /** Writes harden-report.md and harden-plan.json beside the project; returns their paths. */
  saveReport(scan: ScanResult, plan: Plan, verified: readonly VerifyResult[], beyond?: Beyond): Promise<string[]>;
  /**
   * Runtime bases the Dockerfile step offers besides the table's own choice, each usable as
   * `--runtime-base` (FixOptions.runtimeBase), such as those of templates/runtime-bases.json
   * for the project's builders. Optional: without it the step offers the proposed base and single-stage.
   */
  runtimeBases?(scan: ScanResult): readonly string[];
}
