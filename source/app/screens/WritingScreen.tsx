import {Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import type {Hint} from '../components/KeyHints.js';
import {plural} from '../components/labels.js';
import {acceptedPlan, runnableTargets} from '../wizard/choices.js';
import type {WritingState} from '../wizard/state.js';
import {commonHints, useScreenKeys, type ScreenProps} from './screen.js';

function willVerify(state: WritingState): boolean {
  return state.scan.engineProblem === undefined && runnableTargets(state.scan, state.choices.selected).length > 0;
}

export function writingHints(state: WritingState): Hint[] {
  if (!state.done) return [...commonHints];
  return [{keys: 'enter', label: willVerify(state) ? 'verify' : 'beyond read-only'}, ...commonHints];
}

/** Step 7: atomic writes with a backup, then what changed and how to undo it. */
export function WritingScreen(props: ScreenProps<WritingState>) {
  const {state, dispatch, height} = props;
  useScreenKeys(props, (_input, key) => {
    if (!key.return) return false;
    dispatch({type: 'next'});
    return true;
  });
  if (!state.done) {
    const count = state.plan ? acceptedPlan(state.plan, state.choices.skippedFiles).files.length : 0;
    return <Spinner label={`Writing ${plural(count, 'file')}: each atomically, after a backup`} />;
  }
  const {written, backupId} = state.done;
  const shown = written.slice(0, Math.max(1, height - 5));
  return (
    <Box flexDirection="column">
      {written.length === 0 ? (
        <Text>Every file already held this text; nothing was written.</Text>
      ) : (
        <>
          <Text bold>Wrote {plural(written.length, 'file')}:</Text>
          {shown.map(file => (
            <Text key={file} color="green" wrap="truncate-end">
              {'  '}✓ {file}
            </Text>
          ))}
          {written.length > shown.length && <Text dimColor>  and {written.length - shown.length} more</Text>}
        </>
      )}
      {backupId !== undefined && (
        <Box marginTop={1} flexDirection="column">
          <Text>
            Backup <Text bold>{backupId}</Text> is in .harden/backups.
          </Text>
          <Text>
            To undo: <Text bold color="cyan">harden undo</Text> puts every file back as it was.
          </Text>
        </Box>
      )}
      <Box marginTop={1}>
        <Text dimColor>{willVerify(state) ? 'Next: build and run it hardened, to prove it still works.' : 'Next: optional digests, signing and drift rules, then the host.'}</Text>
      </Box>
    </Box>
  );
}
