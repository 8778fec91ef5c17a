import {describe, expect, it} from 'vitest';
import {auditFiles} from '../../../source/core/audit.js';

const base = `services:
  web:
    image: nginx:1.27
    volumes:
      - cache:/var/cache/nginx
  worker:
    image: busybox:1
    read_only: false
`;

const override = `services:
  web:
    read_only: true
    security_opt: ["no-new-privileges:true"]
    tmpfs: [/var/run, /tmp]
  debug:
    image: busybox:1
`;

function rules(report: ReturnType<typeof auditFiles>, target: string): string[] {
  return report.findings.filter(f => f.target === target).map(f => (f.path ? `${f.rule} ${f.path}` : f.rule)).sort();
}

describe('compose.override.yaml', () => {
  it('is merged over compose.yaml as docker compose does', () => {
    const report = auditFiles(
      [
        {file: 'app/compose.yaml', type: 'compose', text: base},
        {file: 'app/compose.override.yaml', type: 'compose', text: override},
      ],
      {version: 'test'},
    );
    expect(report.targets.map(t => t.id)).toEqual([
      'compose-service:app/compose.override.yaml#debug',
      'compose-service:app/compose.yaml#web',
      'compose-service:app/compose.yaml#worker',
    ]);
    // read_only, no-new-privileges and the tmpfs mounts come from the override; the cache volume from the base.
    expect(rules(report, 'compose-service:app/compose.yaml#web')).toEqual(['mutable-image-ref', 'root-user']);
    expect(rules(report, 'compose-service:app/compose.yaml#worker')).toContain('read-only-rootfs');
    expect(report.findings.find(f => f.target.endsWith('#worker') && f.rule === 'read-only-rootfs')!.line).toBe(8);
  });

  it('stands alone without a base file, and other variants are never merged', () => {
    const report = auditFiles(
      [
        {file: 'compose.override.yaml', type: 'compose', text: override},
        {file: 'other/compose.yaml', type: 'compose', text: base},
        {file: 'other/docker-compose.prod.yml', type: 'compose', text: override},
      ],
      {version: 'test'},
    );
    expect(report.targets.map(t => t.id)).toContain('compose-service:compose.override.yaml#web');
    expect(report.targets.map(t => t.id)).toContain('compose-service:other/docker-compose.prod.yml#web');
    expect(rules(report, 'compose-service:other/compose.yaml#web')).toContain('read-only-rootfs');
  });
});
