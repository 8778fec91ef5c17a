import {Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import {useState} from 'react';
import type {Hint} from '../components/KeyHints.js';
import type {SummaryState} from '../wizard/state.js';
import {ScrollPane} from '../components/ScrollPane.js';
import {wrapLine} from '../components/window.js';
import {summaryLines} from './summary-lines.js';
import {step, useScreenKeys, type ScreenProps} from './screen.js';

export function summaryHints(_state: SummaryState): Hint[] {
  return [{keys: '↑↓/jk/PgUp/PgDn', label: 'scroll'}, {keys: 'enter/q', label: 'finish'}, {keys: 'esc', label: 'host'}];
}

/** Step 11: what was hardened, verified and left, saved as harden-report.md and harden-plan.json. */
export function SummaryScreen(props: ScreenProps<SummaryState>) {
  const {state, dispatch, height, width} = props;
  const lines = summaryLines(state).flatMap(line => wrapLine(line.text, width).map(text => ({...line, text})));
  const paneHeight = Math.max(2, height - 2);
  // When the text is longer than the pane, its last row says how much more there is.
  const page = lines.length <= paneHeight ? paneHeight : paneHeight - 1;
  const [offset, setOffset] = useState(0);
  const maxOffset = Math.max(0, lines.length - page);

  useScreenKeys(props, (input, key) => {
    const move = step(input, key) || (key.pageDown ? page : key.pageUp ? -page : 0);
    if (move !== 0) setOffset(o => Math.max(0, Math.min(maxOffset, o + move)));
    else if (key.return) dispatch({type: 'finish'});
    else return false;
    return true;
  });

  const {saved} = state;
  return (
    <Box flexDirection="column" width={width}>
      <Box flexDirection="column" height={paneHeight}>
        <ScrollPane lines={lines} height={paneHeight} offset={Math.min(offset, maxOffset)} />
      </Box>
      <Box marginTop={1}>
        {saved === undefined ? (
          <Spinner label="Saving harden-report.md and harden-plan.json…" />
        ) : 'files' in saved ? (
          <Text color="green" wrap="truncate-end">
            Saved {saved.files.join(', ')}
          </Text>
        ) : (
          <Text color="red" wrap="truncate-end">
            Could not save the report: {saved.error}
          </Text>
        )}
      </Box>
    </Box>
  );
}
