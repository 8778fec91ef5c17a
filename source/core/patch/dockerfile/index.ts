/*
 * Dockerfile patches: split a single-stage build into builder + runtime stages, or add
 * a non-root USER to a multi-stage one. Both return the new text or a reason, and never
 * a text that did not parse back as promised.
 */
export {rewriteMultiStage, type RewriteOptions, type RewriteResult} from './rewrite.js';
export {rewriteCandidates, type RewriteCandidate} from './candidates.js';
export {addUser, type AddUserResult} from './add-user.js';
export {loadRuntimeBases, runtimeBases, type RuntimeBases, type RuntimeUser, type Family, type Language} from '../../knowledge/runtime-bases.js';
export {chooseRuntime, describeRuntime, type RuntimeChoice, type RuntimeInfo} from '../../knowledge/runtime-choice.js';
