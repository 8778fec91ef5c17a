import {Box, Text} from 'ink';

/** The last lines of a long step's output (build, run), dimmed, each cut to the width. */
export function LogTail({lines, height}: {lines: readonly string[]; height: number}) {
  if (height <= 0) return null;
  const shown = lines.slice(-height);
  return (
    <Box flexDirection="column">
      {shown.map((line, i) => (
        <Text key={lines.length - shown.length + i} dimColor wrap="truncate-end">
          {'  '}
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
}
