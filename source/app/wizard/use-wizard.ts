import {useEffect, useReducer, useRef, useState, type Dispatch} from 'react';
import type {ProofOutcome} from '../../core/plan/options.js';
import type {WizardServices} from '../services.js';
import {acceptedPlan, fixOptionsFor, reportPlan, scopeScan} from './choices.js';
import {initialState, reduce} from './machine.js';
import type {WizardAction, WizardState} from './state.js';

/** The wizard's state, its dispatch, and whether a side effect is still settling (quitting waits for it). */
export interface Wizard {
  state: WizardState;
  dispatch: Dispatch<WizardAction>;
  busy: boolean;
}

type Send = (action: WizardAction) => void;

/** Targets verified at once, as `harden verify --jobs` defaults to. */
const verifyJobs = 4;
type Run = (services: WizardServices, send: Send, signal: AbortSignal) => Promise<void>;

/**
 * The one side effect the state asks for, under a key unique to this run; undefined
 * when the step only waits for keys. When the key changes (the step was left, esc
 * stopped it, the person quit) the hook aborts the run and drops its results.
 */
export function effectOf(state: WizardState): {key: string; run: Run} | undefined {
  if (state.exit !== undefined) return undefined;
  const key = (name: string) => `${name}:${state.seq}`;
  switch (state.step) {
    case 'scanning':
      return {
        key: key('scan'),
        run: async (services, send, signal) => send({type: 'scanned', scan: await services.scan(state.dir, progress => send({type: 'scanProgress', progress}), signal)}),
      };
    case 'dockerfile': {
      if (!state.proving) return undefined;
      const {proof: _old, ...choices} = state.choices;
      return {
        key: key('prove'),
        run: async (services, send, signal) => {
          if (!services.prove) return send({type: 'proved', outcome: {notRun: 'this session cannot build and run images'}});
          const outcome = await services.prove(scopeScan(state.scan, choices.selected), fixOptionsFor(choices), line => send({type: 'progress', line}), signal).catch(
            (error: unknown): ProofOutcome => ({notRun: `the proof stopped: ${messageOf(error)}`}),
          );
          send({type: 'proved', outcome});
        },
      };
    }
    case 'paths': {
      const target = state.discovering?.targetId;
      if (target === undefined) return undefined;
      return {
        key: key(`discover:${target}`),
        run: async (services, send, signal) => {
          try {
            send({type: 'discovered', targetId: target, paths: await services.discoverPaths(state.scan, target, line => send({type: 'progress', line}), signal)});
          } catch (error) {
            send({type: 'discoverFailed', message: messageOf(error)});
          }
        },
      };
    }
    case 'writing': {
      const plan = state.plan;
      if (state.done || !plan) return undefined;
      return {
        key: key('apply'),
        run: async (services, send) => {
          // Atomic writes are not cut short: quitting waits for them to finish or roll back.
          const result = await services.apply(acceptedPlan(plan, state.choices.skippedFiles));
          send({type: 'applied', written: result.written, backupId: result.backupId});
        },
      };
    }
    case 'verifying': {
      if (state.index >= state.queue.length) return undefined;
      // One run for the round: its targets at once (as `harden verify` runs several), results as they finish.
      const targets = state.queue.slice(state.index);
      return {
        key: key('verify'),
        run: async (services, send, signal) => {
          const one = async (target: string) => {
            // With several running, each line says whose it is.
            const prefix = targets.length > 1 ? `${target.split('#').at(-1)}: ` : '';
            try {
              const result = await services.verify(state.scan, target, line => send({type: 'progress', line: prefix + line}), signal);
              send({type: 'verified', target, result});
            } catch (error) {
              send({type: 'verified', target, result: {target, ok: false, checks: [{name: 'verify', ok: false, detail: messageOf(error)}], missing: [], logs: ''}});
            }
          };
          const pending = [...targets];
          const worker = async () => {
            for (let next = pending.shift(); next !== undefined && !signal.aborted; next = pending.shift()) await one(next);
          };
          await Promise.all(Array.from({length: Math.min(verifyJobs, targets.length)}, worker));
        },
      };
    }
    case 'extras': {
      const {made, phase} = state;
      if (phase === 'planning') {
        return {
          key: key('extras'),
          run: async (services, send, signal) => send({type: 'extrasPlanned', made: await services.planExtras(state.scan, state.choices.selected, state.extras, signal)}),
        };
      }
      if (phase !== 'writing' || !made) return undefined;
      return {
        key: key('extras-write'),
        run: async (services, send) => {
          const result = await services.apply(acceptedPlan(made.plan, state.skipped));
          send({type: 'extrasApplied', written: result.written, backupId: result.backupId});
        },
      };
    }
    case 'host': {
      if (state.phase === 'reading') {
        return {key: key('host'), run: async (services, send, signal) => send({type: 'hostChecked', check: await services.checkHost(state.scan, signal)})};
      }
      const templates = state.check?.templates;
      if (state.phase === 'copying' && templates) {
        return {
          key: key('copy-templates'),
          run: async (services, send) => {
            try {
              const result = await services.apply({tool: {name: 'harden-wizard', version: ''}, cwd: state.scan.dir, targets: [], files: [...templates], errors: []});
              send({type: 'templatesCopied', written: result.written, backupId: result.backupId});
            } catch (error) {
              send({type: 'copyFailed', message: messageOf(error)});
            }
          },
        };
      }
      const patch = state.check?.daemonPatch;
      if (state.phase !== 'writing' || !patch) return undefined;
      return {
        key: key('daemon-write'),
        run: async (services, send) => {
          try {
            const result = await services.apply({tool: {name: 'harden-wizard', version: ''}, cwd: state.scan.dir, targets: [], files: [patch], errors: []});
            send({type: 'daemonWritten', backupId: result.backupId});
          } catch (error) {
            // Most often permission denied: the summary says how to write it as root.
            send({type: 'daemonFailed', message: messageOf(error)});
          }
        },
      };
    }
    case 'summary': {
      const plan = reportPlan(state.applied, state.plan);
      if (state.saved || !plan) return undefined;
      return {
        key: key('save'),
        run: async (services, send) => {
          try {
            send({type: 'saved', files: await services.saveReport(state.scan, plan, state.verified, state.beyond)});
          } catch (error) {
            send({type: 'saveFailed', message: messageOf(error)});
          }
        },
      };
    }
    default:
      return undefined;
  }
}

/** Steps that show the plan make it when the choices changed; the planner is pure and fast. */
function needsPlan(state: WizardState): state is Extract<WizardState, {step: 'paths' | 'dockerfile' | 'review' | 'summary'}> {
  if (state.exit !== undefined) return false;
  if (state.step !== 'paths' && state.step !== 'dockerfile' && state.step !== 'review' && state.step !== 'summary') return false;
  return state.plan === undefined && state.choices.selected.length > 0;
}

/** Runs the wizard: the reducer, the planner, and the side effect of the current step. */
export function useWizard(dir: string, services: WizardServices): Wizard {
  const [state, dispatch] = useReducer(reduce, dir, initialState);
  const [running, setRunning] = useState(0);
  const latest = useRef(state);
  latest.current = state;

  useEffect(() => {
    if (!needsPlan(state)) return;
    try {
      dispatch({type: 'planned', plan: services.plan(scopeScan(state.scan, state.choices.selected), fixOptionsFor(state.choices))});
    } catch (error) {
      dispatch({type: 'failed', message: `could not plan the fix: ${messageOf(error)}`});
    }
  }, [state, services]);

  const effect = effectOf(state);
  const effectKey = effect?.key;
  useEffect(() => {
    const current = effectOf(latest.current);
    if (!current) return;
    const controller = new AbortController();
    // Results of a run that was aborted belong to a step the person has left.
    const send: Send = action => {
      if (!controller.signal.aborted) dispatch(action);
    };
    setRunning(n => n + 1);
    current
      .run(services, send, controller.signal)
      .catch((error: unknown) => send({type: 'failed', message: messageOf(error)}))
      .finally(() => setRunning(n => n - 1));
    return () => controller.abort();
  }, [effectKey, services]);

  return {state, dispatch, busy: running > 0};
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
