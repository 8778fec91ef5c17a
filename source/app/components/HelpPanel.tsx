import {Box, Text} from 'ink';
import type {Hint} from './KeyHints.js';

const general: readonly Hint[] = [
  {keys: '↑↓ or j/k', label: 'move, or scroll'},
  {keys: 'PgUp/PgDn', label: 'scroll a long text, a diff or the summary by a page'},
  {keys: 'space', label: 'select, switch on or off, accept or skip'},
  {keys: 'enter', label: 'go on to the next step'},
  {keys: 'esc', label: 'back one step; nothing you chose is lost'},
  {keys: '?', label: 'this help (on findings: explain the finding)'},
  {keys: 'q, Ctrl-C', label: 'quit; anything running is stopped and its containers removed'},
];

/** The keys of every screen, and those of this one (the footer's). */
export function HelpPanel({screen, width}: {screen: readonly Hint[]; width: number}) {
  const row = (hint: Hint) => (
    <Box key={hint.keys}>
      <Box width={14}>
        <Text bold color="cyan">
          {hint.keys}
        </Text>
      </Box>
      <Text wrap="truncate-end">{hint.label}</Text>
    </Box>
  );
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={width}>
      <Text bold>Keys</Text>
      {general.map(row)}
      <Text> </Text>
      <Text bold>On this screen</Text>
      {screen.filter(h => !['?', 'q'].includes(h.keys)).map(row)}
      <Text dimColor>esc or ? closes this panel.</Text>
    </Box>
  );
}
