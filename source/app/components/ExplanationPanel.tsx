import {Box, Text} from 'ink';
import type {Finding} from '../../core/model/finding.js';
import {d09Why, ruleOf} from '../wizard/d09.js';
import {ScrollPane, type PaneLine} from './ScrollPane.js';
import {wrapText} from './window.js';

/** The panel's border and padding take two rows and four columns. */
const frame = {rows: 2, columns: 4};

/** The explanation as lines of `width` columns: what was found, why it matters (D09), and the fix. */
export function explanationLines(finding: Finding, width: number): PaneLine[] {
  const rule = ruleOf(finding.rule);
  const room = Math.max(10, width - frame.columns);
  const fix = `${finding.fixable ? 'harden fixes this. ' : 'a person fixes this; harden says how. '}${rule?.fix ?? ''}`;
  return [
    ...wrapText(`${finding.severity.toUpperCase()} ${rule?.title ?? finding.rule}  ${finding.file}:${finding.line} (${finding.rule})`, room, 2).map(text => ({text, bold: true})),
    ...wrapText(finding.message, room).map(text => ({text})),
    {text: ''},
    ...wrapText(`Why (D09): ${d09Why(finding.rule)}. ${rule?.why ?? ''}`, room).map(text => ({text})),
    ...wrapText(`Fix: ${fix}`, room).map(text => ({text})),
  ];
}

/** How many lines of the explanation show in `height` rows, the border included. */
export function explanationRows(height: number): number {
  return Math.max(1, height - frame.rows);
}

/**
 * The longer explanation of one finding in a bordered pane that scrolls (PgUp/PgDn) when
 * it is taller than the rows it gets: a long message at 80x24 was cut off below the screen.
 */
export function ExplanationPanel({lines, width, height, offset}: {lines: readonly PaneLine[]; width: number; height: number; offset: number}) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={width}>
      <ScrollPane lines={lines} height={explanationRows(height)} offset={offset} />
    </Box>
  );
}
