import {describe, expect, it} from 'vitest';
import type {AuditReport} from '../../../source/core/model/finding.js';
import {formatJson, jsonChunks} from '../../../source/core/report/json.js';
import {emptyReport, report} from './fixture.js';

describe('formatJson', () => {
  it('round-trips the report exactly, but for the text report\'s details', () => {
    // Finding.detail serves the text layout; the JSON carries the whole message instead.
    const withoutDetails = {...report, findings: report.findings.map(({detail: _detail, ...f}) => f)};
    expect(JSON.parse(formatJson(report))).toEqual(withoutDetails);
    expect(formatJson(report)).not.toContain('"detail"');
  });

  it('prints the documented keys in a stable order', () => {
    const parsed = JSON.parse(formatJson(report)) as Record<string, unknown> & AuditReport;
    expect(Object.keys(parsed)).toEqual(['tool', 'targets', 'findings', 'errors']);
    expect(Object.keys(parsed.tool)).toEqual(['name', 'version']);
    for (const target of parsed.targets) expect(Object.keys(target)).toEqual(['id', 'kind', 'file', 'name', 'line']);
    const base = ['rule', 'severity', 'target', 'file', 'line', 'message', 'fixable'];
    for (const finding of parsed.findings) {
      expect(Object.keys(finding)).toEqual(finding.path === undefined ? base : [...base, 'path']);
    }
    expect(parsed.findings.filter(f => f.path !== undefined)).toHaveLength(2);
    for (const error of parsed.errors) expect(Object.keys(error)).toEqual(['file', 'line', 'message']);
  });

  it('keeps the key order whatever order the input objects have', () => {
    const shuffled = {
      errors: [{message: 'm', line: 0, file: 'f'}],
      findings: [{fixable: false, message: 'm', line: 2, file: 'f', target: 't', severity: 'low', rule: 'r'}],
      targets: [{line: 1, name: 'n', file: 'f', kind: 'dockerfile', id: 't'}],
      tool: {version: '1', name: 'x'},
    } as AuditReport;
    const text = formatJson(shuffled);
    expect(text.indexOf('"tool"')).toBeLessThan(text.indexOf('"targets"'));
    expect(Object.keys(JSON.parse(text).findings[0])).toEqual(['rule', 'severity', 'target', 'file', 'line', 'message', 'fixable']);
  });

  it('leaves out fields that are not part of the shape', () => {
    const extra = {
      ...report,
      extra: true,
      findings: [{...report.findings[0]!, debug: 'x', path: undefined}],
    } as unknown as AuditReport;
    const parsed = JSON.parse(formatJson(extra));
    expect(parsed.extra).toBeUndefined();
    expect(Object.keys(parsed.findings[0])).toEqual(['rule', 'severity', 'target', 'file', 'line', 'message', 'fixable']);
  });

  it('indents with two spaces and ends with a newline', () => {
    expect(formatJson(emptyReport)).toBe(
      '{\n  "tool": {\n    "name": "harden-wizard",\n    "version": "1.2.3"\n  },\n  "targets": [],\n  "findings": [],\n  "errors": []\n}\n',
    );
  });
});

describe('jsonChunks', () => {
  const joined = (r: AuditReport) => [...jsonChunks(r)].join('');

  it('is formatJson in pieces, byte for byte', () => {
    expect(joined(report)).toBe(formatJson(report));
    expect(joined(emptyReport)).toBe(formatJson(emptyReport));
    const onlyErrors = {...emptyReport, errors: report.errors};
    expect(joined(onlyErrors)).toBe(formatJson(onlyErrors));
  });

  it('shapes elements the same way: fixed key order, extra and undefined fields left out', () => {
    const odd = {
      ...report,
      findings: [{...report.findings[0]!, debug: 'x', path: undefined}, {fixable: false, message: 'quote " backslash \\ tab \t newline \n é \u2028', line: 2, file: 'f', target: 't', severity: 'low', rule: 'r', path: '/tmp'}],
    } as unknown as AuditReport;
    expect(joined(odd)).toBe(formatJson(odd));
  });

  it('splits a large report into pieces of about 64 KiB', () => {
    const finding = report.findings[0]!;
    const large = {...report, findings: Array.from({length: 3000}, (_, i) => ({...finding, line: i, message: `${finding.message} ${i}`}))};
    const pieces = [...jsonChunks(large)];
    expect(pieces.length).toBeGreaterThan(5);
    expect(Math.max(...pieces.map(p => p.length))).toBeLessThan(70_000);
    expect(pieces.join('')).toBe(formatJson(large));
  });
});
