import {describe, expect, it} from 'vitest';
import {allRules, runRules} from '../../../source/core/rules/index.js';
import {composeSubject, container, dockerfile, dockerfileSubject, hardenedContainer, hardenedService, image, k8sSubject, located, mount, service, stage} from '../../support/facts.js';

const digest = 'sha256:' + 'b'.repeat(64);

describe('allRules', () => {
  it('has unique ids and full metadata', () => {
    const ids = allRules.map(r => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(['privileged', 'docker-socket', 'host-namespace', 'cap-add', 'read-only-rootfs', 'writable-path-unmounted', 'root-user', 'single-stage-build', 'privilege-escalation',
      'cap-drop', 'seccomp', 'host-mount-writable', 'host-port', 'service-account-token', 'mutable-image-ref', 'unsigned-image-policy', 'daemon-no-new-privileges', 'daemon-userns', 'daemon-data-root', 'host-rootfs-writable', 'daemon-live-restore', 'content-trust']);
    for (const rule of allRules) for (const text of [rule.title, rule.why, rule.fix]) expect(text.length).toBeGreaterThan(10);
  });
});

describe('runRules', () => {
  it('finds nothing on hardened targets', () => {
    const facts = dockerfile(
      stage(`node:20@${digest}`, {line: 1, runs: [located('npm ci', 2)]}),
      stage(`gcr.io/distroless/nodejs20-debian12:nonroot@${digest}`, {line: 4, user: located('65532', 6)}),
    );
    expect(runRules(dockerfileSubject(facts))).toEqual([]);
    expect(runRules(composeSubject(hardenedService({build: {dockerfile: 'Dockerfile', context: '.', line: 4}}), facts))).toEqual([]);
    expect(runRules(k8sSubject(hardenedContainer({image: image(`redis@${digest}`), mounts: [mount('/data', 'pvc')]})))).toEqual([]);
  });

  it('reports a bare compose service in rule order', () => {
    const findings = runRules(composeSubject(service({image: image('redis', 4), privileged: located(true, 8)})));
    expect(findings.map(f => [f.rule, f.severity, f.line])).toEqual([
      ['privileged', 'high', 8],
      ['read-only-rootfs', 'high', 3],
      ['writable-path-unmounted', 'medium', 3],
      ['root-user', 'medium', 3],
      ['privilege-escalation', 'low', 3],
      // privileged: harden leaves its capabilities to a person
      ['cap-drop', 'medium', 3],
      ['mutable-image-ref', 'medium', 4],
    ]);
    expect(findings.find(f => f.rule === 'cap-drop')!.fixable).toBe(false);
  });

  it('runs only the rules given', () => {
    expect(runRules(k8sSubject(container()), allRules.filter(r => r.id === 'read-only-rootfs')).map(f => f.rule)).toEqual(['read-only-rootfs']);
  });
});
