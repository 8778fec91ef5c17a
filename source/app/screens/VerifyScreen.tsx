import {Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import type {Hint} from '../components/KeyHints.js';
import {labelOf, notVerifiedHint, plural} from '../components/labels.js';
import {LogTail} from '../components/LogTail.js';
import type {VerifyingState} from '../wizard/state.js';
import {commonHints, useScreenKeys, type ScreenProps} from './screen.js';

const missingOf = (state: VerifyingState) => state.results.filter(r => !r.ok).flatMap(r => r.missing);

export function verifyHints(state: VerifyingState): Hint[] {
  if (state.index < state.queue.length) return [{keys: 'esc', label: 'stop'}, ...commonHints];
  const fix = missingOf(state).length > 0 ? [{keys: 'f', label: 'add missing paths, review again'}] : [];
  return [...fix, {keys: 'enter', label: 'beyond read-only'}, ...commonHints];
}

/** Step 8: build and run the targets hardened, at once, with their output streaming; a missing path is a one-key fix. */
export function VerifyScreen(props: ScreenProps<VerifyingState>) {
  const {state, dispatch, height} = props;
  const running = state.index < state.queue.length;
  const missing = missingOf(state);
  useScreenKeys(props, (input, key) => {
    if (input === 'f' && !running && missing.length > 0) dispatch({type: 'fixMissing'});
    else if (key.return) dispatch({type: 'next'});
    else return false;
    return true;
  });

  const results = state.results.map((result, i) => {
    const id = state.queue[i] ?? result.target;
    const failed = result.checks.filter(c => !c.ok);
    // Nothing ran: neither a pass nor a failure of the hardened config.
    if (result.notVerified) {
      return (
        <Box key={`${id}:${i}`} flexDirection="column">
          <Text color="yellow" wrap="truncate-end">
            – {labelOf(state.scan, id)}: not verified: {result.notVerified.why}
          </Text>
          <Text dimColor wrap="truncate-end">
            {'    '}
            {notVerifiedHint(result.notVerified.why)}
          </Text>
        </Box>
      );
    }
    return (
      <Box key={`${id}:${i}`} flexDirection="column">
        <Text color={result.ok ? 'green' : 'red'} wrap="truncate-end">
          {result.ok ? '✓' : '✗'} {labelOf(state.scan, id)}: {result.ok ? `${plural(result.checks.length, 'check')} passed` : failed.map(c => c.name).join(', ') + ' failed'}
        </Text>
        {failed.slice(0, 2).map(check => (
          <Text key={check.name} dimColor wrap="truncate-end">
            {'    '}
            {check.name}: {check.detail}
          </Text>
        ))}
        {result.missing.map(m => (
          <Text key={m.path} color="yellow" wrap="truncate-end">
            {'    '}missing writable path {m.path} ({m.mount}): {m.evidence.join('; ')}
          </Text>
        ))}
      </Box>
    );
  });
  // Every target still running runs at once; their lines share the log, each with its name.
  const current = state.queue.slice(state.index).map(id => labelOf(state.scan, id));
  const what = current.length === 1 ? `${current[0]} (${state.index + 1}/${state.queue.length})` : `${current.join(', ')} at once (${state.index}/${state.queue.length} done)`;
  return (
    <Box flexDirection="column">
      {results}
      {running ? (
        <>
          <Spinner label={`Verifying ${what}: build, run read-only, watch its writes`} />
          <LogTail lines={state.lines} height={Math.max(2, height - 2 - state.results.length * 3)} />
        </>
      ) : (
        <Box marginTop={1} flexDirection="column">
          {state.lines.length > 0 && <Text dimColor>{state.lines.at(-1)}</Text>}
          {missing.length > 0 ? (
            <Text>
              Press <Text bold color="cyan">f</Text> to keep {missing.map(m => m.path).join(', ')} writable: harden re-plans, you review, it verifies again.
            </Text>
          ) : state.results.every(r => r.ok) && state.results.length > 0 ? (
            <Text color="green">It builds and runs with a read-only root filesystem.</Text>
          ) : state.results.length > 0 && state.results.every(r => r.ok || r.notVerified) ? (
            <Text color="green">What ran works read-only; the rest was not verified.</Text>
          ) : null}
        </Box>
      )}
    </Box>
  );
}
