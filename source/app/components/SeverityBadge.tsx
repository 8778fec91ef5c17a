import {Text} from 'ink';
import type {Severity} from '../../core/model/finding.js';

const colors: Record<Severity, string> = {high: 'red', medium: 'yellow', low: 'blue', info: 'gray'};

/** HIGH, MEDIUM, LOW or INFO, padded to one width; the word carries the meaning when colour is off (NO_COLOR). */
export function SeverityBadge({severity}: {severity: Severity}) {
  return (
    <Text color={colors[severity]} bold={severity === 'high'}>
      {severity.toUpperCase().padEnd(7)}
    </Text>
  );
}
