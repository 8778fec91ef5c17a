import {Box, Text} from 'ink';
import type {Hint} from '../components/KeyHints.js';
import type {FailedState} from '../wizard/state.js';
import {useScreenKeys, type ScreenProps} from './screen.js';

export function failedHints(state: FailedState): Hint[] {
  return [...(state.back ? [{keys: 'esc', label: 'back'}] : []), {keys: 'enter/q', label: 'quit'}];
}

/** A step failed for good: what happened, and whether esc can go back to try again. */
export function FailedScreen(props: ScreenProps<FailedState>) {
  const {state, dispatch} = props;
  useScreenKeys(props, (_input, key) => {
    if (!key.return) return false;
    dispatch({type: 'finish'});
    return true;
  });
  return (
    <Box flexDirection="column" gap={1}>
      <Text color="red" bold>
        Something went wrong
      </Text>
      <Text>{state.message}</Text>
      {state.back && <Text dimColor>esc goes back one step; your choices are kept.</Text>}
    </Box>
  );
}
