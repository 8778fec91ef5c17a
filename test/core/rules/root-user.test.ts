import {describe, expect, it} from 'vitest';
import type {K8sSecurity, Subject} from '../../../source/core/model/facts.js';
import {rootUser} from '../../../source/core/rules/root-user.js';
import {composeSubject, container, dockerfile, dockerfileSubject, image, k8sSubject, located, service, stage} from '../../support/facts.js';

const df = (user?: string, from = 'debian:12') => dockerfile(stage(from, {line: 1, ...(user === undefined ? {} : {user: located(user, 4)})}));

type Case = {name: string; subject: Subject; line?: number; severity?: string; says?: RegExp};

function expectCase({subject, line, severity, says}: Case): void {
  const findings = rootUser.check(subject);
  expect(findings.map(f => f.line)).toEqual(line === undefined ? [] : [line]);
  if (line === undefined) return;
  expect(findings[0]!.severity).toBe(severity ?? 'medium');
  if (says) expect(findings[0]!.message).toMatch(says);
}

describe('root-user: dockerfile', () => {
  const cases: Case[] = [
    {name: 'no USER points at the final FROM', subject: dockerfileSubject(df()), line: 1, says: /no USER, so the container runs as root, the default user of debian:12/},
    {name: 'USER root', subject: dockerfileSubject(df('root')), line: 4},
    {name: 'USER 0', subject: dockerfileSubject(df('0')), line: 4},
    {name: 'USER 0:0', subject: dockerfileSubject(df('0:0')), line: 4},
    {name: 'USER root:root', subject: dockerfileSubject(df('root:root')), line: 4},
    {name: 'USER app', subject: dockerfileSubject(df('app'))},
    {name: 'USER 10001:0 (group 0 is fine)', subject: dockerfileSubject(df('10001:0'))},
    {name: 'USER $APP_UID is unknown: no guess', subject: dockerfileSubject(df('$APP_UID'))},
    {name: 'unknown base without USER says so', subject: dockerfileSubject(df(undefined, 'example.com/base:1')), line: 1, says: /root for most images \(harden does not know/},
    {name: 'base image with a non-root default', subject: dockerfileSubject(df(undefined, 'grafana/grafana:11.2.0'))},
    {name: 'scratch without USER', subject: dockerfileSubject(dockerfile(stage('scratch', {line: 2}))), line: 2, says: /scratch/},
    {
      name: 'USER inherited through FROM <stage>',
      subject: dockerfileSubject(dockerfile(stage('node:20', {line: 1, user: located('node', 3)}), stage({stage: 0}, {line: 5}))),
    },
    {
      name: 'USER root in the parent stage is reported at its line',
      subject: dockerfileSubject(dockerfile(stage('node:20', {line: 1, user: located('root', 3)}), stage({stage: 0}, {line: 5}))),
      line: 3,
    },
    {
      name: 'a builder stage USER does not count',
      subject: dockerfileSubject(dockerfile(stage('node:20', {line: 1, user: located('node', 3)}), stage('node:20-slim', {line: 5}))),
      line: 5,
    },
  ];
  it.each(cases)('$name', expectCase);
});

describe('root-user: compose', () => {
  const build = {build: {dockerfile: 'Dockerfile', context: '.', line: 4}};
  const cases: Case[] = [
    {name: 'dockerfile USER root, no user:', subject: composeSubject(service(build), df('root')), line: 3, says: /USER root/},
    {name: 'dockerfile without USER', subject: composeSubject(service(build), df()), line: 3},
    {name: 'dockerfile USER app', subject: composeSubject(service(build), df('app'))},
    {name: 'user: overrides a root image', subject: composeSubject(service({...build, user: located('1000:1000', 6)}), df('root'))},
    {name: 'user: "0" points at it', subject: composeSubject(service({user: located('0', 6), image: image('redis:7')})), line: 6},
    {name: 'known root image', subject: composeSubject(service({image: image('postgres:16')})), line: 3, says: /runs as root because the image postgres:16 runs as root/},
    {name: 'known non-root image', subject: composeSubject(service({image: image('nginxinc/nginx-unprivileged:1.27')}))},
    {name: 'unknown image notes the doubt', subject: composeSubject(service({image: image('example/app:1')})), line: 3, says: /may run as root.*does not know.*docker image inspect/},
    {name: 'build without facts is unknown', subject: composeSubject(service({...build, image: image('nginxinc/nginx-unprivileged')})), line: 3, says: /may run as root/},
  ];
  it.each(cases)('$name', expectCase);
});

describe('root-user: kubernetes', () => {
  const sec = (security: K8sSecurity, pod: Pick<K8sSecurity, 'runAsNonRoot' | 'runAsUser'> = {}, img = 'example/app:1') =>
    container({security, podSecurity: pod, image: image(img, 11)});
  const cases: Case[] = [
    {name: 'nothing set', subject: k8sSubject(sec({})), line: 10, says: /runAsNonRoot: true and runAsUser/},
    {name: 'container runAsNonRoot with a numeric image USER', subject: k8sSubject(sec({runAsNonRoot: located(true, 14)}), df('10001'))},
    {name: 'pod runAsNonRoot with a numeric image USER', subject: k8sSubject(sec({}, {runAsNonRoot: located(true, 5)}), df('10001'))},
    {name: 'container runAsUser > 0', subject: k8sSubject(sec({runAsUser: located(1000, 15)}))},
    {name: 'pod runAsUser > 0', subject: k8sSubject(sec({}, {runAsUser: located(1000, 6)}))},
    {
      name: 'container runAsUser: 0 beats pod runAsNonRoot',
      subject: k8sSubject(sec({runAsUser: located(0, 15)}, {runAsNonRoot: located(true, 5)})),
      line: 15,
      says: /container setting wins/,
    },
    {name: 'container runAsNonRoot: false beats pod true', subject: k8sSubject(sec({runAsNonRoot: located(false, 14)}, {runAsNonRoot: located(true, 5)})), line: 14},
    {name: 'container runAsUser beats pod runAsUser: 0', subject: k8sSubject(sec({runAsUser: located(1000, 15)}, {runAsUser: located(0, 6)}))},
    {name: 'pod runAsUser: 0', subject: k8sSubject(sec({}, {runAsUser: located(0, 6)})), line: 6, says: /pod level/},
    // Non-root by the image only: low, so the fix makes the kubelet enforce it (issue 15).
    {name: 'no settings but a numeric non-root USER', subject: k8sSubject(sec({}), df('10001:10001')), line: 10, severity: 'low', says: /runs as uid 10001 only because the Dockerfile's USER 10001:10001; .*runAsNonRoot: true and runAsUser: 10001/},
    {name: 'no settings and a named USER', subject: k8sSubject(sec({}), df('node')), line: 10, says: /cannot verify/},
    {name: 'no settings, image known to run as uid 472', subject: k8sSubject(sec({}, {}, 'grafana/grafana:11.2.0')), line: 10, severity: 'low', says: /runs as uid 472 only because the image grafana\/grafana:11.2.0 runs as 472/},
    {name: 'no settings, known root image', subject: k8sSubject(sec({}, {}, 'nginx:1.27')), line: 10, says: /nginx:1.27 runs as root/},
    {
      name: 'runAsNonRoot with a named USER: the kubelet refuses it',
      subject: k8sSubject(sec({runAsNonRoot: located(true, 14)}), df('node')),
      line: 14,
      severity: 'low',
      says: /refuses to start.*uid of "node"/,
    },
    {name: 'runAsNonRoot on an unknown image', subject: k8sSubject(sec({runAsNonRoot: located(true, 14)}))},
  ];
  it.each(cases)('$name', expectCase);
});
