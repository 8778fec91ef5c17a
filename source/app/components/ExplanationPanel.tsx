import {Box, Text} from 'ink';
import type {Finding} from '../../core/model/finding.js';
import {d09Why, ruleOf} from '../wizard/d09.js';
import {SeverityBadge} from './SeverityBadge.js';

/** The longer explanation of one finding: what was found, why it matters (D09), and the fix. */
export function ExplanationPanel({finding, width}: {finding: Finding; width: number}) {
  const rule = ruleOf(finding.rule);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={width}>
      <Text>
        <SeverityBadge severity={finding.severity} />
        <Text bold>{rule?.title ?? finding.rule}</Text>
        <Text dimColor>
          {'  '}
          {finding.file}:{finding.line} ({finding.rule})
        </Text>
      </Text>
      <Text>{finding.message}</Text>
      <Text> </Text>
      <Text>
        <Text bold>Why (D09): </Text>
        {d09Why(finding.rule)}. {rule?.why ?? ''}
      </Text>
      <Text>
        <Text bold>Fix: </Text>
        {finding.fixable ? 'harden fixes this. ' : 'a person fixes this; harden says how. '}
        {rule?.fix ?? ''}
      </Text>
    </Box>
  );
}
