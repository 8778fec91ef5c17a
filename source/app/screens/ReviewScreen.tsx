import {Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import {useMemo} from 'react';
import {DiffView, diffLines} from '../components/DiffView.js';
import type {Hint} from '../components/KeyHints.js';
import {plural} from '../components/labels.js';
import {useSyncedState} from '../components/use-synced-state.js';
import {clamp} from '../components/window.js';
import {acceptedPlan} from '../wizard/choices.js';
import type {ReviewState} from '../wizard/state.js';
import {backHint, commonHints, useScreenKeys, type ScreenProps} from './screen.js';

export function reviewHints(state: ReviewState): Hint[] {
  const count = state.plan ? acceptedPlan(state.plan, state.choices.skippedFiles).files.length : 0;
  if (state.plan?.files.length === 0) return [{keys: 'enter', label: 'summary'}, backHint, ...commonHints];
  return [
    {keys: 'jk/PgUp/PgDn', label: 'scroll'},
    {keys: '←→', label: 'file'},
    {keys: 'y/n/space', label: 'accept/skip'},
    {keys: 'enter', label: count > 0 ? `write ${plural(count, 'file')}` : 'summary'},
    backHint,
    ...commonHints,
  ];
}

/** Step 6: a coloured diff per file, scrollable; each file accepted or skipped before anything is written. */
export function ReviewScreen(props: ScreenProps<ReviewState>) {
  const {state, dispatch, width, height} = props;
  const files = state.plan?.files ?? [];
  const [fileIndex, setFileIndex, currentFile] = useSyncedState(0);
  const [offset, setOffset] = useSyncedState(0);
  const at = clamp(fileIndex, files.length);
  const patch = files[at];
  const before = patch && !patch.created ? state.scan.files.find(f => f.file === patch.file)?.text : undefined;
  const lines = useMemo(() => (patch ? diffLines(patch, before) : []), [patch, before]);
  const skipped = new Set(state.choices.skippedFiles);
  const errors = state.plan?.errors.filter(e => files.every(f => f.file !== e.file)).length ?? 0;
  const page = Math.max(1, height - 3 - (errors > 0 ? 1 : 0));
  const maxOffset = Math.max(0, lines.length - page);

  const goTo = (by: number) => {
    setFileIndex(i => clamp(clamp(i, files.length) + by, files.length));
    setOffset(() => 0);
  };
  // Decisions go to the file shown after the previous key, even before Ink re-rendered.
  const decide = (accepted: (file: string) => boolean, advance: boolean) => {
    const file = files[clamp(currentFile(), files.length)]?.file;
    if (file === undefined) return;
    dispatch({type: 'setFile', file, accepted: accepted(file)});
    if (advance) goTo(1);
  };

  useScreenKeys(props, (input, key) => {
    const scroll = (by: number) => setOffset(o => Math.max(0, Math.min(maxOffset, o + by)));
    if (key.downArrow || input === 'j') scroll(1);
    else if (key.upArrow || input === 'k') scroll(-1);
    else if (key.pageDown) scroll(page);
    else if (key.pageUp) scroll(-page);
    else if (key.rightArrow || key.tab || input === 'l') goTo(1);
    else if (key.leftArrow || input === 'h') goTo(-1);
    else if (input === 'y') decide(() => true, true);
    else if (input === 'n') decide(() => false, true);
    else if (input === ' ') decide(file => skipped.has(file), false);
    else if (key.return) dispatch({type: 'next'});
    else return false;
    return true;
  });

  if (!state.plan) return <Spinner label="Planning the changes…" />;
  if (!patch) {
    return (
      <Box flexDirection="column">
        <Text color="green">Nothing to change: every fixable finding of the chosen targets is fixed already.</Text>
        {errors > 0 && <Text color="red">{plural(errors, 'file')} could not be patched and stay untouched (see the summary).</Text>}
      </Box>
    );
  }
  const shownTo = Math.min(lines.length, Math.min(offset, maxOffset) + page);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {files.map((f, i) => (
          <Text key={f.file} bold={i === at} inverse={i === at} color={skipped.has(f.file) ? 'red' : 'green'}>
            {skipped.has(f.file) ? '✗ ' : '✓ '}
            {f.file}
            {'  '}
          </Text>
        ))}
      </Text>
      <Text wrap="truncate-end">
        File {at + 1}/{files.length}: <Text bold>{patch.file}</Text>
        {patch.created ? ' (new file)' : ''} ·{' '}
        {skipped.has(patch.file) ? <Text color="red">skipped</Text> : <Text color="green">accepted</Text>} · lines {Math.min(offset, maxOffset) + 1}-{shownTo} of {lines.length}
      </Text>
      {errors > 0 && <Text color="red">{plural(errors, 'file')} could not be patched and stay untouched (see the summary).</Text>}
      <Box marginTop={1}>
        <DiffView lines={lines} offset={Math.min(offset, maxOffset)} height={page} width={width} />
      </Box>
    </Box>
  );
}
