import {Box, Text} from 'ink';

/** One key (or a few, `j/k`) and what it does here. */
export interface Hint {
  keys: string;
  label: string;
}

const gap = 2;

/** Lines the footer takes at this width: hints wrap as wholes, never inside one. */
export function hintsLines(hints: readonly Hint[], width: number): number {
  let lines = 1;
  let used = 0;
  for (const hint of hints) {
    const size = hint.keys.length + 1 + hint.label.length;
    if (used > 0 && used + gap + size > width) {
      lines++;
      used = size;
    } else used += (used > 0 ? gap : 0) + size;
  }
  return lines;
}

/** The footer: the keys that work on this screen, and nothing else. */
export function KeyHints({hints, width}: {hints: readonly Hint[]; width: number}) {
  return (
    <Box width={width} flexWrap="wrap" columnGap={gap}>
      {hints.map(hint => (
        <Text key={hint.keys}>
          <Text bold color="cyan">
            {hint.keys}
          </Text>{' '}
          <Text dimColor>{hint.label}</Text>
        </Text>
      ))}
    </Box>
  );
}
