import type {AuditError, AuditReport, Finding, Target} from '../model/finding.js';

/*
 * The JSON shape is a contract with scripts and later commands (`fix --from`), so it is
 * rebuilt field by field: the key order is fixed and nothing a caller happened to attach
 * to a finding leaks into the output.
 */

function target(t: Target): Target {
  const shaped: Target = {id: t.id, kind: t.kind, file: t.file, name: t.name, line: t.line};
  if (t.podSecurity) shaped.podSecurity = {profile: t.podSecurity.profile, unmet: [...t.podSecurity.unmet]};
  return shaped;
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

/** About how much text each piece of {@link jsonChunks} holds. */
const chunkChars = 1 << 16;

/**
 * JSON.stringify(object, null, 2) for an object at `indent`, its lines indented to match;
 * written out key by key, which is a third faster for the flat shapes above (a nested value
 * goes through JSON.stringify itself). Keys with undefined values are left out, as there.
 */
function stringifyFlat(object: Record<string, unknown>, indent: string): string {
  let out = '{';
  let first = true;
  for (const key of Object.keys(object)) {
    const value = object[key];
    const text = typeof value === 'object' && value !== null ? JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}  `) : JSON.stringify(value);
    if (text === undefined) continue;
    out += `${first ? '' : ','}\n${indent}  ${quotedKey(key)}: ${text}`;
    first = false;
  }
  return first ? '{}' : `${out}\n${indent}}`;
}

/** JSON.stringify(key), remembered: the same few keys come back for every element. */
const quotedKeys = new Map<string, string>();
function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 64) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/**
 * The same text as {@link formatJson}, in pieces of about 64 KiB, so a report of a hundred
 * thousand findings is never one string: each element is shaped and stringified alone, then
 * indented to its depth, as JSON.stringify(report, null, 2) lays it out.
 */
export function* jsonChunks(report: AuditReport): Generator<string> {
  const tool = JSON.stringify({name: report.tool.name, version: report.tool.version}, null, 2).replace(/\n/g, '\n  ');
  let buffer = `{\n  "tool": ${tool}`;
  const sections: Array<[string, readonly unknown[], (item: never) => unknown]> = [
    ['targets', report.targets, target],
    ['findings', report.findings, finding],
    ['errors', report.errors, error],
  ];
  for (const [key, items, shape] of sections) {
    buffer += `,\n  "${key}": [`;
    if (items.length === 0) {
      buffer += ']';
      continue;
    }
    for (let i = 0; i < items.length; i++) {
      buffer += `${i === 0 ? '' : ','}\n    ${stringifyFlat(shape(items[i] as never) as Record<string, unknown>, '    ')}`;
      if (buffer.length >= chunkChars) {
        yield buffer;
        buffer = '';
      }
    }
    buffer += '\n  ]';
  }
  yield `${buffer}\n}\n`;
}
