import type {Key} from 'ink';
import {Box, Text} from 'ink';
import {useState} from 'react';
import {moreLine} from './window.js';

/** One line of a pane, with the colour it is shown in. */
export interface PaneLine {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
}

/**
 * Scrolling for a pane of `count` lines in `height` rows: PgUp/PgDn move by a page (keys the
 * footer and help name). `reset` is what the pane shows (a finding, a target): it starts at
 * the top whenever that changes.
 */
export function usePaneScroll(count: number, height: number, reset: string) {
  const [state, setState] = useState({reset, offset: 0});
  const page = Math.max(1, height - 1);
  const max = Math.max(0, count - page);
  const offset = state.reset === reset ? Math.min(state.offset, max) : 0;
  const onKey = (_input: string, key: Key): boolean => {
    const by = key.pageDown ? page : key.pageUp ? -page : 0;
    if (by === 0 || count <= height) return false;
    setState(s => ({reset, offset: Math.max(0, Math.min(max, (s.reset === reset ? s.offset : 0) + by))}));
    return true;
  };
  return {offset, onKey};
}

/**
 * Lines that may be more than the rows they get: all of them when they fit; otherwise a
 * window from `offset` and a last row saying how many are hidden, so nothing is cut silently.
 */
export function ScrollPane({lines, height, offset}: {lines: readonly PaneLine[]; height: number; offset: number}) {
  if (height <= 0 || lines.length === 0) return null;
  const fits = lines.length <= height;
  const page = fits ? lines.length : Math.max(1, height - 1);
  const start = fits ? 0 : Math.min(offset, lines.length - page);
  const shown = lines.slice(start, start + page);
  const more = fits ? undefined : moreLine({above: start, below: lines.length - start - page});
  return (
    <Box flexDirection="column">
      {shown.map((line, i) => (
        <Text key={start + i} color={line.color} bold={line.bold} dimColor={line.dim} wrap="truncate-end">
          {line.text || ' '}
        </Text>
      ))}
      {more && (
        <Text color="cyan" dimColor>
          {more}
        </Text>
      )}
    </Box>
  );
}
