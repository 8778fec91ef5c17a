import {describe, expect, it} from 'vitest';
import type {AuditReport, Finding} from '../../../source/core/model/finding.js';
import {formatText} from '../../../source/core/report/text.js';
import {emptyReport, report, rules} from './fixture.js';

/* The default text layout: counts first, each rule's why and fix once, then where. */

const plain = {color: false, rules};

function withFindings(findings: Finding[], extra: Partial<AuditReport> = {}): AuditReport {
  return {...report, findings, errors: [], ...extra};
}

describe('formatText by rule', () => {
  it('prints the errors, the counts, then each rule once with its places', () => {
    expect(formatText(report, {...plain, cwdLabel: './shop'})).toMatchInlineSnapshot(`
      "Audit of ./shop

      Errors
        k8s/broken.yaml:7: Could not parse YAML: bad indentation of a mapping entry.

      4 targets: 1 Dockerfile, 2 compose services, 1 Kubernetes container
      6 findings (4 fixable by "harden fix"):
        rule              high  medium  low  info  total
        read-only-rootfs     2       -    -     -      2
        writable-path        -       1    -     -      1
        run-as-root          -       1    -     -      1
        latest-tag           -       -    1     -      1
        tmpfs-size           -       -    -     1      1
        total                2       2    1     1      6

      HIGH  read-only-rootfs: Root filesystem is writable (2)
        A writable root lets an attacker change binaries and configuration at run time
        (OWASP Docker Top 10 D09). Fix: Run with a read-only root filesystem and mount
        only the paths the app writes.
        deploy/my app/compose.yaml:3 web
        readOnlyRootFilesystem: false: k8s/api|v2.yaml:24 api

      MED   writable-path: Path needs a writable mount (1)
        With a read-only root, the app fails where it writes unless that path has its
        own mount. Fix: Add a tmpfs for scratch data or a volume for data that must
        survive a restart.
        /var/cache/nginx: tmpfs (nginx writes its cache there):
          deploy/my app/compose.yaml:3 web

      MED   run-as-root: Runs as root (1)
        Root in the container can write wherever a mount allows and makes an escape
        worse. Fix: Add \`USER 10001\` (a numeric id) after the last step that needs
        root.
        USER root: Dockerfile:12

      LOW   latest-tag: Base image is not pinned (1)
        A moving tag means the image you tested is not the one you run. Fix: Pin the
        tag and the digest: \`FROM node:20.11@sha256:...\`.
        FROM node:latest: Dockerfile:1

      INFO  tmpfs-size: Scratch mount has no size limit (1)
        An unbounded tmpfs or emptyDir lets one container fill the node memory or
        disk. Fix: Set a size (tmpfs) or sizeLimit (emptyDir).
        The emptyDir at /tmp has no sizeLimit.
          k8s/api|v2.yaml:30 api

      4 targets, 6 findings (2 high, 2 medium, 1 low, 1 info), 1 error
      "
    `);
  });

  it('shows bytes that were not UTF-8 as \\xNN and control bytes as text, in names, details and errors', () => {
    const latin1 = withFindings(
      [{...report.findings[2]!, detail: 'FROM caf\uDCE9:1 \u001b[31m'}],
      {targets: report.targets.map(t => ({...t, name: `${t.name}\uDCE9`})), errors: [{file: 'bad\uDCFF.yaml', line: 0, message: 'not \uDCE9 YAML'}]},
    );
    const text = formatText(latin1, plain);
    expect(text).toContain('FROM caf\\xe9:1 \\x1b[31m:');
    // A Dockerfile target named after its file shows no name; the byte is still visible.
    expect(text).toContain('Dockerfile:1 Dockerfile\\xe9');
    expect(text).toContain('  bad\\xff.yaml: not \\xe9 YAML');
    expect(text).not.toMatch(/[\uD800-\uDFFF\u001b]/);
  });

  it('keeps a very long target whole on a line of its own instead of cutting it', () => {
    const name = `Deployment/payments/${'settlement-reconciliation-'.repeat(4)}worker`;
    const file = 'k8s/base/payments/settlement/deployment.yaml';
    const long = withFindings(
      [
        {...report.findings[4]!, target: `k8s-container:${file}#${name}`, file, line: 40, detail: ''},
        {...report.findings[4]!, target: `k8s-container:${file}#api`, file, line: 90, detail: ''},
        {...report.findings[0]!},
      ],
      {targets: [...report.targets, {id: `k8s-container:${file}#${name}`, kind: 'k8s-container', file, name, line: 12}, {id: `k8s-container:${file}#api`, kind: 'k8s-container', file, name: 'api', line: 80}]},
    );
    const lines = formatText(long, plain).split('\n');
    const at = lines.findIndex(l => l.includes(name));
    expect(lines[at - 1]).toBe('  deploy/my app/compose.yaml:3 web;');
    expect(lines[at]).toBe(`  ${file}:40 ${name},`);
    expect(lines[at + 1]).toBe('    :90 api');
    // Only the entry that is wider than a line by itself is wider than 80 columns.
    expect(lines.filter(l => l.length > 80)).toEqual([lines[at]]);
  });

  it('wraps prose and packs places to the width it is given', () => {
    const many = withFindings(Array.from({length: 30}, (_, i) => ({...report.findings[0]!, target: `compose-service:app${i}/compose.yaml#web`, file: `app${i}/compose.yaml`})));
    for (const width of [60, 80, 120]) {
      const lines = formatText(many, {...plain, width}).split('\n');
      expect(Math.max(...lines.map(l => l.length))).toBeLessThanOrEqual(width);
      for (let i = 0; i < 30; i += 1) expect(lines.some(l => l.includes(`app${i}/compose.yaml:3 web`))).toBe(true);
    }
    expect(formatText(many, {...plain, width: 120}).split('\n').length).toBeLessThan(formatText(many, {...plain, width: 60}).split('\n').length);
  });

  it('says so when there are targets but no findings', () => {
    expect(formatText(withFindings([]), plain)).toBe('4 targets: 1 Dockerfile, 2 compose services, 1 Kubernetes container\n\nNo findings.\n');
    expect(formatText(emptyReport, plain)).toBe('No targets found.\n\nNo findings.\n');
  });

  it('puts errors first, one line each, when nothing else was found', () => {
    const long = 'This file is larger than the limit of 4 MiB; raise --max-size to audit it. '.repeat(2).trim();
    const errorsOnly = withFindings([], {errors: [{file: 'z.yaml', line: 3, message: 'bad'}, {file: 'big/compose.yaml', line: 0, message: long}]});
    expect(formatText(errorsOnly, plain)).toBe([
      'Errors',
      `  big/compose.yaml: ${long}`,
      '  z.yaml:3: bad',
      '',
      '4 targets: 1 Dockerfile, 2 compose services, 1 Kubernetes container',
      '',
      '4 targets, no findings, 2 errors',
      '',
    ].join('\n'));
  });

  it('colours only when asked, and colour adds nothing but escapes', () => {
    const coloured = formatText(report, {...plain, color: true});
    expect(formatText(report, plain)).not.toContain('\u001b');
    expect(coloured).toContain('\u001b[31m');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(formatText(report, plain));
  });

  it('shows the whole message for a rule it has no explanation of', () => {
    const text = formatText(report, {color: false});
    expect(text).toContain('HIGH  read-only-rootfs (2)\n  The root filesystem is writable, so an attacker who gets in can replace\n');
  });

  it('counts a rule whose findings differ in severity by severity, under the most severe', () => {
    const mixed = withFindings([report.findings[2]!, {...report.findings[2]!, severity: 'medium', line: 2}]);
    expect(formatText(mixed, plain)).toContain('MED   latest-tag: Base image is not pinned (2: 1 medium, 1 low)\n');
  });
  describe('places that are every target of a kind but a few', () => {
    const services = Array.from({length: 30}, (_, i) => ({id: `compose-service:app${i}/compose.yaml#web`, kind: 'compose-service' as const, file: `app${i}/compose.yaml`, name: 'web', line: 3}));
    const at = (i: number, line = 3): Finding => ({...report.findings[0]!, target: services[i]!.id, file: services[i]!.file, line});
    const audit = (findings: Finding[]) => formatText(withFindings(findings, {targets: services}), plain).split('\n');

    it('says "every compose service" and lists only the ones without the finding', () => {
      const lines = audit(services.map((_, i) => at(i)).filter((_, i) => i !== 4 && i !== 17));
      const start = lines.findIndex(l => l.includes('every compose service'));
      expect(lines[start]).toBe('  every compose service (28 of 30) except app17/compose.yaml:3 web;');
      expect(lines[start + 1]).toBe('    app4/compose.yaml:3 web');
      expect(lines[start + 2]).toBe('');
      expect(lines.join('\n')).not.toContain('app5/compose.yaml');
    });

    it('says only "every compose service" when none is without it', () => {
      const lines = audit(services.map((_, i) => at(i)));
      expect(lines).toContain('  every compose service (30)');
      expect(lines.join('\n')).not.toContain('compose.yaml:3');
    });

    it('lists the places when a finding is not at its service\'s own line, or a service has two', () => {
      const moved = audit(services.map((_, i) => at(i, i === 9 ? 7 : 3)));
      expect(moved.join('\n')).not.toContain('every');
      expect(moved.join('\n')).toContain('app9/compose.yaml:7 web');
      const twice = audit([...services.map((_, i) => at(i)), at(2)]);
      expect(twice.join('\n')).not.toContain('every');
    });

    it('lists the places when that is as short: three services of three', () => {
      const few = formatText(withFindings(services.slice(0, 3).map((_, i) => at(i)), {targets: services.slice(0, 3)}), plain);
      expect(few).toContain('  app0/compose.yaml:3 web; app1/compose.yaml:3 web; app2/compose.yaml:3 web\n');
      expect(few).not.toContain('every');
    });

    it('lists the places when they are half the services or fewer', () => {
      expect(audit(services.slice(0, 15).map((_, i) => at(i))).join('\n')).not.toContain('every');
    });

    it('says places of two kinds kind by kind: every compose service, and the Kubernetes containers listed', () => {
      const pods = [0, 1, 2].map(i => ({id: `k8s-container:k8s/app${i}.yaml#web`, kind: 'k8s-container' as const, file: `k8s/app${i}.yaml`, name: 'web', line: 9}));
      const inPods = pods.slice(0, 2).map(t => ({...report.findings[0]!, target: t.id, file: t.file, line: t.line}));
      const lines = formatText(withFindings([...services.map((_, i) => at(i)), ...inPods], {targets: [...services, ...pods]}), plain).split('\n');
      const start = lines.indexOf('  every compose service (30)');
      expect(start).toBeGreaterThan(0);
      // Two of three containers: listing them is as short as naming the one without.
      expect(lines[start + 1]).toBe('  k8s/app0.yaml:9 web; k8s/app1.yaml:9 web');
    });

    it('puts the phrase after a detail when it fits, with the exceptions below it', () => {
      const findings = services.map((_, i) => ({...at(i), rule: 'writable-path', detail: '/tmp: tmpfs'})).filter((_, i) => i !== 0);
      const lines = audit(findings);
      expect(lines).toContain('  /tmp: tmpfs: every compose service (29 of 30) except app0/compose.yaml:3 web');
    });
  });
});
