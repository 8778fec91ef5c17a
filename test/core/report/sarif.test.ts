import {readFileSync} from 'node:fs';
import {Ajv2020} from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type {Log} from 'sarif';
import {describe, expect, it} from 'vitest';
import type {AuditReport} from '../../../source/core/model/finding.js';
import {artifactUri, fnv1a64, formatSarif} from '../../../source/core/report/sarif.js';
import {emptyReport, report, rules} from './fixture.js';

// The official SARIF 2.1.0 schema; see test/fixtures/sarif/README.md for where it comes from.
const schema = JSON.parse(readFileSync(new URL('../../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));
// strictRequired is off because the schema itself lists `required` properties inside anyOf branches.
const ajv = new Ajv2020({allErrors: true, strict: true, strictRequired: false});
addFormats.default(ajv);
const validate = ajv.compile(schema);

function sarif(input: AuditReport = report): Log {
  return JSON.parse(formatSarif(input, rules, {informationUri: 'https://example.com/harden-wizard'})) as Log;
}

function expectValid(log: unknown): void {
  const ok = validate(log);
  expect(ok ? [] : validate.errors).toEqual([]);
}

describe('formatSarif', () => {
  it('is valid against the SARIF 2.1.0 schema', () => {
    expectValid(sarif());
  });

  it('is valid for an empty report', () => {
    const log = sarif(emptyReport);
    expectValid(log);
    expect(log.runs[0]!.results).toEqual([]);
  });

  it('is checked by a validator that does reject bad logs', () => {
    const log = sarif() as unknown as {runs: Array<{results: Array<{level: string}>}>};
    log.runs[0]!.results[0]!.level = 'fatal';
    expect(validate(log)).toBe(false);
    expect(validate({...sarif(), runs: [{tool: {driver: {name: 'x', informationUri: 'not a uri'}}}]})).toBe(false);
  });

  it('describes the tool and every rule, with the scores GitHub ranks alerts by', () => {
    const log = sarif();
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0]!.tool.driver;
    expect(driver).toMatchObject({name: 'harden-wizard', version: '1.2.3', semanticVersion: '1.2.3', informationUri: 'https://example.com/harden-wizard'});
    expect(driver.rules!.map(r => r.id)).toEqual(rules.map(r => r.id));
    expect(driver.rules![0]).toEqual({
      id: 'read-only-rootfs',
      name: 'ReadOnlyRootfs',
      shortDescription: {text: 'Root filesystem is writable'},
      fullDescription: {text: rules[0]!.why},
      help: {text: `Why: ${rules[0]!.why}\nFix: ${rules[0]!.fix}`, markdown: `**Why:** ${rules[0]!.why}\n\n**Fix:** ${rules[0]!.fix}`},
      defaultConfiguration: {level: 'error'},
      properties: {tags: ['security', 'container', 'immutability', 'owasp-docker-d09'], 'security-severity': '8.0'},
    });
    const scores = Object.fromEntries(driver.rules!.map(r => [r.id, [r.defaultConfiguration?.level, r.properties?.['security-severity']]]));
    expect(scores).toMatchObject({
      'read-only-rootfs': ['error', '8.0'],
      'writable-path': ['warning', '5.5'],
      'latest-tag': ['note', '3.0'],
      'tmpfs-size': ['note', '0.0'],
    });
  });

  it('turns each finding into a result pointing at its rule and line', () => {
    const log = sarif();
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(report.findings.length);
    for (const [i, result] of run.results!.entries()) {
      const finding = report.findings[i]!;
      expect(run.tool.driver.rules![result.ruleIndex!]!.id).toBe(result.ruleId);
      expect(result.ruleId).toBe(finding.rule);
      expect(result.message.text).toBe(finding.message);
      expect(result.locations![0]!.physicalLocation!.region!.startLine).toBe(finding.line);
    }
    expect(run.results!.map(r => r.level)).toEqual(['error', 'warning', 'note', 'warning', 'error', 'note']);
    expect(run.results![1]!.properties).toEqual({target: report.findings[1]!.target, fixable: true, path: '/var/cache/nginx'});
  });

  it('writes relative, percent-encoded URIs against %SRCROOT%', () => {
    const uris = sarif().runs[0]!.results!.map(r => r.locations![0]!.physicalLocation!.artifactLocation);
    expect(uris[0]).toEqual({uri: 'deploy/my%20app/compose.yaml', uriBaseId: '%SRCROOT%'});
    expect(uris[4]).toEqual({uri: 'k8s/api%7Cv2.yaml', uriBaseId: '%SRCROOT%'});
    expect(uris[2]).toEqual({uri: 'Dockerfile', uriBaseId: '%SRCROOT%'});
  });

  it.each([
    ['./a b/c#d?.yaml', {uri: 'a%20b/c%23d%3F.yaml', uriBaseId: '%SRCROOT%'}],
    ['dir\\Dockerfile', {uri: 'dir/Dockerfile', uriBaseId: '%SRCROOT%'}],
    ['x:y/compose.yaml', {uri: 'x%3Ay/compose.yaml', uriBaseId: '%SRCROOT%'}],
    ['/abs/my file', {uri: 'file:///abs/my%20file'}],
    ['C:\\work\\Dockerfile', {uri: 'file:///C:/work/Dockerfile'}],
  ])('artifactUri(%j)', (file, expected) => {
    expect(artifactUri(file)).toEqual(expected);
  });

  it('gives a region a line of at least 1', () => {
    const zero: AuditReport = {...report, findings: [{...report.findings[0]!, line: 0}]};
    const log = sarif(zero);
    expectValid(log);
    expect(log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.region).toEqual({startLine: 1});
  });

  it('fingerprints by rule, target and path, not by line or wording', () => {
    const prints = sarif().runs[0]!.results!.map(r => r.partialFingerprints!['hardenFinding/v1']!);
    expect(new Set(prints).size).toBe(prints.length);
    for (const p of prints) expect(p).toMatch(/^[0-9a-f]{16}$/);
    const moved: AuditReport = {...report, findings: report.findings.map(f => ({...f, line: f.line + 5, message: 'reworded'}))};
    expect(sarif(moved).runs[0]!.results!.map(r => r.partialFingerprints!['hardenFinding/v1'])).toEqual(prints);
  });

  it('reports files that could not be audited as tool execution notifications', () => {
    const withWholeFile: AuditReport = {...report, errors: [...report.errors, {file: 'huge file.yaml', line: 0, message: 'Too large.'}]};
    const log = sarif(withWholeFile);
    expectValid(log);
    expect(log.runs[0]!.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'error',
            message: {text: 'Could not parse YAML: bad indentation of a mapping entry.'},
            locations: [{physicalLocation: {artifactLocation: {uri: 'k8s/broken.yaml', uriBaseId: '%SRCROOT%'}, region: {startLine: 7}}}],
          },
          {
            level: 'error',
            message: {text: 'Too large.'},
            locations: [{physicalLocation: {artifactLocation: {uri: 'huge%20file.yaml', uriBaseId: '%SRCROOT%'}}}],
          },
        ],
      },
    ]);
  });

  it('adds a bare rule for a finding whose rule it was not given', () => {
    const odd: AuditReport = {...report, findings: [{...report.findings[0]!, rule: 'mystery', severity: 'low'}]};
    const log = sarif(odd);
    expectValid(log);
    const run = log.runs[0]!;
    expect(run.results![0]!.ruleIndex).toBe(rules.length);
    expect(run.tool.driver.rules![rules.length]).toMatchObject({id: 'mystery', name: 'Mystery', defaultConfiguration: {level: 'note'}});
  });

  it('leaves out what it cannot state truthfully', () => {
    const log = JSON.parse(formatSarif({...emptyReport, tool: {name: 'harden-wizard', version: 'dev'}}, [])) as Log;
    expectValid(log);
    const driver = log.runs[0]!.tool.driver;
    expect(driver.semanticVersion).toBeUndefined();
    expect(driver.informationUri).toBeUndefined();
  });
});

describe('fnv1a64', () => {
  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ])('%j', (input, hash) => {
    expect(fnv1a64(input)).toBe(hash);
  });
});
