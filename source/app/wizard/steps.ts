import type {FoundPath} from '../../core/model/runtime.js';
import {extrasAction, hostAction} from './beyond.js';
import {acceptedPlan, defaultSelection, proofKey, shownPaths, wantsProof} from './choices.js';
import type {Choices, DockerfileState, PathChoice, PathsState, Session, WizardAction, WizardState} from './state.js';
import {checkWritablePath} from './validate.js';

/*
 * Actions that belong to one step. Each handler returns the state it was given when
 * the action does not apply there (wrong step, a panel open, a run in progress).
 */

const keptLines = 200;

export function stepAction(state: WizardState, action: WizardAction): WizardState {
  switch (state.step) {
    case 'scanning':
      if (action.type === 'scanProgress') return {...state, progress: action.progress};
      if (action.type !== 'scanned') return state;
      if (state.resume) {
        const {choices, applied, verified} = state.resume;
        const known = new Set(action.scan.analysis.report.targets.map(t => t.id));
        const selected = choices.selected.filter(id => known.has(id));
        const kept: Choices = selected.length === choices.selected.length ? choices : {...choices, selected};
        return {step: 'review', seq: state.seq, scan: action.scan, choices: kept, applied, verified};
      }
      return {
        step: 'targets',
        seq: state.seq,
        scan: action.scan,
        choices: {selected: defaultSelection(action.scan), paths: {}, dockerfile: {kind: 'proposed'}, skippedFiles: []},
        applied: [],
        verified: [],
      };
    case 'targets':
      if (action.type === 'toggleTarget') {
        const selected = state.choices.selected.includes(action.id) ? state.choices.selected.filter(id => id !== action.id) : [...state.choices.selected, action.id];
        return setSelection(state, selected);
      }
      if (action.type === 'setTargets') return setSelection(state, action.ids);
      return state;
    case 'findings':
      return action.type === 'toggleExplain' ? {...state, explain: !state.explain} : state;
    case 'paths':
      return action.type === 'planned' ? {...state, plan: action.plan} : pathsAction(state, action);
    case 'dockerfile':
      return dockerfileAction(state, action);
    case 'review': {
      if (action.type === 'planned') return {...state, plan: action.plan};
      if (action.type !== 'setFile') return state;
      const skipped = state.choices.skippedFiles.filter(f => f !== action.file);
      if (!action.accepted) skipped.push(action.file);
      return {...state, choices: {...state.choices, skippedFiles: skipped}};
    }
    case 'writing': {
      if (action.type !== 'applied' || state.done || !state.plan) return state;
      const done = {plan: acceptedPlan(state.plan, state.choices.skippedFiles), written: action.written, backupId: action.backupId};
      return {...state, done, applied: [...state.applied, done]};
    }
    case 'verifying':
      return verifyingAction(state, action);
    case 'extras':
      return extrasAction(state, action);
    case 'host':
      return hostAction(state, action);
    case 'summary':
      if (action.type === 'planned') return {...state, plan: action.plan};
      if (state.saved) return state;
      if (action.type === 'saved') return {...state, saved: {files: action.files}};
      if (action.type === 'saveFailed') return {...state, saved: {error: action.message}};
      return state;
    default:
      return state;
  }
}

/** New choices make the plan stale; use-wizard makes a new one. */
/** Step 5: a runtime base chosen is proven again; the proof's progress and verdict. */
function dockerfileAction(state: DockerfileState, action: WizardAction): WizardState {
  switch (action.type) {
    case 'planned':
      return {...state, plan: action.plan};
    case 'togglePreview':
      return state.proving ? state : {...state, preview: !state.preview};
    case 'progress':
      return state.proving ? {...state, proving: {lines: [...state.proving.lines, action.line].slice(-keptLines)}} : state;
    case 'proved': {
      if (!state.proving) return state;
      const {proving: _done, ...rest} = replan(state, {...state.choices, proof: {key: proofKey(state.choices), outcome: action.outcome}});
      return rest;
    }
    case 'chooseDockerfile': {
      if (JSON.stringify(action.choice) === JSON.stringify(state.choices.dockerfile)) return state;
      // Another base is another rewrite: it is proven again (a new seq aborts a proof still running).
      const {proving: _stopped, ...rest} = replan(state, {...state.choices, dockerfile: action.choice});
      return wantsProof(rest) ? {...rest, seq: rest.seq + 1, proving: {lines: []}} : rest;
    }
    default:
      return state;
  }
}

function replan<T extends Session>(state: T, choices: Choices): T {
  const {plan: _stale, ...rest} = state;
  return {...rest, choices} as T;
}

function setSelection<T extends Session>(state: T, ids: readonly string[]): T {
  const wanted = new Set(ids);
  // Scan order, not the order of the key presses: reports and plans list targets that way.
  const selected = state.scan.analysis.report.targets.filter(t => wanted.has(t.id)).map(t => t.id);
  return replan(state, {...state.choices, selected});
}

function withPaths(choices: Choices, targetId: string, paths: readonly PathChoice[]): Choices {
  return {...choices, paths: {...choices.paths, [targetId]: paths}};
}

function pathsAction(state: PathsState, action: WizardAction): WizardState {
  const {adding, discovering} = state;
  const mine = (id: string) => state.choices.paths[id] ?? [];
  switch (action.type) {
    case 'addInput':
      return adding ? {...state, adding: {...adding, text: adding.text + action.text}} : state;
    case 'addErase':
      return adding && adding.text !== '' ? {...state, adding: {...adding, text: adding.text.slice(0, -1)}} : state;
    case 'addSubmit': {
      if (!adding) return state;
      const listed = shownPaths(state.plan, adding.targetId, mine(adding.targetId)).map(p => p.path);
      const check = checkWritablePath(adding.text, listed);
      if (!check.ok) return state;
      const added: PathChoice = {path: check.path, source: 'added', enabled: true, evidence: ['added by you']};
      const {adding: _closed, ...rest} = replan(state, withPaths(state.choices, adding.targetId, [...mine(adding.targetId), added]));
      return {...rest, note: `${check.path} added to ${state.scan.analysis.report.targets.find(t => t.id === adding.targetId)?.name ?? adding.targetId} only`};
    }
    case 'progress':
      return discovering ? {...state, discovering: {...discovering, lines: [...discovering.lines, action.line].slice(-keptLines)}} : state;
    case 'discovered':
      return discovering?.targetId === action.targetId ? discovered(state, action.targetId, action.paths) : state;
    case 'discoverFailed': {
      if (!discovering) return state;
      const {discovering: _done, ...rest} = state;
      return {...rest, note: `discovery failed: ${action.message}`};
    }
    default:
      break;
  }
  if (adding || discovering) return state;
  switch (action.type) {
    case 'togglePath': {
      const list = mine(action.targetId);
      const choice = list.find(c => c.path === action.path);
      const shown = shownPaths(state.plan, action.targetId, list).find(p => p.path === action.path);
      if (!choice && !shown) return state;
      // A proposal switched off stays listed, with the evidence that it is written: verify tells if it mattered.
      const paths = choice
        ? list.map(c => (c === choice ? {...c, enabled: !c.enabled} : c))
        : [...list, {path: action.path, source: 'proposed' as const, enabled: false, evidence: [shown!.evidence]}];
      const off = !(choice?.enabled === false);
      const note = off && (choice?.source ?? 'proposed') === 'proposed' ? `${action.path} stays read-only; the app may write there (${shown?.evidence ?? choice?.evidence[0]}), so verify will tell` : undefined;
      return {...replan(state, withPaths(state.choices, action.targetId, paths)), note};
    }
    case 'setMount': {
      const list = mine(action.targetId);
      const choice = list.find(c => c.path === action.path);
      const paths = choice
        ? list.map(c => (c === choice ? {...c, mount: action.mount} : c))
        : [...list, {path: action.path, mount: action.mount, source: 'proposed' as const, enabled: true, evidence: []}];
      return {...replan(state, withPaths(state.choices, action.targetId, paths)), note: undefined};
    }
    case 'addStart':
      return {...state, adding: {targetId: action.targetId, text: ''}, note: undefined};
    case 'discoverStart':
      if (state.scan.engineProblem !== undefined) return {...state, note: `discovery runs the app, which needs a container engine (${state.scan.engineProblem})`};
      return {...state, seq: state.seq + 1, discovering: {targetId: action.targetId, lines: []}, note: undefined};
    default:
      return state;
  }
}

function discovered(state: PathsState, targetId: string, found: readonly FoundPath[]): WizardState {
  const {discovering: _done, ...rest} = state;
  const list = state.choices.paths[targetId] ?? [];
  const listed = new Set(shownPaths(state.plan, targetId, list).map(p => p.path));
  const fresh: PathChoice[] = found.filter(f => !listed.has(f.path)).map(f => ({path: f.path, mount: f.mount, source: 'discovered', enabled: true, evidence: f.evidence}));
  const note = `discovery found ${found.length} path${found.length === 1 ? '' : 's'}, ${fresh.length} new`;
  if (fresh.length === 0) return {...rest, note};
  return {...replan(rest, withPaths(state.choices, targetId, [...list, ...fresh])), note};
}

function verifyingAction(state: Extract<WizardState, {step: 'verifying'}>, action: WizardAction): WizardState {
  const running = state.index < state.queue.length;
  if (action.type === 'progress' && running) return {...state, lines: [...state.lines, action.line].slice(-keptLines)};
  if (action.type === 'verified' && running) {
    const at = action.target === undefined ? state.index : state.queue.indexOf(action.target, state.index);
    if (at < 0) return state;
    const queue = [...state.queue];
    [queue[state.index], queue[at]] = [queue[at]!, queue[state.index]!];
    const results = [...state.results, action.result];
    const index = state.index + 1;
    return {...state, queue, results, verified: results, index, lines: index < queue.length ? state.lines : []};
  }
  if (action.type !== 'fixMissing' || running) return state;
  let choices = state.choices;
  state.results.forEach((result, i) => {
    const targetId = state.queue[i];
    if (result.ok || targetId === undefined || result.missing.length === 0) return;
    const list = choices.paths[targetId] ?? [];
    const fresh: PathChoice[] = result.missing
      .filter(m => !list.some(c => c.path === m.path))
      .map(m => ({path: m.path, mount: m.mount, source: 'verify', enabled: true, evidence: m.evidence}));
    const revived = list.map(c => (result.missing.some(m => m.path === c.path) ? {...c, enabled: true} : c));
    choices = withPaths(choices, targetId, [...revived, ...fresh]);
  });
  if (choices === state.choices) return state;
  // The files changed on disk: scan again, so the new plan patches what is there now.
  return {step: 'scanning', seq: state.seq + 1, dir: state.scan.dir, progress: {files: 0, targets: 0, containers: 0}, resume: {choices, applied: state.applied, verified: state.verified}};
}
