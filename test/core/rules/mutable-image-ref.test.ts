import {describe, expect, it} from 'vitest';
import type {Subject} from '../../../source/core/model/facts.js';
import {mutableImageRef} from '../../../source/core/rules/mutable-image-ref.js';
import {composeSubject, container, dockerfile, dockerfileSubject, image, k8sSubject, located, service, stage} from '../../support/facts.js';

const digest = 'sha256:' + 'a'.repeat(64);

describe('mutable-image-ref', () => {
  const cases: Array<{name: string; subject: Subject; expected: Array<{line: number; severity: string}>}> = [
    {name: 'FROM with a version tag is low', subject: dockerfileSubject(dockerfile(stage('node:20', {line: 1}))), expected: [{line: 1, severity: 'low'}]},
    {name: 'FROM :latest is medium', subject: dockerfileSubject(dockerfile(stage('node:latest'))), expected: [{line: 1, severity: 'medium'}]},
    {name: 'FROM without a tag is medium', subject: dockerfileSubject(dockerfile(stage('node'))), expected: [{line: 1, severity: 'medium'}]},
    {name: 'FROM pinned by digest', subject: dockerfileSubject(dockerfile(stage(`node:20@${digest}`))), expected: []},
    {name: 'registry with a port is not a tag', subject: dockerfileSubject(dockerfile(stage('localhost:5000/app:1'))), expected: [{line: 1, severity: 'low'}]},
    {name: 'registry with a port and no tag', subject: dockerfileSubject(dockerfile(stage('localhost:5000/app'))), expected: [{line: 1, severity: 'medium'}]},
    {
      name: 'every external FROM, not scratch, not a stage reference',
      subject: dockerfileSubject(dockerfile(stage('golang:1.22', {line: 1}), stage({stage: 0}, {line: 5}), stage('scratch', {line: 8}), stage('alpine', {line: 10}))),
      expected: [{line: 1, severity: 'low'}, {line: 10, severity: 'medium'}],
    },
    {name: 'unresolved FROM is low with its own message', subject: dockerfileSubject(dockerfile(stage('${BASE}'))), expected: [{line: 1, severity: 'low'}]},
    {name: 'compose image', subject: composeSubject(service({image: image('redis:7', 4)})), expected: [{line: 4, severity: 'low'}]},
    {name: 'compose image with build is the build tag', subject: composeSubject(service({image: image('myapp', 4), build: {dockerfile: 'Dockerfile', context: '.', line: 5}})), expected: []},
    {name: 'compose pinned image', subject: composeSubject(service({image: image(`redis@${digest}`, 4)})), expected: []},
    {name: 'k8s image latest', subject: k8sSubject(container({image: image('ghcr.io/org/app:latest', 11)})), expected: [{line: 11, severity: 'medium'}]},
    {name: 'k8s without image', subject: k8sSubject(container()), expected: []},
  ];

  it.each(cases)('$name', ({subject, expected}) => {
    const findings = mutableImageRef.check(subject);
    expect(findings.map(f => ({line: f.line, severity: f.severity}))).toEqual(expected);
    for (const f of findings) expect(f.message).toMatch(/sha256/);
  });

  it('says what it could not resolve', () => {
    const [f] = mutableImageRef.check(dockerfileSubject(dockerfile(stage('${BASE}:1'))));
    expect(f!.message).toContain('could not resolve');
    expect(f!.message).toContain('ARG');
    const [c] = mutableImageRef.check(composeSubject(service({image: image('${IMAGE}', 4)})));
    expect(c!.message).toMatch(/could not resolve.*variable always holds/);
  });

  it('suggests a version for an untagged image', () => {
    const [f] = mutableImageRef.check(composeSubject(service({image: image('nginx', 4), user: located('1', 5)})));
    expect(f!.message).toContain('nginx:<version>@sha256:<digest>');
  });
});
