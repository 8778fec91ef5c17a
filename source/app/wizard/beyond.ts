import {acceptedPlan} from './choices.js';
import type {ExtrasChoice, ExtrasState, HostState, Session, WizardAction, WizardState} from './state.js';

/*
 * Steps 9 and 10: the optional outputs beyond read-only (digests, Falco rules, signing,
 * run configs; issue 6) and the host under the containers (issue 8). Both come after
 * the project's own files are written and verified, and both write only what the
 * person accepted, through the same writer and undo as the fix.
 */

export const noExtras: ExtrasChoice = {pin: false, falco: false, signing: 'none', runConfigs: false};

const anyChosen = (c: ExtrasChoice) => c.pin || c.falco || c.signing !== 'none' || c.runConfigs;

const signingOrder: readonly ExtrasChoice['signing'][] = ['none', 'github', 'gitlab'];

/** Step 9, where the person left it: done when something was written, else the choice as it was. */
export function toExtras(s: Session, sessionOf: (s: Session) => Session): ExtrasState {
  const extras = s.beyond?.extras;
  const base = {...sessionOf(s), step: 'extras' as const, extras: extras?.choice ?? noExtras, skipped: []};
  return extras && extras.written.length > 0 ? {...base, phase: 'done'} : {...base, phase: 'choose'};
}

/** Step 10: read the host once; coming back shows what was read. */
export function toHost(s: Session, sessionOf: (s: Session) => Session): HostState {
  const host = s.beyond?.host;
  if (host) return {...sessionOf(s), step: 'host', phase: host.daemon && 'written' in host.daemon ? 'done' : 'shown', check: host};
  return {...sessionOf(s), seq: s.seq + 1, step: 'host', phase: 'reading'};
}

export function extrasAction(state: ExtrasState, action: WizardAction): WizardState {
  switch (state.phase) {
    case 'choose':
      if (action.type === 'toggleExtra') return {...state, extras: {...state.extras, [action.extra]: !state.extras[action.extra]}};
      if (action.type === 'cycleSigning') {
        const next = signingOrder[(signingOrder.indexOf(state.extras.signing) + 1) % signingOrder.length]!;
        return {...state, extras: {...state.extras, signing: next}};
      }
      return state;
    case 'planning':
      return action.type === 'extrasPlanned' ? {...state, phase: 'preview', made: action.made, skipped: []} : state;
    case 'preview': {
      if (action.type !== 'setFile') return state;
      const skipped = state.skipped.filter(f => f !== action.file);
      if (!action.accepted) skipped.push(action.file);
      return {...state, skipped};
    }
    case 'writing': {
      if (action.type !== 'extrasApplied') return state;
      const extras = {choice: state.extras, written: action.written, backupId: action.backupId, notes: state.made?.notes ?? []};
      return {...state, phase: 'done', beyond: {...state.beyond, extras}};
    }
    default:
      return state;
  }
}

/** enter on step 9: plan what was chosen, write what was accepted, or go on to the host. */
export function extrasNext(state: ExtrasState, toHostStep: (s: Session) => WizardState): WizardState {
  switch (state.phase) {
    case 'choose':
      return anyChosen(state.extras) ? {...state, seq: state.seq + 1, phase: 'planning'} : toHostStep(state);
    case 'preview': {
      if (!state.made) return state;
      if (acceptedPlan(state.made.plan, state.skipped).files.length > 0) return {...state, seq: state.seq + 1, phase: 'writing'};
      // Nothing to write (or all skipped): the notes still go to the summary.
      return toHostStep({...state, beyond: {...state.beyond, extras: {choice: state.extras, written: [], backupId: undefined, notes: state.made.notes}}});
    }
    case 'done':
      return toHostStep(state);
    default:
      return state;
  }
}

export function hostAction(state: HostState, action: WizardAction): WizardState {
  switch (action.type) {
    case 'hostChecked':
      return state.phase === 'reading' ? {...state, phase: 'shown', check: action.check, beyond: {...state.beyond, host: action.check}} : state;
    case 'offerDaemon':
      return state.phase === 'shown' && state.check?.daemonPatch && !written(state) ? {...state, phase: 'confirm'} : state;
    case 'confirmDaemon':
      return state.phase === 'confirm' ? {...state, seq: state.seq + 1, phase: 'writing'} : state;
    case 'daemonWritten':
    case 'daemonFailed': {
      if (state.phase !== 'writing' || !state.check) return state;
      const daemon = action.type === 'daemonWritten' ? {written: true as const, backupId: action.backupId} : {error: action.message};
      const host = {...state.check, daemon};
      return {...state, phase: action.type === 'daemonWritten' ? 'done' : 'shown', check: host, beyond: {...state.beyond, host}};
    }
    case 'copyTemplates': {
      const copied = state.check?.copied;
      if ((state.phase !== 'shown' && state.phase !== 'done') || !state.check?.templates?.length || (copied && 'written' in copied)) return state;
      return {...state, seq: state.seq + 1, phase: 'copying'};
    }
    case 'templatesCopied':
    case 'copyFailed': {
      if (state.phase !== 'copying' || !state.check) return state;
      const copied = action.type === 'templatesCopied' ? {written: action.written, backupId: action.backupId} : {error: action.message};
      const host = {...state.check, copied};
      return {...state, phase: written(state) ? 'done' : 'shown', check: host, beyond: {...state.beyond, host}};
    }
    default:
      return state;
  }
}

const written = (state: HostState) => {
  const daemon = state.beyond?.host?.daemon;
  return daemon !== undefined && 'written' in daemon;
};
