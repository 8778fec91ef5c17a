import type {Location, Log, Notification, ReportingDescriptor, Result} from 'sarif';
import type {AuditError, AuditReport, Finding, Severity} from '../model/finding.js';
import {encodeUtf8} from '../parse/utf8.js';
import type {Rule} from '../rules/rule.js';

/** Options for the SARIF log. */
export interface SarifOptions {
  /** Where people learn about the tool (its home page); left out of the log when absent. */
  informationUri?: string;
}

const schema = 'https://json.schemastore.org/sarif-2.1.0.json';

/** SARIF has three levels that matter; `info` findings are notes like `low` ones. */
const levels: Record<Severity, Result.level> = {high: 'error', medium: 'warning', low: 'note', info: 'note'};

/** GitHub code scanning ranks alerts by this CVSS-like score (high >= 7, medium >= 4, low > 0). */
const securitySeverity: Record<Severity, string> = {high: '8.0', medium: '5.5', low: '3.0', info: '0.0'};

const tags = ['security', 'container', 'immutability', 'owasp-docker-d09'];

/** Key under `partialFingerprints`; bump the version if the hashed fields ever change. */
const fingerprintKey = 'hardenFinding/v1';

const semver = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * 64-bit FNV-1a over the UTF-8 bytes, as 16 hex digits; a byte of the file that was not UTF-8
 * counts as itself. Not cryptographic, and it need not be: it only has to be stable across
 * runs and machines. node:crypto stays out of the core.
 */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of encodeUtf8(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * The fingerprint leaves out the line and the message on purpose: code scanning should
 * keep an alert as the same alert when lines move above it or the wording improves.
 */
function fingerprint(f: Finding): string {
  return fnv1a64([f.rule, f.target, f.path ?? ''].join('\u0000'));
}

/**
 * A report path as a URI reference: `/` separators, each segment percent-encoded (a space
 * becomes `%20`, a `|` `%7C`). Relative paths resolve against `%SRCROOT%`; an absolute path,
 * which the model does not expect, becomes a `file:` URI so that it is still valid.
 */
export function artifactUri(file: string): {uri: string; uriBaseId?: string} {
  const path = file.replaceAll('\\', '/');
  const drive = /^[A-Za-z]:\//.test(path) ? path.slice(0, 2) : '';
  const rest = path.slice(drive.length);
  const encoded = rest
    .split('/')
    .map(segment => encodeURIComponent(segment))
    .join('/');
  if (drive !== '') return {uri: `file:///${drive}${encoded}`};
  if (rest.startsWith('/')) return {uri: `file://${encoded}`};
  return {uri: encoded.replace(/^(?:\.\/)+/, ''), uriBaseId: '%SRCROOT%'};
}

function location(file: string, line: number): Location {
  const region = line >= 1 ? {region: {startLine: line}} : {};
  return {physicalLocation: {artifactLocation: artifactUri(file), ...region}};
}

/** `read-only-rootfs` -> `ReadOnlyRootfs`: SARIF wants an identifier-like name beside the id. */
function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(part => part !== '')
    .map(part => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function descriptor(rule: Rule): ReportingDescriptor {
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: {text: rule.title},
    fullDescription: {text: rule.why},
    help: {text: `Why: ${rule.why}\nFix: ${rule.fix}`, markdown: `**Why:** ${rule.why}\n\n**Fix:** ${rule.fix}`},
    defaultConfiguration: {level: levels[rule.severity]},
    properties: {tags, 'security-severity': securitySeverity[rule.severity]},
  };
}

/** A finding from a rule the caller did not describe still needs a descriptor for its ruleIndex. */
function bareDescriptor(id: string, severity: Severity): ReportingDescriptor {
  return {
    id,
    name: pascalCase(id),
    shortDescription: {text: id},
    defaultConfiguration: {level: levels[severity]},
    properties: {tags, 'security-severity': securitySeverity[severity]},
  };
}

function result(f: Finding, ruleIndex: number): Result {
  return {
    ruleId: f.rule,
    ruleIndex,
    level: levels[f.severity],
    message: {text: f.message},
    locations: [location(f.file, Math.max(1, f.line))],
    partialFingerprints: {[fingerprintKey]: fingerprint(f)},
    properties: {target: f.target, fixable: f.fixable, ...(f.path === undefined ? {} : {path: f.path})},
  };
}

function notification(e: AuditError): Notification {
  return {level: 'error', message: {text: e.message}, locations: [location(e.file, e.line)]};
}

/**
 * The report as a SARIF 2.1.0 log for GitHub code scanning and other SARIF viewers: one
 * run, every given rule in `tool.driver.rules`, one result per finding, and files that
 * could not be audited as tool execution notifications (the run itself still succeeded).
 */
export function formatSarif(report: AuditReport, rules: readonly Rule[], options: SarifOptions = {}): string {
  const descriptors = rules.map(descriptor);
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  const results = report.findings.map(f => {
    let i = index.get(f.rule);
    if (i === undefined) {
      i = descriptors.push(bareDescriptor(f.rule, f.severity)) - 1;
      index.set(f.rule, i);
    }
    return result(f, i);
  });

  const {name, version} = report.tool;
  const log: Log = {
    $schema: schema,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name,
            version,
            ...(semver.test(version) ? {semanticVersion: version} : {}),
            ...(options.informationUri === undefined ? {} : {informationUri: options.informationUri}),
            rules: descriptors,
          },
        },
        invocations: [{executionSuccessful: true, toolExecutionNotifications: report.errors.map(notification)}],
        originalUriBaseIds: {'%SRCROOT%': {description: {text: 'The directory the audit ran from.'}}},
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
