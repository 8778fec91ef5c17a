import type {AuditError, AuditReport, Finding, Target} from '../model/finding.js';
import type {Paint} from './paint.js';
import {podSecurityLines} from './text-pod-security.js';
import {compareFindings, compareText, defaultWidth, groupBy, location, printable, severityStyle, sortedErrors, summaryLine, tags, wrap} from './text-parts.js';

/*
 * The long layout (`audit --verbose`): one block per file, each target followed by its
 * findings with their whole messages. Every finding explains itself, so the same
 * explanation repeats once per service; the default layout (text-by-rule.ts) prints it once.
 */

function findingLines(f: Finding, paint: Paint): string[] {
  const tag = paint(severityStyle[f.severity], f.severity === 'high' ? paint('bold', tags.high) : tags[f.severity]);
  const head = `    ${tag}  ${printable(location(f.file, f.line))}  ${paint('magenta', printable(f.rule))}`;
  return [head, ...wrap(printable(f.message), 10)];
}

function targetLine(t: Target, count: number, paint: Paint): string {
  const what = `  ${paint('bold', printable(t.name))} ${paint('dim', `(${t.kind}, line ${t.line})`)}`;
  return count === 0 ? `${what}: ${paint('green', 'no findings')}` : what;
}

/** `  file:line: message`, continuation lines indented two more columns. */
function errorLines(e: AuditError): string[] {
  const [first = '', ...rest] = wrap(`${printable(location(e.file, e.line))}: ${printable(e.message)}`, 4);
  return [first.slice(2), ...rest];
}

/** Files in order, each target with its findings, then the errors, then one summary line. */
export function* linesByFile(report: AuditReport, paint: Paint): Generator<string> {
  const byTarget = groupBy(report.findings, f => f.target);
  const known = new Set(report.targets.map(t => t.id));
  // A finding whose target is missing from the report still has to be shown: under its own file.
  const orphans = groupBy(report.findings.filter(f => !known.has(f.target)), f => f.file);
  const targetsByFile = groupBy(report.targets, t => t.file);
  const files = [...new Set([...targetsByFile.keys(), ...orphans.keys()])].sort(compareText);

  for (const file of files) {
    yield paint('bold', printable(file));
    const targets = (targetsByFile.get(file) ?? []).sort((a, b) => a.line - b.line || compareText(a.name, b.name));
    for (const t of targets) {
      const own = (byTarget.get(t.id) ?? []).sort(compareFindings);
      yield targetLine(t, own.length, paint);
      if (t.podSecurity) yield* podSecurityLines(t.podSecurity, paint, defaultWidth);
      for (const f of own) yield* findingLines(f, paint);
    }
    const loose = (orphans.get(file) ?? []).sort(compareFindings);
    if (loose.length > 0) yield `  ${paint('dim', '(no target)')}`;
    for (const f of loose) yield* findingLines(f, paint);
    yield '';
  }
  if (files.length === 0) yield* ['No targets found.', ''];

  if (report.errors.length > 0) {
    yield paint('red', paint('bold', 'Errors'));
    for (const e of sortedErrors(report.errors)) yield* errorLines(e);
    yield '';
  }

  yield paint('bold', summaryLine(report));
}
