import {describe, expect, it} from 'vitest';
import {analyzeFiles} from '../../../source/core/audit.js';
import type {ComposeService, K8sContainer, Subject} from '../../../source/core/model/facts.js';
import {parseCompose} from '../../../source/core/parse/compose.js';
import {parseKubernetes} from '../../../source/core/parse/kubernetes.js';
import {decodeText} from '../../../source/core/parse/text.js';

/*
 * The facts the rules about host access read: capabilities, host namespaces, host mounts
 * with their source, ports, seccomp, the service-account token and what the Pod Security
 * Standards' baseline forbids.
 */

const composeText = [
  'services:', // 1
  '  runner:', // 2
  '    image: gitlab/gitlab-runner:v17.0.0', // 3
  '    cap_add: [SYS_ADMIN, NET_ADMIN]', // 4
  '    pid: host', // 5
  '    ipc: host', // 6
  '    network_mode: host', // 7
  '    ports: ["8080:80", "127.0.0.1:4430:443/tcp", {target: 9000, published: 9000}, "8000-8010:8000-8010"]', // 8
  '    expose: ["3000"]', // 9
  '    volumes:', // 10
  '      - /var/run/docker.sock:/var/run/docker.sock', // 11
  '      - type: bind', // 12
  '        source: /run/containerd/containerd.sock', // 13
  '        target: /run/containerd/containerd.sock', // 14
  '    security_opt: ["seccomp=unconfined"]', // 15
  '',
].join('\n');

function compose(text: string): ComposeService {
  const parsed = parseCompose('compose.yaml', text);
  expect(parsed.errors).toEqual([]);
  return parsed.facts!.services[0]!;
}

function k8s(text: string): K8sContainer[] {
  const parsed = parseKubernetes('k8s.yaml', text);
  expect(parsed.errors).toEqual([]);
  return parsed.facts!.containers;
}

describe('parseCompose: host access', () => {
  it('reads cap_add, pid, ipc, network_mode, container ports and bind sources, with lines', () => {
    const service = compose(composeText);
    expect(service.capAdd).toEqual([{value: 'SYS_ADMIN', line: 4}, {value: 'NET_ADMIN', line: 4}]);
    expect([service.pid, service.ipc, service.networkMode]).toEqual([{value: 'host', line: 5}, {value: 'host', line: 6}, {value: 'host', line: 7}]);
    expect(service.ports!.map(p => p.value)).toEqual([80, 443, 9000, 8000, 3000]);
    expect(service.mounts.map(m => [m.target, m.kind, m.source, m.line])).toEqual([
      ['/var/run/docker.sock', 'bind', '/var/run/docker.sock', 11],
      ['/run/containerd/containerd.sock', 'bind', '/run/containerd/containerd.sock', 12],
    ]);
  });

  it('leaves them out when not written, and ignores ports that are not ports', () => {
    const service = compose('services:\n  a:\n    image: x\n    ports: ["http", {published: 80}, 0]\n    cap_add: []\n');
    expect(service).toEqual({name: 'a', line: 2, securityOpt: [], capDrop: [], mounts: [], image: {raw: 'x', repository: 'x', unresolved: false, line: 3}});
  });

  it('inherits pid and network_mode along extends and merges cap_add', () => {
    const [, web] = parseCompose('compose.yaml', 'services:\n  base:\n    network_mode: host\n    cap_add: [NET_ADMIN]\n  web:\n    extends: base\n    cap_add: [SYS_PTRACE]\n').facts!.services;
    expect(web!.networkMode).toEqual({value: 'host', line: 3});
    expect(web!.capAdd!.map(c => c.value)).toEqual(['SYS_PTRACE', 'NET_ADMIN']);
  });

  it('takes cap_add and network_mode from the compose override', () => {
    const {subjects} = analyzeFiles([
      {file: 'compose.yaml', type: 'compose', text: 'services:\n  web:\n    image: x\n    cap_add: [CHOWN]\n'},
      {file: 'compose.override.yaml', type: 'compose', text: 'services:\n  web:\n    network_mode: host\n    cap_add: [NET_ADMIN]\n'},
    ], {version: 'test'});
    const web = subjects.find((s): s is Extract<Subject, {kind: 'compose-service'}> => s.kind === 'compose-service')!.service;
    expect(web.networkMode).toEqual({value: 'host', line: 3, file: 'compose.override.yaml'});
    expect(web.capAdd).toEqual([{value: 'CHOWN', line: 4}, {value: 'NET_ADMIN', line: 4, file: 'compose.override.yaml'}]);
  });

  it('gives the same facts for CRLF and a BOM', () => {
    const expected = parseCompose('compose.yaml', composeText);
    expect(parseCompose('compose.yaml', composeText.replaceAll('\n', '\r\n'))).toEqual(expected);
    const decoded = decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(composeText)]));
    expect(parseCompose('compose.yaml', decoded.ok ? decoded.text : '')).toEqual(expected);
  });
});

const agent = [
  'apiVersion: apps/v1', // 1
  'kind: DaemonSet', // 2
  'metadata: {name: agent}', // 3
  'spec:', // 4
  '  template:', // 5
  '    spec:', // 6
  '      hostPID: true', // 7
  '      hostNetwork: true', // 8
  '      hostIPC: false', // 9
  '      automountServiceAccountToken: true', // 10
  '      securityContext:', // 11
  '        seccompProfile: {type: Unconfined}', // 12
  '        sysctls: [{name: kernel.msgmax, value: "1"}, {name: net.ipv4.tcp_syncookies, value: "1"}]', // 13
  '      containers:', // 14
  '        - name: agent', // 15
  '          image: prom/node-exporter:v1.8.0', // 16
  '          ports: [{containerPort: 9100, hostPort: 9100}, {containerPort: 80}]', // 17
  '          securityContext:', // 18
  '            capabilities: {add: [SYS_PTRACE], drop: [ALL]}', // 19
  '            seccompProfile: {type: RuntimeDefault}', // 20
  '            procMount: Unmasked', // 21
  '            appArmorProfile: {type: Unconfined}', // 22
  '          volumeMounts:', // 23
  '            - {name: proc, mountPath: /host/proc, readOnly: true}', // 24
  '        - name: sidecar', // 25
  '          image: busybox:1.36', // 26
  '      volumes:', // 27
  '        - name: proc', // 28
  '          hostPath: {path: /proc}', // 29
  '',
].join('\n');

describe('parseKubernetes: host access', () => {
  it('reads pod settings once for all containers, capabilities, seccomp, ports and baseline breaks', () => {
    const [first, second] = k8s(agent);
    expect(first!.pod).toBe(second!.pod);
    expect(first!.pod).toEqual({
      line: 7,
      hostPID: {value: true, line: 7},
      hostNetwork: {value: true, line: 8},
      hostIPC: {value: false, line: 9},
      automountServiceAccountToken: {value: true, line: 10},
      seccomp: {value: 'Unconfined', line: 12},
      breaks: [{value: 'sysctls: kernel.msgmax', line: 13}],
      volumeTypes: [{value: 'hostPath', line: 28}],
      volumeNames: ['proc'],
    });
    expect([first!.first, second!.first]).toEqual([true, undefined]);
    expect(first!.ports).toEqual([{port: 9100, hostPort: 9100, line: 17}, {port: 80, line: 17}]);
    expect(first!.security).toEqual({
      capAdd: [{value: 'SYS_PTRACE', line: 19}],
      capDrop: [{value: 'ALL', line: 19}],
      seccomp: {value: 'RuntimeDefault', line: 20},
      breaks: [{value: 'procMount: Unmasked', line: 21}, {value: 'appArmorProfile.type: Unconfined', line: 22}],
    });
    expect(first!.mounts).toEqual([{target: '/host/proc', kind: 'bind', readOnly: true, line: 24, source: '/proc'}]);
  });

  it('an init container is never the first; wrong types are left out, not guessed', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: "yes"\n  initContainers: [{name: i}]\n  containers:\n    - name: a\n      ports: [{containerPort: http}]\n      securityContext: {capabilities: ALL, seccompProfile: RuntimeDefault}\n';
    const [init, a] = k8s(text);
    expect([init!.first, a!.first]).toEqual([undefined, true]);
    expect(a!.pod).toEqual({line: 5});
    expect(a!.security).toEqual({});
    expect(a!.ports).toBeUndefined();
  });

  it('gives the same facts for CRLF', () => {
    expect(parseKubernetes('k8s.yaml', agent.replaceAll('\n', '\r\n'))).toEqual(parseKubernetes('k8s.yaml', agent));
  });

  it('reads 5,000 pods with host settings in linear time', () => {
    const docs = Array.from({length: 5000}, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec:\n  hostNetwork: true\n  containers: [{name: a, securityContext: {capabilities: {add: [NET_ADMIN]}}}]\n`);
    const started = performance.now();
    const containers = k8s(docs.join('---\n'));
    expect(containers).toHaveLength(5000);
    expect(containers[4999]!.pod.hostNetwork?.value).toBe(true);
    expect(performance.now() - started).toBeLessThan(15000);
  });
});
