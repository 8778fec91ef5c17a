import {useInput, type Key} from 'ink';
import type {Hint} from '../components/KeyHints.js';
import {eachKey} from '../components/keys.js';
import type {WizardAction, WizardState} from '../wizard/state.js';

/** What every screen gets: its step's state, a way to act, its box, and whether it has the keyboard. */
export interface ScreenProps<S extends WizardState> {
  state: S;
  dispatch: (action: WizardAction) => void;
  /** Columns and rows the screen may fill (between the header and the footer). */
  width: number;
  height: number;
  /** Only the active screen handles keys (false while the help panel is open or the wizard is leaving). */
  active: boolean;
  /** Opens the help panel. */
  onHelp: () => void;
}

/** Keys every screen shares; screens put their own first. */
export const commonHints: readonly Hint[] = [
  {keys: '?', label: 'help'},
  {keys: 'q', label: 'quit'},
];

export const backHint: Hint = {keys: 'esc', label: 'back'};

/**
 * The screen's key handler, then the keys every screen shares: esc goes back, q quits,
 * ? opens help. A handler returns true when it used the key (a text field uses them all).
 * Ctrl-C is the app's: it works even while help is open. Keys that arrive together (`jj`
 * typed fast, a paste) are handled one by one.
 */
export function useScreenKeys<S extends WizardState>(props: ScreenProps<S>, handler: (input: string, key: Key) => boolean | void): void {
  useInput(
    eachKey((input, key) => {
      if (key.ctrl && input === 'c') return;
      if (handler(input, key) === true) return;
      if (key.escape) props.dispatch({type: 'back'});
      else if (input === 'q') props.dispatch({type: 'quit'});
      else if (input === '?') props.onHelp();
    }),
    {isActive: props.active},
  );
}

/** Up or down by one: arrows and j/k. */
export function step(input: string, key: Key): -1 | 0 | 1 {
  if (key.upArrow || input === 'k') return -1;
  if (key.downArrow || input === 'j') return 1;
  return 0;
}
