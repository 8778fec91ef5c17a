import {Box, Text} from 'ink';
import type {ShownPath} from '../wizard/choices.js';
import {cut, windowStart} from './window.js';

/** A row of the paths screen: a target, or one of its writable paths. */
export type PathRow = {kind: 'target'; targetId: string; label: string} | {kind: 'path'; targetId: string; shown: ShownPath};

const sources = {added: 'added', discovered: 'found by run', verify: 'from verify', proposed: 'proposed'} as const;

/** Where a path came from, in two words. */
export function sourceOf(shown: ShownPath): string {
  return shown.choice ? sources[shown.choice.source] : 'proposed';
}

/** Targets with their writable paths, one line each: on or off, path, mount type, where it came from, why. */
export function PathList({rows, cursor, height, width}: {rows: readonly PathRow[]; cursor: number; height: number; width: number}) {
  const start = windowStart(cursor, rows.length, height);
  const pathWidth = Math.max(12, Math.min(22, width - 56));
  return (
    <Box flexDirection="column">
      {rows.slice(start, start + height).map((row, i) => {
        const index = start + i;
        const marker = <Text color="cyan">{index === cursor ? '› ' : '  '}</Text>;
        if (row.kind === 'target') {
          return (
            <Text key={`t:${row.targetId}`} wrap="truncate-end">
              {marker}
              <Text bold>{row.label}</Text>
            </Text>
          );
        }
        const {shown} = row;
        const on = shown.choice?.enabled ?? true;
        return (
          <Text key={`p:${row.targetId}:${shown.path}`} wrap="truncate-end" dimColor={!on}>
            {marker}
            {on ? '  [x] ' : '  [ ] '}
            <Text bold={index === cursor}>{cut(shown.path, pathWidth).padEnd(pathWidth)}</Text>{' '}
            <Text color={shown.mount === 'tmpfs' ? 'magenta' : 'blue'}>{shown.mount.padEnd(7)}</Text>
            <Text dimColor>
              {sourceOf(shown).padEnd(13)}
              {shown.evidence}
            </Text>
          </Text>
        );
      })}
    </Box>
  );
}
