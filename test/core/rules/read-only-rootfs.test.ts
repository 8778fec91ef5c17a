import {describe, expect, it} from 'vitest';
import type {Subject} from '../../../source/core/model/facts.js';
import {readOnlyRootfs} from '../../../source/core/rules/read-only-rootfs.js';
import {composeSubject, container, dockerfile, dockerfileSubject, k8sSubject, located, service, stage} from '../../support/facts.js';

describe('read-only-rootfs', () => {
  const cases: Array<{name: string; subject: Subject; line?: number; says?: string}> = [
    {name: 'compose without read_only', subject: composeSubject(service()), line: 3, says: 'set "read_only: true" on service "app"'},
    {name: 'compose read_only: false points at the setting', subject: composeSubject(service({readOnly: located(false, 7)})), line: 7, says: '"read_only: false"'},
    {name: 'compose read_only: true', subject: composeSubject(service({readOnly: located(true, 7)}))},
    {name: 'k8s without the field', subject: k8sSubject(container()), line: 10, says: 'securityContext.readOnlyRootFilesystem: true'},
    {name: 'k8s false points at the setting', subject: k8sSubject(container({security: {readOnlyRootFilesystem: located(false, 12)}})), line: 12, says: 'readOnlyRootFilesystem: false'},
    {name: 'k8s true', subject: k8sSubject(container({security: {readOnlyRootFilesystem: located(true, 12)}}))},
    {name: 'dockerfile is never judged', subject: dockerfileSubject(dockerfile(stage('nginx:1.27')))},
  ];

  it.each(cases)('$name', ({subject, line, says}) => {
    const findings = readOnlyRootfs.check(subject);
    if (line === undefined) {
      expect(findings).toEqual([]);
      return;
    }
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({rule: 'read-only-rootfs', severity: 'high', line, fixable: true, target: subject.target.id, file: subject.target.file});
    expect(findings[0]!.message).toContain(says);
  });
});
