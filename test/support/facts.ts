import type {
  ComposeService,
  DockerfileFacts,
  ImageRef,
  K8sContainer,
  MountFact,
  Stage,
  Subject,
  WriteHint,
} from '../../source/core/model/facts.js';
import type {Target} from '../../source/core/model/finding.js';
import {parseImageRef} from '../../source/core/parse/image-ref.js';

/*
 * Small builders for rule tests: every field a parser would fill gets a neutral
 * default, so a test spells out only what it is about.
 */

export function image(raw: string, line = 1): ImageRef {
  return parseImageRef(raw, line);
}

export function located<T>(value: T, line: number): {value: T; line: number} {
  return {value, line};
}

/** A stage FROM `from` (an image, `scratch`, or `{stage: n}` for an earlier stage). */
export function stage(from: string | {stage: number}, fields: Partial<Omit<Stage, 'from' | 'fromStage'>> = {}): Stage {
  const line = fields.line ?? 1;
  const result: Stage = {index: 0, line, from: null, volumes: [], runs: [], env: [], command: [], copies: [], writeHints: [], ...fields};
  if (typeof from === 'object') result.fromStage = from.stage;
  else if (from !== 'scratch') result.from = image(from, line);
  return result;
}

export function dockerfile(...stages: Stage[]): DockerfileFacts {
  return {file: 'Dockerfile', stages: stages.map((s, index) => ({...s, index}))};
}

export function hint(path: string, fields: Partial<WriteHint> = {}): WriteHint {
  return {path, evidence: `ENV X=${path} (Dockerfile line 2)`, source: 'dockerfile', mount: 'tmpfs', line: 2, ...fields};
}

export function mount(target: string, kind: MountFact['kind'] = 'tmpfs', readOnly = false, line = 20): MountFact {
  return {target, kind, readOnly, line};
}

function target(kind: Target['kind'], file: string, name: string, line: number): Target {
  return {id: `${kind}:${file}#${name}`, kind, file, name, line};
}

export function dockerfileSubject(facts: DockerfileFacts): Subject {
  return {kind: 'dockerfile', target: target('dockerfile', facts.file, facts.file, 1), dockerfile: facts};
}

export function service(fields: Partial<ComposeService> = {}): ComposeService {
  return {name: 'app', line: 3, securityOpt: [], capDrop: [], mounts: [], ...fields};
}

/** A compose service; hardened: read_only, no-new-privileges, non-root user, every capability dropped. */
export function hardenedService(fields: Partial<ComposeService> = {}): ComposeService {
  return service({
    readOnly: located(true, 4),
    user: located('10001:10001', 5),
    securityOpt: [located('no-new-privileges:true', 6)],
    capDrop: [located('ALL', 7)],
    ...fields,
  });
}

export function composeSubject(svc: ComposeService, facts?: DockerfileFacts): Subject {
  const subject: Subject = {kind: 'compose-service', target: target('compose-service', 'compose.yaml', svc.name, svc.line), service: svc};
  if (facts) subject.dockerfile = facts;
  return subject;
}

export function container(fields: Partial<K8sContainer> = {}): K8sContainer {
  return {
    name: 'app',
    line: 10,
    init: false,
    workload: {kind: 'Deployment', name: 'web', line: 1, document: 0},
    security: {},
    podSecurity: {},
    mounts: [],
    pod: {line: 5},
    first: true,
    ...fields,
  };
}

/** A Kubernetes container; hardened: read-only root, non-root uid, no escalation, no capabilities, RuntimeDefault seccomp, no token. */
export function hardenedContainer(fields: Partial<K8sContainer> = {}): K8sContainer {
  return container({
    security: {
      readOnlyRootFilesystem: located(true, 12),
      allowPrivilegeEscalation: located(false, 13),
      runAsNonRoot: located(true, 14),
      runAsUser: located(10001, 15),
      capDrop: [located('ALL', 16)],
      seccomp: located('RuntimeDefault', 17),
    },
    pod: {line: 5, automountServiceAccountToken: located(false, 6)},
    ...fields,
  });
}

export function k8sSubject(c: K8sContainer, facts?: DockerfileFacts): Subject {
  const subject: Subject = {kind: 'k8s-container', target: target('k8s-container', 'deploy.yaml', c.name, c.line), container: c};
  if (facts) subject.dockerfile = facts;
  return subject;
}
