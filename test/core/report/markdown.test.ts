import {describe, expect, it} from 'vitest';
import type {AuditReport} from '../../../source/core/model/finding.js';
import {escapeMarkdown, formatMarkdown} from '../../../source/core/report/markdown.js';
import {emptyReport, report, rules} from './fixture.js';

const verbose = {verbose: true};

const golden = `# Container immutability audit

harden-wizard 1.2.3 audited 4 targets: 6 findings, 1 error.

## Summary

| Severity | Findings |
| :--- | ---: |
| High | 2 |
| Medium | 2 |
| Low | 1 |
| Info | 1 |
| **Total** | **6** |

## Findings

### Dockerfile

| Severity | Line | Rule | Target | Message | Fixable |
| :--- | ---: | :--- | :--- | :--- | :--- |
| Medium | 12 | \`run-as-root\` | Dockerfile (dockerfile) | The image runs as root. Add USER with a numeric id. | yes |
| Low | 1 | \`latest-tag\` | Dockerfile (dockerfile) | The base image \\\`node:latest\\\` can change under you. Pin a version and a digest. | no |

### deploy/my app/compose.yaml

| Severity | Line | Rule | Target | Message | Fixable |
| :--- | ---: | :--- | :--- | :--- | :--- |
| High | 3 | \`read-only-rootfs\` | web (compose-service) | The root filesystem is writable, so an attacker who gets in can replace binaries and keep them. Set read\\_only: true. | yes |
| Medium | 3 | \`writable-path\` | web (compose-service) | nginx writes to /var/cache/nginx; with a read-only root it needs a tmpfs mount there. | yes |

### k8s/api\\|v2.yaml

| Severity | Line | Rule | Target | Message | Fixable |
| :--- | ---: | :--- | :--- | :--- | :--- |
| High | 24 | \`read-only-rootfs\` | api (k8s-container) | readOnlyRootFilesystem is false. Set it to true in the securityContext. | yes |
| Info | 30 | \`tmpfs-size\` | api (k8s-container) | The emptyDir at /tmp has no sizeLimit. | no |

## Errors

| File | Line | Message |
| :--- | ---: | :--- |
| k8s/broken.yaml | 7 | Could not parse YAML: bad indentation of a mapping entry. |

## Rules

### \`latest-tag\`: Base image is not pinned

Default severity: low. Fixable by \`harden fix\`: no.

**Why:** A moving tag means the image you tested is not the one you run.

**Fix:** Pin the tag and the digest: \`FROM node:20.11@sha256:...\`.

### \`read-only-rootfs\`: Root filesystem is writable

Default severity: high. Fixable by \`harden fix\`: yes.

**Why:** A writable root lets an attacker change binaries and configuration at run time (OWASP Docker Top 10 D09).

**Fix:** Run with a read-only root filesystem and mount only the paths the app writes.

### \`run-as-root\`: Runs as root

Default severity: medium. Fixable by \`harden fix\`: yes.

**Why:** Root in the container can write wherever a mount allows and makes an escape worse.

**Fix:** Add \`USER 10001\` (a numeric id) after the last step that needs root.

### \`tmpfs-size\`: Scratch mount has no size limit

Default severity: info. Fixable by \`harden fix\`: yes.

**Why:** An unbounded tmpfs or emptyDir lets one container fill the node memory or disk.

**Fix:** Set a size (tmpfs) or sizeLimit (emptyDir).

### \`writable-path\`: Path needs a writable mount

Default severity: medium. Fixable by \`harden fix\`: yes.

**Why:** With a read-only root, the app fails where it writes unless that path has its own mount.

**Fix:** Add a tmpfs for scratch data or a volume for data that must survive a restart.
`;

const emptyGolden = `# Container immutability audit

harden-wizard 1.2.3 found no targets to audit.

## Summary

| Severity | Findings |
| :--- | ---: |
| High | 0 |
| Medium | 0 |
| Low | 0 |
| Info | 0 |
| **Total** | **0** |

## Findings

No findings.
`;

/** Cell delimiters: pipes not escaped by a backslash (an escaped backslash does not escape). */
function delimiters(row: string): number {
  return [...row.matchAll(/(?<!\\)(?:\\\\)*\|/g)].length;
}

describe('formatMarkdown --verbose: by file, every message whole', () => {
  it('prints title, counts, findings per file, errors and the rules that fired', () => {
    expect(formatMarkdown(report, rules, verbose)).toBe(golden);
  });

  it('prints an empty report', () => {
    expect(formatMarkdown(emptyReport, rules, verbose)).toBe(emptyGolden);
  });

  it('keeps every table row intact whatever the file names and messages hold', () => {
    const nasty: AuditReport = {
      ...report,
      findings: [{...report.findings[0]!, file: 'a`b|c\\|d.yaml', message: 'one\ntwo | three `x` a\\|b\r\nfour'}],
      errors: [{file: 'bad|file.yaml', line: 0, message: 'broken\nbadly'}],
    };
    const text = formatMarkdown(nasty, rules, verbose);
    const rows = text.split('\n').filter(line => line.startsWith('|'));
    const widths = rows.map(delimiters);
    expect(widths).toEqual([3, 3, 3, 3, 3, 3, 3, 7, 7, 7, 4, 4, 4]);
    expect(text).toContain('| one<br>two \\| three \\`x\\` a\\\\\\|b<br>four |');
    expect(text).toContain('### a\\`b\\|c\\\\\\|d.yaml');
    expect(text).toContain('| bad\\|file.yaml | - | broken<br>badly |');
  });

  it('names a rule it has no metadata for', () => {
    const text = formatMarkdown({...report, findings: [{...report.findings[0]!, rule: 'mystery'}]}, [], verbose);
    expect(text).toContain('### `mystery`\n\nNo description available.\n');
  });

  it('says so when there are targets but nothing to fix', () => {
    const text = formatMarkdown({...report, findings: [], errors: []}, rules, verbose);
    expect(text).toContain('harden-wizard 1.2.3 audited 4 targets: no findings.');
    expect(text).not.toContain('## Rules');
    expect(text).not.toContain('## Errors');
  });
});

describe('escapeMarkdown', () => {
  it('escapes Markdown punctuation and control bytes', () => {
    expect(escapeMarkdown('<b>&*_~[x]#\u001b')).toBe('\\<b\\>\\&\\*\\_\\~\\[x\\]\\#\\\\x1b');
  });
});
