/** How much a finding matters; ordered from least to most. */
export type Severity = 'info' | 'low' | 'medium' | 'high';

export const severityOrder: readonly Severity[] = ['info', 'low', 'medium', 'high'];

/** True when `a` is at least as severe as `b`. */
export function atLeast(a: Severity, b: Severity): boolean {
  return severityOrder.indexOf(a) >= severityOrder.indexOf(b);
}

/** The kinds of thing the audit judges. `container` (the engine's own) arrives with the runtime layer; `host` is the engine's host (`audit --host`). */
export type TargetKind = 'dockerfile' | 'compose-service' | 'k8s-container' | 'container' | 'host';

/** Something that runs, or builds what runs, and can be hardened. */
export interface Target {
  /** Stable id, unique in one audit: `kind:file#name`. */
  id: string;
  kind: TargetKind;
  /** Path relative to the directory the audit ran from, with `/` separators. */
  file: string;
  /** Service, container or image name; the file name for a Dockerfile. */
  name: string;
  /** 1-based line where the target is defined. */
  line: number;
  /** Kubernetes containers: the Pod Security Standards profile their pod meets. */
  podSecurity?: PodSecurity;
}

/** A Pod Security Standards profile (kubernetes.io/docs/concepts/security/pod-security-standards) and what the pod lacks for the next one. */
export interface PodSecurity {
  profile: 'privileged' | 'baseline' | 'restricted';
  /** What keeps it from the next profile up, such as `web: runAsNonRoot not true`; empty at restricted. */
  unmet: string[];
}

/** One problem with one target. */
export interface Finding {
  /** Rule id, such as `read-only-rootfs`. */
  rule: string;
  severity: Severity;
  /** Id of the target it belongs to. */
  target: string;
  file: string;
  /** 1-based line of the setting to change, or of the target when the setting is missing. */
  line: number;
  /** One sentence on why it matters for immutability, then what the fix is. */
  message: string;
  /** Whether `harden fix` can change it. */
  fixable: boolean;
  /** For writable-path findings: the path that needs a mount. */
  path?: string;
  /**
   * What sets this finding apart from the rule's other findings (the path and its mount, the
   * image, the value found), for the text report, which prints the rule's why and fix once
   * and then one short entry per finding. Empty: the file, line and target say it all;
   * absent: the message is the only account. Not in
   * the JSON or SARIF shapes, which carry the whole message.
   */
  detail?: string;
}

/** A file that could not be audited, with where and what to do. */
export interface AuditError {
  file: string;
  /** 1-based; 0 when the problem is the whole file (unreadable, binary, too large). */
  line: number;
  message: string;
}

/** Everything one audit found. This JSON shape is shared by `audit --format json` and later commands. */
export interface AuditReport {
  tool: {name: string; version: string};
  targets: Target[];
  findings: Finding[];
  errors: AuditError[];
}
