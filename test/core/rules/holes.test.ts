import {describe, expect, it} from 'vitest';
import type {MountFact} from '../../../source/core/model/facts.js';
import {runRules} from '../../../source/core/rules/index.js';
import {composeSubject, container, hardenedContainer, hardenedService, image, k8sSubject, located, service} from '../../support/facts.js';

/* The rules about the holes around a read-only root, on facts: each edge the CLI test does not reach. */

const holes = new Set(['docker-socket', 'host-mount-writable', 'cap-drop', 'cap-add', 'host-namespace', 'host-port', 'seccomp', 'service-account-token']);
const bind = (source: string, target: string, readOnly = false, line = 20): MountFact => ({target, kind: 'bind', readOnly, line, source});
const found = (findings: ReturnType<typeof runRules>) => findings.filter(f => holes.has(f.rule)).map(f => `${f.rule}:${f.line}${f.fixable ? '' : ' by hand'}`);

describe('docker-socket and host-mount-writable', () => {
  it.each([
    ['/var/run/docker.sock', true],
    ['/run/docker.sock', true],
    ['/run/containerd/containerd.sock', true],
    ['/var/run/crio/crio.sock', true],
    ['/run/user/1000/podman/podman.sock', true],
    ['/var/run', true],
    ['/var/run/docker.sock.bak', false],
    ['./docker.sock', false],
  ])('%s is a runtime socket: %s', (source, socket) => {
    const rules = found(runRules(composeSubject(hardenedService({mounts: [bind(source, '/sock', true)]}))));
    expect(rules).toEqual(socket ? ['docker-socket:20 by hand'] : []);
  });

  it('reports a writable bind or hostPath, not a read-only one, not one on a path the app writes', () => {
    const svc = hardenedService({image: image('postgres:16'), mounts: [bind('./pg', '/var/lib/postgresql/data'), bind('./conf', '/etc/app', true, 21), bind('/srv/x', '/x', false, 22)]});
    expect(found(runRules(composeSubject(svc)))).toEqual(['host-mount-writable:22 by hand']);
    const pod = hardenedContainer({mounts: [bind('/var/log', '/logs', false, 30), bind('/etc', '/host-etc', true, 31)]});
    expect(found(runRules(k8sSubject(pod)))).toEqual(['host-mount-writable:30 by hand']);
  });
});

describe('capabilities', () => {
  it('drop ALL in any spelling is enough; dangerous adds are found in any spelling', () => {
    expect(found(runRules(composeSubject(hardenedService({capDrop: [located('all', 7)], capAdd: [located('NET_BIND_SERVICE', 8), located('cap_sys_admin', 9), located('ALL', 10)]}))))).toEqual(['cap-add:9 by hand', 'cap-add:10 by hand']);
    expect(found(runRules(k8sSubject(hardenedContainer({security: {...hardenedContainer().security, capAdd: [located('SYS_PTRACE', 18), located('CHOWN', 18)]}}))))).toEqual(['cap-add:18 by hand']);
    // DAC_OVERRIDE is in the runtime's default set: back after dropping ALL it is less than the default, on its own it is more.
    expect(found(runRules(composeSubject(hardenedService({capDrop: [located('ALL', 7)], capAdd: [located('DAC_OVERRIDE', 8), located('CHOWN', 9)]}))))).toEqual([]);
    expect(found(runRules(composeSubject(hardenedService({capDrop: [located('NET_RAW', 7)], capAdd: [located('DAC_OVERRIDE', 8)]}))))).toContain('cap-add:8 by hand');
  });

  it('fixes a missing drop, except where a node agent may need what it takes away', () => {
    expect(found(runRules(composeSubject(hardenedService({capDrop: []}))))).toEqual(['cap-drop:3']);
    expect(found(runRules(composeSubject(hardenedService({capDrop: [], networkMode: located('host', 9)}))))).toEqual(['host-namespace:9 by hand', 'cap-drop:3']);
    expect(found(runRules(composeSubject(hardenedService({capDrop: [], pid: located('host', 9)}))))).toEqual(['host-namespace:9 by hand', 'cap-drop:3 by hand']);
    expect(found(runRules(composeSubject(hardenedService({capDrop: [], mounts: [bind('/proc', '/host/proc', true)]}))))).toEqual(['cap-drop:3 by hand']);
  });
});

describe('host namespaces, ports and the token: pod settings once, on the first container', () => {
  it('reports each namespace of the pod on its first container only', () => {
    const pod = {line: 5, hostPID: located(true, 6), hostIPC: located(true, 7), hostNetwork: located(false, 8), automountServiceAccountToken: located(true, 9)};
    expect(found(runRules(k8sSubject(hardenedContainer({pod}))))).toEqual(['host-namespace:6 by hand', 'host-namespace:7 by hand', 'service-account-token:9 by hand']);
    expect(found(runRules(k8sSubject(hardenedContainer({pod, first: undefined}))))).toEqual([]);
  });

  it('reports a hostPort, not a containerPort', () => {
    expect(found(runRules(k8sSubject(hardenedContainer({ports: [{port: 80, line: 20}, {port: 9100, hostPort: 9100, line: 21}]}))))).toEqual(['host-port:21 by hand']);
  });

  it('a token left on at the pod default points at the pod spec', () => {
    expect(found(runRules(k8sSubject(container({image: image('x'), security: hardenedContainer().security}))))).toEqual(['service-account-token:5 by hand']);
  });
});

describe('seccomp', () => {
  const security = hardenedContainer().security;
  const {seccomp: _, ...unset} = security;
  it.each([
    ['container RuntimeDefault', {security}, {}, []],
    ['pod Localhost', {security: unset}, {seccomp: located('Localhost', 6)}, []],
    ['unset', {security: unset}, {}, ['seccomp:10']],
    ['pod Unconfined', {security: unset}, {seccomp: located('Unconfined', 6)}, ['seccomp:6 by hand']],
    ['container Unconfined over pod RuntimeDefault', {security: {...security, seccomp: located('Unconfined', 17)}}, {seccomp: located('RuntimeDefault', 6)}, ['seccomp:17 by hand']],
  ])('Kubernetes: %s', (_name, fields, pod, expected) => {
    expect(found(runRules(k8sSubject(hardenedContainer({...fields, pod: {line: 5, automountServiceAccountToken: located(false, 6), ...pod}}))))).toEqual(expected);
  });

  it('compose: only an explicit unconfined, in either spelling (Docker applies its default otherwise)', () => {
    expect(found(runRules(composeSubject(hardenedService())))).toEqual([]);
    for (const option of ['seccomp=unconfined', 'seccomp:unconfined']) {
      expect(found(runRules(composeSubject(hardenedService({securityOpt: [located('no-new-privileges:true', 6), located(option, 7)]}))))).toEqual(['seccomp:7 by hand']);
    }
  });
});

describe('linear in input size', () => {
  it('judges a service with 20,000 mounts and capabilities fast', () => {
    const mounts = Array.from({length: 20000}, (_, i) => bind(`/srv/${i}`, `/data/${i}`, false, i + 10));
    const capAdd = Array.from({length: 20000}, (_, i) => located(i % 2 ? 'SYS_ADMIN' : 'CHOWN', i + 10));
    const started = performance.now();
    const findings = runRules(composeSubject(service({image: image('nginx:1.27'), mounts, capAdd})));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(findings.filter(f => f.rule === 'host-mount-writable')).toHaveLength(20000);
    expect(findings.filter(f => f.rule === 'cap-add')).toHaveLength(10000);
  });
});
