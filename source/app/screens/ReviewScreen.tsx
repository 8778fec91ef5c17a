import {Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import {FilePreview, useFilePreview} from '../components/FilePreview.js';
import type {Hint} from '../components/KeyHints.js';
import {plural} from '../components/labels.js';
import {acceptedPlan} from '../wizard/choices.js';
import type {ReviewState} from '../wizard/state.js';
import {backHint, commonHints, useScreenKeys, type ScreenProps} from './screen.js';

export function reviewHints(state: ReviewState): Hint[] {
  const count = state.plan ? acceptedPlan(state.plan, state.choices.skippedFiles).files.length : 0;
  if (state.plan?.files.length === 0) return [{keys: 'enter', label: 'next'}, backHint, ...commonHints];
  return [
    {keys: 'jk/PgUp/PgDn', label: 'scroll'},
    {keys: '←→', label: 'file'},
    {keys: 'y/n/space', label: 'accept/skip'},
    {keys: 'enter', label: count > 0 ? `write ${plural(count, 'file')}` : 'next'},
    backHint,
    ...commonHints,
  ];
}

/** Step 6: a coloured diff per file, scrollable; each file accepted or skipped before anything is written. */
export function ReviewScreen(props: ScreenProps<ReviewState>) {
  const {state, dispatch, width, height} = props;
  const files = state.plan?.files ?? [];
  const skipped = new Set(state.choices.skippedFiles);
  const errors = state.plan?.errors.filter(e => files.every(f => f.file !== e.file)).length ?? 0;
  const page = Math.max(1, height - 3 - (errors > 0 ? 1 : 0));
  const preview = useFilePreview(files, page, patch => state.scan.files.find(f => f.file === patch.file)?.text);

  useScreenKeys(props, (input, key) => {
    if (preview.onKey(input, key) || preview.onDecide(input, skipped, (file, accepted) => dispatch({type: 'setFile', file, accepted}))) return true;
    if (!key.return) return false;
    dispatch({type: 'next'});
    return true;
  });

  if (!state.plan) return <Spinner label="Planning the changes…" />;
  const errorLine = errors > 0 && <Text color="red">{plural(errors, 'file')} could not be patched and stay untouched (see the summary).</Text>;
  if (!preview.patch) {
    return (
      <Box flexDirection="column">
        {errors > 0 ? (
          <Text>Nothing to change in the files harden could read.</Text>
        ) : (
          <Text color="green">Nothing to change: every fixable finding of the chosen targets is fixed already.</Text>
        )}
        {errorLine}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      {errorLine}
      <FilePreview files={files} skipped={skipped} preview={preview} page={page} width={width} />
    </Box>
  );
}
