import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {capAdd} from './cap-add.js';
import {capDrop} from './cap-drop.js';
import {dockerSocket} from './docker-socket.js';
import {hostMountWritable} from './host-mount-writable.js';
import {hostNamespace} from './host-namespace.js';
import {hostPort} from './host-port.js';
import {seccomp} from './seccomp.js';
import {serviceAccountToken} from './service-account-token.js';
import {contentTrust} from './host-content-trust.js';
import {daemonDataRoot} from './host-data-root.js';
import {daemonLiveRestore} from './host-live-restore.js';
import {daemonNoNewPrivileges} from './host-no-new-privileges.js';
import {hostRootfsWritable} from './host-rootfs-writable.js';
import {daemonUserns} from './host-userns.js';
import {mutableImageRef} from './mutable-image-ref.js';
import {unsignedImagePolicyRule} from './unsigned-image-policy.js';
import {privilegeEscalation} from './privilege-escalation.js';
import {privileged} from './privileged.js';
import {readOnlyRootfs} from './read-only-rootfs.js';
import {rootUser} from './root-user.js';
import type {Rule} from './rule.js';
import {singleStageBuild} from './single-stage-build.js';
import {writablePathUnmounted} from './writable-path-unmounted.js';

/** Every rule, most important first: reports list findings in this order within a target. */
export const allRules: readonly Rule[] = [
  privileged,
  dockerSocket,
  hostNamespace,
  capAdd,
  readOnlyRootfs,
  writablePathUnmounted,
  rootUser,
  singleStageBuild,
  privilegeEscalation,
  capDrop,
  seccomp,
  hostMountWritable,
  hostPort,
  serviceAccountToken,
  mutableImageRef,
  unsignedImagePolicyRule,
  daemonNoNewPrivileges,
  daemonUserns,
  daemonDataRoot,
  hostRootfsWritable,
  daemonLiveRestore,
  contentTrust,
];

/** Runs the rules on one subject; findings in rule order, then by line. */
export function runRules(subject: Subject, rules: readonly Rule[] = allRules): Finding[] {
  return rules.flatMap(rule => rule.check(subject).sort((a, b) => a.line - b.line));
}
