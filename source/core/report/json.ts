import type {AuditError, AuditReport, Finding, Target} from '../model/finding.js';

/*
 * The JSON shape is a contract with scripts and later commands (`fix --from`), so it is
 * rebuilt field by field: the key order is fixed and nothing a caller happened to attach
 * to a finding leaks into the output.
 */

function target(t: Target): Target {
  return {id: t.id, kind: t.kind, file: t.file, name: t.name, line: t.line};
}

function finding(f: Finding): Finding {
  const shaped: Finding = {
    rule: f.rule,
    severity: f.severity,
    target: f.target,
    file: f.file,
    line: f.line,
    message: f.message,
    fixable: f.fixable,
  };
  if (f.path !== undefined) shaped.path = f.path;
  return shaped;
}

function error(e: AuditError): AuditError {
  return {file: e.file, line: e.line, message: e.message};
}

/** The report as `audit --format json` prints it: 2-space indent, stable key order, final newline. */
export function formatJson(report: AuditReport): string {
  const shaped: AuditReport = {
    tool: {name: report.tool.name, version: report.tool.version},
    targets: report.targets.map(target),
    findings: report.findings.map(finding),
    errors: report.errors.map(error),
  };
  return JSON.stringify(shaped, null, 2) + '\n';
}
