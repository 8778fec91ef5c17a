import type {Finding, Severity} from '../model/finding.js';
import type {Subject} from '../model/facts.js';

/** One rule: metadata for reports (SARIF needs it) and a pure check over a subject. */
export interface Rule {
  id: string;
  /** Default severity; a rule may raise or lower it per finding. */
  severity: Severity;
  /** Short title, as in a table of rules. */
  title: string;
  /** Why it matters for an immutable container (OWASP Docker Top 10 D09). */
  why: string;
  /** What the fix is, in one or two sentences. */
  fix: string;
  fixable: boolean;
  check(subject: Subject): Finding[];
}
