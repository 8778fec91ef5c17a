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
  /** `--cap-drop`: drop all Linux capabilities too. */
  capDrop: boolean;
  /** `--runtime-base IMAGE`: the runtime stage of a multi-stage rewrite. */
  runtimeBase?: string;
}

export function wants(options: FixOptions, rule: string): boolean {
  return options.only === undefined || options.only.has(rule);
}
