/*
 * Dockerfile patches: split a single-stage build into builder + runtime stages, or add
 * a non-root USER to a multi-stage one. Both return the new text or a reason, and never
 * a text that did not parse back as promised.
 */
export {rewriteCandidates, rewriteMultiStage, type CandidatesResult, type RewriteCandidate, type RewriteOptions, type RewriteResult} from './rewrite.js';
export {rewriteLevels, type RewriteLevel} from './artifacts.js';
export {addUser, type AddUserResult} from './add-user.js';
export {loadRuntimeBases, runtimeBases, type RuntimeBases, type RuntimeUser, type Family, type Language} from '../../knowledge/runtime-bases.js';
export {chooseRuntime, describeRuntime, type RuntimeChoice, type RuntimeInfo} from '../../knowledge/runtime-choice.js';
