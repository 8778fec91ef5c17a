import {Box, Text} from 'ink';
import type {Step, WizardState} from '../wizard/state.js';

const titles: Record<Step, [number, string]> = {
  scanning: [1, 'Scan'],
  targets: [2, 'Targets'],
  findings: [3, 'Findings'],
  paths: [4, 'Writable paths'],
  dockerfile: [5, 'Dockerfile'],
  review: [6, 'Review'],
  writing: [7, 'Write'],
  verifying: [8, 'Verify'],
  extras: [9, 'Beyond read-only'],
  host: [10, 'Host'],
  summary: [11, 'Summary'],
  failed: [0, 'Failed'],
};

/** `harden · 3/11 Findings`, and `static mode` when no engine answered. */
export function Header({state, width}: {state: WizardState; width: number}) {
  const [number, title] = titles[state.step];
  const isStatic = 'scan' in state && state.scan.engineProblem !== undefined;
  return (
    <Box width={width} justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text bold color="cyan">
          harden
        </Text>
        <Text dimColor> · </Text>
        {number > 0 && <Text dimColor>{number}/11 </Text>}
        <Text bold color={state.step === 'failed' ? 'red' : undefined}>
          {title}
        </Text>
      </Text>
      {isStatic && <Text color="yellow">static mode</Text>}
    </Box>
  );
}
