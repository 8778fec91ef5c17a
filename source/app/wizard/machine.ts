import {acceptedPlan, dockerfileTargets, pathTargets, runnableTargets, wantsProof} from './choices.js';
import {extrasNext, toExtras as extrasOf, toHost as hostOf} from './beyond.js';
import {stepAction} from './steps.js';
import type {DockerfileState, FindingsState, PathsState, ReviewState, Session, SummaryState, TargetsState, VerifyingState, WizardAction, WizardState, WritingState} from './state.js';

export type * from './state.js';

/*
 * The wizard as a pure reducer over a discriminated union of steps (STYLE.md). An
 * action that does not apply to the current step returns the same state object, so
 * a stray key is a no-op and tests can assert it by identity. The side effect of each
 * step (scan, plan, apply, verify, discover, save) runs in use-wizard.ts.
 */

/** The wizard before anything happened: scanning `dir`. */
export function initialState(dir: string): WizardState {
  return {step: 'scanning', dir, progress: {files: 0, targets: 0, containers: 0}, seq: 0};
}

export function reduce(state: WizardState, action: WizardAction): WizardState {
  if (state.exit !== undefined) return state;
  switch (action.type) {
    case 'quit':
      // Nothing is left to lose on the summary: leaving it is finishing.
      return {...state, exit: state.step === 'summary' ? 0 : 130};
    case 'finish':
      if (state.step === 'summary') return {...state, exit: 0};
      if (state.step === 'failed') return {...state, exit: 1};
      return state;
    case 'failed':
      return fail(state, action.message);
    case 'next':
      return next(state);
    case 'back':
      return back(state);
    default:
      return stepAction(state, action);
  }
}

/** The session part of a state, without the fields of its step. */
export function sessionOf(s: Session): Session {
  const out: Session = {seq: s.seq, scan: s.scan, choices: s.choices, applied: s.applied, verified: s.verified};
  if (s.plan) out.plan = s.plan;
  if (s.beyond) out.beyond = s.beyond;
  return out;
}

export const toTargets = (s: Session): TargetsState => ({...sessionOf(s), step: 'targets'});
export const toFindings = (s: Session): FindingsState => ({...sessionOf(s), step: 'findings', explain: false});
export const toPaths = (s: Session): PathsState => ({...sessionOf(s), step: 'paths'});
/** Step 5; the rewrites are proven by running on arrival when an engine answers and no proof holds for these choices. */
export const toDockerfile = (s: Session): DockerfileState =>
  wantsProof(s) ? {...sessionOf(s), seq: s.seq + 1, step: 'dockerfile', proving: {lines: []}} : {...sessionOf(s), step: 'dockerfile'};
export const toReview = (s: Session): ReviewState => ({...sessionOf(s), step: 'review'});
const toWriting = (s: Session): WritingState => ({...sessionOf(s), seq: s.seq + 1, step: 'writing'});
const toSummary = (s: Session): SummaryState => ({...sessionOf(s), seq: s.seq + 1, step: 'summary'});
const toExtras = (s: Session) => extrasOf(s, sessionOf);
const toHost = (s: Session) => hostOf(s, sessionOf);

function toVerifying(s: Session): VerifyingState {
  const queue = runnableTargets(s.scan, s.choices.selected);
  return {...sessionOf(s), seq: s.seq + 1, step: 'verifying', queue, index: 0, lines: [], results: [], verified: []};
}

const hasPaths = (s: Session) => pathTargets(s.scan, s.choices.selected).length > 0;
const hasDockerfile = (s: Session) => dockerfileTargets(s.scan, s.choices.selected).length > 0;

/** After findings: the paths step if anything runs from a compose file or manifest, then the Dockerfile step if a rewrite applies. */
const afterFindings = (s: Session): WizardState => (hasPaths(s) ? toPaths(s) : afterPaths(s));
const afterPaths = (s: Session): WizardState => (hasDockerfile(s) ? toDockerfile(s) : toReview(s));
/** Static mode has no engine to verify with: the summary says so. */
const afterWriting = (s: Session): WizardState =>
  s.scan.engineProblem === undefined && runnableTargets(s.scan, s.choices.selected).length > 0 ? toVerifying(s) : toExtras(s);

function next(state: WizardState): WizardState {
  switch (state.step) {
    case 'targets':
      return state.choices.selected.length > 0 ? toFindings(state) : state;
    case 'findings':
      return afterFindings(state);
    case 'paths':
      return state.adding || state.discovering ? state : afterPaths(state);
    case 'dockerfile':
      return toReview(state);
    case 'review':
      if (!state.plan) return state;
      return acceptedPlan(state.plan, state.choices.skippedFiles).files.length > 0 ? toWriting(state) : toExtras(state);
    case 'writing':
      return state.done ? afterWriting(state) : state;
    case 'verifying':
      return state.index >= state.queue.length ? toExtras(state) : state;
    case 'extras':
      return extrasNext(state, toHost);
    case 'host':
      return state.phase === 'shown' || state.phase === 'done' ? toSummary(state) : state;
    default:
      return state;
  }
}

/** One step back, keeping every choice; or, inside a step, close what is open (panel, typing, a running discovery). */
function back(state: WizardState): WizardState {
  switch (state.step) {
    case 'findings':
      return state.explain ? {...state, explain: false} : toTargets(state);
    case 'paths':
      if (state.adding) return toPaths(state);
      // Leaving `discovering` changes the effect key: use-wizard aborts the run.
      if (state.discovering) return {...toPaths(state), note: 'discovery stopped'};
      return toFindings(state);
    case 'dockerfile':
      if (state.preview) return {...state, preview: false};
      return hasPaths(state) ? toPaths(state) : toFindings(state);
    case 'review':
      return hasDockerfile(state) ? toDockerfile(state) : hasPaths(state) ? toPaths(state) : toFindings(state);
    case 'verifying':
      // Stops the round: what ran keeps its result, the rest is not verified.
      return state.index < state.queue.length ? {...state, queue: state.queue.slice(0, state.index), lines: [...state.lines, 'verification stopped']} : state;
    case 'extras':
      // Planning stops (its effect is aborted); a write in progress is not cut short.
      if (state.phase === 'preview' || state.phase === 'planning') return {...state, phase: 'choose'};
      if (state.phase === 'writing') return state;
      return toVerifyResults(state);
    case 'host':
      if (state.phase === 'confirm') return {...state, phase: 'shown'};
      if (state.phase === 'writing' || state.phase === 'copying') return state;
      return toExtras(state);
    case 'summary':
      return toHost(state);
    case 'failed':
      return state.back ?? state;
    default:
      return state;
  }
}

/** Back from step 9: the last verification round's results, when there was one. */
function toVerifyResults(state: Session & {step: string}): WizardState {
  if (state.verified.length === 0) return state as WizardState;
  const queue = runnableTargets(state.scan, state.choices.selected).slice(0, state.verified.length);
  return {...sessionOf(state), step: 'verifying', queue, index: queue.length, lines: [], results: state.verified};
}

/** A side effect failed for good: show it, and remember where esc can go back to. */
function fail(state: WizardState, message: string): WizardState {
  if (state.step === 'failed') return state;
  let previous: WizardState | undefined;
  if (state.step === 'writing') previous = toReview(state);
  else if (state.step === 'extras') previous = {...state, phase: 'choose'};
  else if (state.step === 'host') previous = state.check ? {...state, phase: 'shown'} : toExtras(state);
  else if (state.step !== 'scanning') {
    const stepped = back(state);
    previous = stepped === state ? undefined : stepped;
  }
  return {step: 'failed', seq: state.seq, message, ...(previous ? {back: previous} : {})};
}
