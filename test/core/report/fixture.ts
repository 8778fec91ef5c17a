import type {AuditReport} from '../../../source/core/model/finding.js';
import type {Rule} from '../../../source/core/rules/rule.js';

/*
 * One realistic audit: a Dockerfile, two compose services in a directory with a space,
 * a Kubernetes container in a file with a `|`, findings of every severity (all with a
 * detail but tmpfs-size, whose message stands alone), and one file that could not be parsed.
 */

const compose = 'deploy/my app/compose.yaml';
const k8s = 'k8s/api|v2.yaml';

export const report: AuditReport = {
  tool: {name: 'harden-wizard', version: '1.2.3'},
  targets: [
    {id: `k8s-container:${k8s}#api`, kind: 'k8s-container', file: k8s, name: 'api', line: 18},
    {id: `compose-service:${compose}#web`, kind: 'compose-service', file: compose, name: 'web', line: 3},
    {id: `compose-service:${compose}#db`, kind: 'compose-service', file: compose, name: 'db', line: 14},
    {id: 'dockerfile:Dockerfile#Dockerfile', kind: 'dockerfile', file: 'Dockerfile', name: 'Dockerfile', line: 1},
  ],
  findings: [
    {
      rule: 'read-only-rootfs',
      severity: 'high',
      target: `compose-service:${compose}#web`,
      file: compose,
      line: 3,
      message:
        'The root filesystem is writable, so an attacker who gets in can replace binaries and keep them. Set read_only: true.',
      fixable: true,
      detail: '',
    },
    {
      rule: 'writable-path',
      severity: 'medium',
      target: `compose-service:${compose}#web`,
      file: compose,
      line: 3,
      message: 'nginx writes to /var/cache/nginx; with a read-only root it needs a tmpfs mount there.',
      fixable: true,
      path: '/var/cache/nginx',
      detail: '/var/cache/nginx: tmpfs (nginx writes its cache there)',
    },
    {
      rule: 'latest-tag',
      severity: 'low',
      target: 'dockerfile:Dockerfile#Dockerfile',
      file: 'Dockerfile',
      line: 1,
      message: 'The base image `node:latest` can change under you. Pin a version and a digest.',
      fixable: false,
      detail: 'FROM node:latest',
    },
    {
      rule: 'run-as-root',
      severity: 'medium',
      target: 'dockerfile:Dockerfile#Dockerfile',
      file: 'Dockerfile',
      line: 12,
      message: 'The image runs as root. Add USER with a numeric id.',
      fixable: true,
      detail: 'USER root',
    },
    {
      rule: 'read-only-rootfs',
      severity: 'high',
      target: `k8s-container:${k8s}#api`,
      file: k8s,
      line: 24,
      message: 'readOnlyRootFilesystem is false. Set it to true in the securityContext.',
      fixable: true,
      detail: 'readOnlyRootFilesystem: false',
    },
    {
      rule: 'tmpfs-size',
      severity: 'info',
      target: `k8s-container:${k8s}#api`,
      file: k8s,
      line: 30,
      message: 'The emptyDir at /tmp has no sizeLimit.',
      fixable: false,
      path: '/tmp',
    },
  ],
  errors: [{file: 'k8s/broken.yaml', line: 7, message: 'Could not parse YAML: bad indentation of a mapping entry.'}],
};

/** A report with nothing in it. */
export const emptyReport: AuditReport = {tool: {name: 'harden-wizard', version: '1.2.3'}, targets: [], findings: [], errors: []};

const never = (): never[] => [];

/** Fake rules: metadata only, their checks are never run here. */
export const rules: readonly Rule[] = [
  {
    id: 'read-only-rootfs',
    severity: 'high',
    title: 'Root filesystem is writable',
    why: 'A writable root lets an attacker change binaries and configuration at run time (OWASP Docker Top 10 D09).',
    fix: 'Run with a read-only root filesystem and mount only the paths the app writes.',
    fixable: true,
    check: never,
  },
  {
    id: 'writable-path',
    severity: 'medium',
    title: 'Path needs a writable mount',
    why: 'With a read-only root, the app fails where it writes unless that path has its own mount.',
    fix: 'Add a tmpfs for scratch data or a volume for data that must survive a restart.',
    fixable: true,
    check: never,
  },
  {
    id: 'run-as-root',
    severity: 'medium',
    title: 'Runs as root',
    why: 'Root in the container can write wherever a mount allows and makes an escape worse.',
    fix: 'Add `USER 10001` (a numeric id) after the last step that needs root.',
    fixable: true,
    check: never,
  },
  {
    id: 'latest-tag',
    severity: 'low',
    title: 'Base image is not pinned',
    why: 'A moving tag means the image you tested is not the one you run.',
    fix: 'Pin the tag and the digest: `FROM node:20.11@sha256:...`.',
    fixable: false,
    check: never,
  },
  {
    id: 'tmpfs-size',
    severity: 'info',
    title: 'Scratch mount has no size limit',
    why: 'An unbounded tmpfs or emptyDir lets one container fill the node memory or disk.',
    fix: 'Set a size (tmpfs) or sizeLimit (emptyDir).',
    fixable: true,
    check: never,
  },
  {
    id: 'no-new-privileges',
    severity: 'medium',
    title: 'Privilege escalation allowed',
    why: 'setuid binaries can gain privileges the container was not started with.',
    fix: 'Set no-new-privileges (compose) or allowPrivilegeEscalation: false (Kubernetes).',
    fixable: true,
    check: never,
  },
];
