import {describe, expect, it} from 'vitest';
import type {Subject} from '../../../source/core/model/facts.js';
import {noNewPrivileges, privilegeEscalation} from '../../../source/core/rules/privilege-escalation.js';
import {privileged} from '../../../source/core/rules/privileged.js';
import {composeSubject, container, dockerfile, dockerfileSubject, k8sSubject, located, service, stage} from '../../support/facts.js';

const opts = (...values: string[]) => values.map((value, i) => located(value, 6 + i));

describe('privilege-escalation', () => {
  const cases: Array<{name: string; subject: Subject; line?: number}> = [
    {name: 'compose without security_opt', subject: composeSubject(service()), line: 3},
    {name: 'compose no-new-privileges', subject: composeSubject(service({securityOpt: opts('no-new-privileges')}))},
    {name: 'compose no-new-privileges:true', subject: composeSubject(service({securityOpt: opts('no-new-privileges:true')}))},
    {name: 'compose no-new-privileges=true', subject: composeSubject(service({securityOpt: opts('no-new-privileges=true')}))},
    {name: 'compose no-new-privileges:false points at it', subject: composeSubject(service({securityOpt: opts('seccomp=unconfined', 'no-new-privileges:false')})), line: 7},
    {name: 'compose other options only', subject: composeSubject(service({securityOpt: opts('apparmor=docker-default')})), line: 3},
    {name: 'k8s unset', subject: k8sSubject(container()), line: 10},
    {name: 'k8s true points at it', subject: k8sSubject(container({security: {allowPrivilegeEscalation: located(true, 13)}})), line: 13},
    {name: 'k8s false', subject: k8sSubject(container({security: {allowPrivilegeEscalation: located(false, 13)}}))},
    {name: 'dockerfile', subject: dockerfileSubject(dockerfile(stage('alpine:3')))},
  ];

  it.each(cases)('$name', ({subject, line}) => {
    const findings = privilegeEscalation.check(subject);
    expect(findings.map(f => f.line)).toEqual(line === undefined ? [] : [line]);
    for (const f of findings) expect(f).toMatchObject({severity: 'low', fixable: true});
  });

  it.each([
    ['no-new-privileges', true],
    ['NO-NEW-PRIVILEGES:TRUE', true],
    ['no-new-privileges=false', false],
    ['no-new-privileges:false', false],
    ['label=disable', undefined],
  ] as const)('reads %s as %s', (option, expected) => {
    expect(noNewPrivileges(option)).toBe(expected);
  });
});

describe('privileged', () => {
  const cases: Array<{name: string; subject: Subject; line?: number}> = [
    {name: 'compose privileged: true', subject: composeSubject(service({privileged: located(true, 9)})), line: 9},
    {name: 'compose privileged: false', subject: composeSubject(service({privileged: located(false, 9)}))},
    {name: 'compose unset', subject: composeSubject(service())},
    {name: 'k8s privileged: true', subject: k8sSubject(container({security: {privileged: located(true, 16)}})), line: 16},
    {name: 'k8s unset', subject: k8sSubject(container())},
  ];

  it.each(cases)('$name', ({subject, line}) => {
    const findings = privileged.check(subject);
    expect(findings.map(f => f.line)).toEqual(line === undefined ? [] : [line]);
    for (const f of findings) {
      expect(f.severity).toBe('high');
      expect(f.message).toMatch(/remount its root filesystem writable.*; remove/);
    }
  });
});
