import {describe, expect, it} from 'vitest';
import type {K8sContainer} from '../../../source/core/model/facts.js';
import {podSecurity} from '../../../source/core/rules/pod-security.js';
import {container, hardenedContainer, located} from '../../support/facts.js';

/* The Pod Security Standards profile, control by control (kubernetes.io/docs/concepts/security/pod-security-standards). */

const restricted = (fields: Partial<K8sContainer> = {}) => hardenedContainer({name: 'web', ...fields});
const security = hardenedContainer().security;

describe('podSecurity', () => {
  it('a hardened container is restricted; a bare one is baseline with every gap named', () => {
    expect(podSecurity([restricted()])).toEqual({profile: 'restricted', unmet: []});
    expect(podSecurity([container({name: 'a'})])).toEqual({profile: 'baseline', unmet: [
      'a: allowPrivilegeEscalation not false', 'a: runAsNonRoot not true', 'a: no RuntimeDefault or Localhost seccompProfile', 'a: capabilities not dropped (ALL)',
    ]});
  });

  it.each<[string, Partial<K8sContainer>, string]>([
    ['hostPID', {pod: {line: 5, hostPID: located(true, 6)}}, 'hostPID: true'],
    ['a hostPath volume', {pod: {line: 5, volumeTypes: [located('hostPath', 7)]}}, 'a hostPath volume'],
    ['privileged', {security: {...security, privileged: located(true, 9)}}, 'web: privileged'],
    ['SYS_ADMIN', {security: {...security, capAdd: [located('CAP_SYS_ADMIN', 9), located('CHOWN', 9)]}}, 'web: adds SYS_ADMIN'],
    ['a hostPort', {ports: [{port: 80, hostPort: 80, line: 9}]}, 'web: hostPort'],
    ['seccomp Unconfined', {security: {...security, seccomp: located('Unconfined', 9)}}, 'web: seccompProfile Unconfined'],
    ['an unsafe sysctl', {pod: {line: 5, breaks: [located('sysctls: kernel.msgmax', 7)]}}, 'pod sysctls: kernel.msgmax'],
    ['procMount', {security: {...security, breaks: [located('procMount: Unmasked', 9)]}}, 'web: procMount: Unmasked'],
  ])('%s is privileged, not baseline', (_name, fields, gap) => {
    expect(podSecurity([restricted(fields)])).toEqual({profile: 'privileged', unmet: [gap]});
  });

  it.each<[string, Partial<K8sContainer>, string]>([
    ['CHOWN added (baseline allows it)', {security: {...security, capAdd: [located('CHOWN', 9)]}}, 'web: adds CHOWN'],
    ['a container runAsNonRoot: false over the pod\'s true', {security: {...security, runAsNonRoot: located(false, 9)}, podSecurity: {runAsNonRoot: located(true, 3)}}, 'web: runAsNonRoot not true'],
    ['runAsUser 0', {security: {...security, runAsUser: located(0, 9)}}, 'web: runAsUser 0'],
    ['an nfs volume', {pod: {line: 5, volumeTypes: [located('nfs', 7), located('emptyDir', 8)]}}, 'a nfs volume'],
  ])('%s is baseline, not restricted', (_name, fields, gap) => {
    expect(podSecurity([restricted(fields)])).toEqual({profile: 'baseline', unmet: [gap]});
  });

  it('a pod-level RuntimeDefault and runAsNonRoot count for every container; one weak container holds the pod back', () => {
    const {seccomp: _s, runAsNonRoot: _r, ...bare} = security;
    const pod = {line: 5, seccomp: located('RuntimeDefault', 6)};
    expect(podSecurity([restricted({security: bare, pod, podSecurity: {runAsNonRoot: located(true, 7)}})]).profile).toBe('restricted');
    expect(podSecurity([restricted(), container({name: 'sidecar', init: true})]).unmet[0]).toBe('sidecar: allowPrivilegeEscalation not false');
  });
});
