import {describe, expect, it} from 'vitest';
import type {Subject} from '../../../source/core/model/facts.js';
import {collectWriteHints, mergeHints} from '../../../source/core/rules/effective.js';
import {writablePathUnmounted} from '../../../source/core/rules/writable-path-unmounted.js';
import {composeSubject, container, dockerfile, dockerfileSubject, hint, image, k8sSubject, located, mount, service, stage} from '../../support/facts.js';

const paths = (subject: Subject) => writablePathUnmounted.check(subject).map(f => f.path);
const withVolume = (path: string, extra: Parameters<typeof stage>[1] = {}) =>
  dockerfile(stage('debian:12', {volumes: [located(path, 6)], ...extra}));
const build = {build: {dockerfile: 'Dockerfile', context: '.', line: 4}};

describe('writable-path-unmounted: coverage', () => {
  const cases: Array<{name: string; subject: Subject; expected: string[]}> = [
    {name: 'image VOLUME unmounted in compose', subject: composeSubject(service(build), withVolume('/data')), expected: ['/data']},
    {name: 'covered by a named volume', subject: composeSubject(service({...build, mounts: [mount('/data', 'volume')]}), withVolume('/data')), expected: []},
    {name: 'read-only mount does not cover', subject: composeSubject(service({...build, mounts: [mount('/data', 'bind', true)]}), withVolume('/data')), expected: ['/data']},
    {name: 'parent mount covers a child path', subject: composeSubject(service({...build, mounts: [mount('/var/lib', 'volume')]}), withVolume('/var/lib/app')), expected: []},
    {name: 'child mount does not cover the parent', subject: composeSubject(service({...build, mounts: [mount('/var/lib/app/x')]}), withVolume('/var/lib/app')), expected: ['/var/lib/app']},
    {name: '/run covers /var/run/...', subject: k8sSubject(container({mounts: [mount('/run', 'emptyDir')], image: image('postgres:16')})), expected: ['/tmp', '/var/lib/postgresql/data']},
    {name: '/var/run covers /run/...', subject: composeSubject(service({image: image('mysql:8.4'), mounts: [mount('/var/run'), mount('/tmp'), mount('/var/lib/mysql', 'volume')]})), expected: []},
    {name: 'dockerfile subjects: none', subject: dockerfileSubject(withVolume('/data')), expected: []},
    {name: 'no hints: none', subject: composeSubject(service({image: image('example/app:1')})), expected: []},
  ];
  it.each(cases)('$name', ({subject, expected}) => {
    expect(paths(subject)).toEqual(expected);
  });
});

describe('writable-path-unmounted: hints', () => {
  it('walks FROM <stage> for VOLUMEs and hints, and uses the chain base for the table', () => {
    const facts = dockerfile(
      stage('nginx:1.27', {line: 1, volumes: [located('/srv/data', 2)], writeHints: [hint('/var/log/app', {line: 3})]}),
      stage('golang:1.22', {line: 5}),
      stage({stage: 0}, {line: 8}),
    );
    expect(collectWriteHints(composeSubject(service(build), facts)).map(h => h.path).sort())
      .toEqual(['/srv/data', '/var/cache/nginx', '/var/log/app', '/var/run']);
  });

  it('ignores VOLUMEs of stages the final one does not build on', () => {
    const facts = dockerfile(stage('debian:12', {volumes: [located('/data', 2)]}), stage('debian:12', {line: 5}));
    expect(paths(composeSubject(service(build), facts))).toEqual([]);
  });

  it('uses the service image only without a dockerfile or build', () => {
    expect(paths(composeSubject(service({image: image('redis:7')})))).toEqual(['/data']);
    expect(paths(composeSubject(service({...build, image: image('redis:7')})))).toEqual([]);
  });

  it('merges hints on the same canonical path and keeps the evidence of both', () => {
    const facts = withVolume('/var/run/postgresql', {writeHints: [hint('/run/postgresql/')]});
    const hints = collectWriteHints(k8sSubject(container(), facts));
    expect(hints).toHaveLength(1);
    expect(hints[0]!.evidence).toContain('VOLUME /var/run/postgresql');
    expect(hints[0]!.evidence).toContain('ENV X=/run/postgresql/');
  });

  it('a volume wins over tmpfs on merge', () => {
    const [merged] = mergeHints([hint('/data', {mount: 'tmpfs'}), hint('/data/', {mount: 'volume', evidence: 'other'})]);
    expect(merged).toMatchObject({path: '/data', mount: 'volume'});
  });

  it('collapses a child into its parent, but keeps a volume under a tmpfs parent', () => {
    const merged = mergeHints([
      hint('/tmp'),
      hint('/tmp/cache', {evidence: 'cache'}),
      hint('/tmp/db', {mount: 'volume', evidence: 'db'}),
      hint('/var/lib/grafana', {mount: 'volume'}),
      hint('/var/lib/grafana/plugins', {evidence: 'plugins'}),
    ]);
    expect(merged.map(h => h.path)).toEqual(['/tmp', '/tmp/db', '/var/lib/grafana']);
    expect(merged[0]!.evidence).toContain('/tmp/cache: cache');
  });

  it('never suggests a mount on forbidden paths', () => {
    expect(mergeHints([hint('/proc/x'), hint('/'), hint('/dev/shm')]).map(h => h.path)).toEqual(['/dev/shm']);
  });

  it('resolves ~/.npm from the user, only when the command runs npm', () => {
    const facts = (user?: string) => dockerfile(stage('node:20', {command: [located('["npm", "start"]', 9)], ...(user ? {user: located(user, 8)} : {})}));
    const sub = (user?: string) => composeSubject(service(build), facts(user));
    expect(paths(sub())).toEqual(['/tmp', '/root/.npm']);
    expect(paths(sub('node'))).toEqual(['/tmp', '/home/node/.npm']);
    expect(paths(sub('10001'))).toEqual(['/tmp']);
    expect(paths(composeSubject(service({...build, command: located('node server.js', 7)}), facts('node')))).toEqual(['/tmp']);
  });
});

describe('writable-path-unmounted: messages', () => {
  it('compose: anonymous volume wording, named volume fix', () => {
    const [f] = writablePathUnmounted.check(composeSubject(service({...build, name: 'db'}), withVolume('/var/lib/db')));
    expect(f).toMatchObject({rule: 'writable-path-unmounted', severity: 'medium', line: 3, path: '/var/lib/db', fixable: true});
    expect(f!.message).toMatch(/anonymous volume.*; mount a named volume there \(volumes: \["db-db:\/var\/lib\/db"\]\)/);
  });

  it('kubernetes: ignored VOLUME wording, PVC fix', () => {
    const [f] = writablePathUnmounted.check(k8sSubject(container(), withVolume('/data')));
    expect(f!.message).toMatch(/Kubernetes ignores the image's VOLUME \/data.*PersistentVolumeClaim/);
  });

  it('compose tmpfs fix carries mode and exec from the table', () => {
    const ruby = writablePathUnmounted.check(composeSubject(service({image: image('ruby:3.3')})));
    expect(ruby[0]!.message).toContain('tmpfs: ["/tmp:mode=1777"]');
    const java = writablePathUnmounted.check(composeSubject(service({image: image('eclipse-temurin:21-jre')})));
    expect(java[0]!.message).toContain('"/tmp:exec"');
  });

  it('kubernetes tmpfs fix is an emptyDir, with the sticky-bit caveat', () => {
    const [f] = writablePathUnmounted.check(k8sSubject(container({image: image('ruby:3.3')})));
    expect(f!.message).toMatch(/emptyDir.*no sticky bit/);
  });

  it('volume names are DNS labels', () => {
    const [npm] = writablePathUnmounted.check(k8sSubject(container({name: 'Web_App', image: image('node:20'), command: located('npm start', 12)}))).filter(x => x.path === '/root/.npm');
    expect(npm!.message).toContain('name: web-app-npm,');
  });

  it('names a read-only mount that is in the way', () => {
    const [f] = writablePathUnmounted.check(composeSubject(service({image: image('redis:7'), mounts: [mount('/data', 'bind', true)]})));
    expect(f!.message).toContain('the mount at /data is read-only');
  });
});
