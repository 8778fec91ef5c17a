import {describe, expect, it} from 'vitest';
import type {AuditReport, Finding} from '../../../source/core/model/finding.js';
import {formatText, summaryLine, textChunks, wrap} from '../../../source/core/report/text.js';
import {emptyReport, report} from './fixture.js';

const golden = `Audit of ./shop

Dockerfile
  Dockerfile (dockerfile, line 1)
    MED   Dockerfile:12  run-as-root
          The image runs as root. Add USER with a numeric id.
    LOW   Dockerfile:1  latest-tag
          The base image \`node:latest\` can change under you. Pin a version and a
          digest.

deploy/my app/compose.yaml
  web (compose-service, line 3)
    HIGH  deploy/my app/compose.yaml:3  read-only-rootfs
          The root filesystem is writable, so an attacker who gets in can
          replace binaries and keep them. Set read_only: true.
    MED   deploy/my app/compose.yaml:3  writable-path
          nginx writes to /var/cache/nginx; with a read-only root it needs a
          tmpfs mount there.
  db (compose-service, line 14): no findings

k8s/api|v2.yaml
  api (k8s-container, line 18)
    HIGH  k8s/api|v2.yaml:24  read-only-rootfs
          readOnlyRootFilesystem is false. Set it to true in the
          securityContext.
    INFO  k8s/api|v2.yaml:30  tmpfs-size
          The emptyDir at /tmp has no sizeLimit.

Errors
  k8s/broken.yaml:7: Could not parse YAML: bad indentation of a mapping entry.

4 targets, 6 findings (2 high, 2 medium, 1 low, 1 info), 1 error
`;

const escape = '\u001b';

function withFindings(findings: Finding[], extra: Partial<AuditReport> = {}): AuditReport {
  return {...report, findings, errors: [], ...extra};
}

describe('formatText --verbose: by file, every message whole', () => {
  it('prints files in order, each target with its findings, errors, and a summary', () => {
    expect(formatText(report, {color: false, cwdLabel: './shop', verbose: true})).toBe(golden);
  });

  it('prints an empty report', () => {
    expect(formatText(emptyReport, {color: false, verbose: true})).toBe('No targets found.\n\nNo findings.\n');
  });

  it('colours only when asked', () => {
    const plain = formatText(report, {color: false, verbose: true});
    const coloured = formatText(report, {color: true, verbose: true});
    expect(plain).not.toContain(escape);
    expect(coloured).toContain(`${escape}[31m`);
    // Taking the escapes out gives the plain text back: colour adds nothing else.
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });

  it('shows control bytes from the project as text, so color off has no escape byte at all', () => {
    const evil = withFindings([{...report.findings[0]!, message: `red ${escape}[31mtext\u0007`}]);
    const text = formatText(evil, {color: false, verbose: true});
    expect(text).not.toContain(escape);
    expect(text).toContain('red \\x1b[31mtext\\x07');
  });

  it('shows bytes that were not UTF-8 (lone surrogates in the text) as \\xNN, never as U+FFFD', () => {
    const latin1 = withFindings([{...report.findings[0]!, message: 'user r\uDCE9oot'}], {targets: report.targets.map(t => ({...t, name: `${t.name}\uDCE9`}))});
    const text = formatText(latin1, {color: false, verbose: true});
    expect(text).toContain('user r\\xe9oot');
    expect(text).toContain('Dockerfile\\xe9 (dockerfile, line 1)');
    expect(text).not.toMatch(/[\uD800-\uDFFF]/);
  });

  it('keeps every line within 80 columns', () => {
    const long = withFindings([
      {...report.findings[0]!, message: 'A writable root filesystem '.repeat(12).trim()},
    ], {errors: [{file: 'k8s/broken.yaml', line: 0, message: 'This file is larger than the limit. '.repeat(6).trim()}]});
    const lines = formatText(long, {color: false, verbose: true}).split('\n');
    expect(Math.max(...lines.map(l => l.length))).toBeLessThanOrEqual(80);
    expect(lines.filter(l => /^ {10}\S/.test(l)).length).toBeGreaterThan(3);
    // A whole-file error (line 0) has no line number; its continuation lines are indented.
    expect(lines).toContain('  k8s/broken.yaml: This file is larger than the limit. This file is larger');
    expect(lines).toContain('    than the limit. This file is larger than the limit. This file is larger than');
  });

  it('shows a finding whose target is not in the report under its file', () => {
    const lost: Finding = {...report.findings[2]!, target: 'dockerfile:other/Dockerfile#x', file: 'other/Dockerfile'};
    const text = formatText(withFindings([lost]), {color: false, verbose: true});
    expect(text).toContain('other/Dockerfile\n  (no target)\n    LOW   other/Dockerfile:1  latest-tag\n');
  });
});

describe('textChunks', () => {
  it('splits a large report into pieces of about 64 KiB that join into formatText', () => {
    const finding = report.findings[0]!;
    const large = {...report, findings: Array.from({length: 3000}, (_, i) => ({...finding, line: i, message: `${finding.message} ${i}`}))};
    const pieces = [...textChunks(large, {color: false, verbose: true})];
    expect(pieces.length).toBeGreaterThan(5);
    expect(Math.max(...pieces.map(p => p.length))).toBeLessThan(70_000);
    expect(pieces.join('')).toBe(formatText(large, {color: false, verbose: true}));
    expect(pieces.join('').endsWith('\n')).toBe(true);
  });
});

describe('summaryLine', () => {
  it.each([
    ['all well', withFindings([]), 'No findings.'],
    ['errors only', withFindings([], {errors: report.errors}), '4 targets, no findings, 1 error'],
    ['one of each', withFindings([report.findings[0]!], {targets: [report.targets[1]!]}), '1 target, 1 finding (1 high)'],
    ['empty', emptyReport, 'No findings.'],
  ])('%s', (_name, input, expected) => {
    expect(summaryLine(input)).toBe(expected);
  });
});

describe('wrap', () => {
  it('keeps a word longer than a line whole and honours newlines', () => {
    expect(wrap(`short ${'x'.repeat(90)} end\nnext`, 2, 40)).toEqual(['  short', `  ${'x'.repeat(90)}`, '  end', '  next']);
  });
});
