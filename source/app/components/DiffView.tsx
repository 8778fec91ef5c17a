import {Box, Text} from 'ink';
import type {FilePatch} from '../../core/model/plan.js';
import {fileDiff} from '../../core/report/plan-text.js';

const plain = (_style: string, text: string) => text;

/** The unified diff of one file as lines, uncoloured: DiffView colours them through Ink, so NO_COLOR holds. */
export function diffLines(patch: FilePatch, before: string | undefined): string[] {
  return fileDiff(patch, before, plain).split('\n');
}

function lineColor(line: string): {color?: string; bold?: boolean} {
  if (line.startsWith('+++') || line.startsWith('---')) return {bold: true};
  if (line.startsWith('+')) return {color: 'green'};
  if (line.startsWith('-')) return {color: 'red'};
  if (line.startsWith('@@')) return {color: 'cyan'};
  return {};
}

/** `height` lines of a diff from `offset`, coloured like `git diff`, long lines cut at the edge. */
export function DiffView({lines, offset, height, width}: {lines: readonly string[]; offset: number; height: number; width: number}) {
  const shown = lines.slice(offset, offset + height);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((line, i) => (
        <Text key={offset + i} wrap="truncate-end" {...lineColor(line)}>
          {line === '' ? ' ' : line}
        </Text>
      ))}
    </Box>
  );
}
