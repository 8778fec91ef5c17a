import type {Key} from 'ink';
import {Box, Text} from 'ink';
import {useMemo} from 'react';
import type {FilePatch} from '../../core/model/plan.js';
import {DiffView, diffLines} from './DiffView.js';
import {useSyncedState} from './use-synced-state.js';
import {clamp, tabStrip} from './window.js';

/** Which file of a preview is shown and how far it is scrolled, with the keys that move them. */
export function useFilePreview(files: readonly FilePatch[], page: number, before: (patch: FilePatch) => string | undefined) {
  const [fileIndex, setFileIndex, currentFile] = useSyncedState(0);
  const [offset, setOffset] = useSyncedState(0);
  const at = clamp(fileIndex, files.length);
  const patch = files[at];
  const text = patch && !patch.created ? before(patch) : undefined;
  const lines = useMemo(() => (patch ? diffLines(patch, text) : []), [patch, text]);
  const maxOffset = Math.max(0, lines.length - page);
  const goTo = (by: number) => {
    setFileIndex(i => clamp(clamp(i, files.length) + by, files.length));
    setOffset(() => 0);
  };
  /** Scrolls and switches files; true when the key was one of those. */
  const onKey = (input: string, key: Key): boolean => {
    const scroll = (by: number) => setOffset(o => Math.max(0, Math.min(maxOffset, o + by)));
    if (key.downArrow || input === 'j') scroll(1);
    else if (key.upArrow || input === 'k') scroll(-1);
    else if (key.pageDown) scroll(page);
    else if (key.pageUp) scroll(-page);
    else if (files.length > 1 && (key.rightArrow || key.tab || input === 'l')) goTo(1);
    else if (files.length > 1 && (key.leftArrow || input === 'h')) goTo(-1);
    else return false;
    return true;
  };
  /** The file shown after the last key, even before Ink re-rendered. */
  const current = () => files[clamp(currentFile(), files.length)];
  /**
   * y accepts and n skips the file shown (then shows the next), space flips it; true when the
   * key was one of those. Decisions go to the file shown after the previous key, even before
   * Ink re-rendered.
   */
  const onDecide = (input: string, skipped: ReadonlySet<string>, setFile: (file: string, accepted: boolean) => void): boolean => {
    const file = current()?.file;
    if (file === undefined) return false;
    if (input === 'y' || input === 'n') {
      setFile(file, input === 'y');
      goTo(1);
    } else if (input === ' ') setFile(file, skipped.has(file));
    else return false;
    return true;
  };
  return {at, patch, lines, offset: Math.min(offset, maxOffset), onKey, onDecide};
}

/** The files as tabs (✓ accepted, ✗ skipped): a window around the shown one, ‹ › where more are, and n/total. */
function TabStrip({files, skipped, at, width}: {files: readonly FilePatch[]; skipped: ReadonlySet<string>; at: number; width: number}) {
  const strip = tabStrip(
    files.map(f => `${skipped.has(f.file) ? '✗' : '✓'} ${f.file}`),
    at,
    width,
  );
  return (
    <Text wrap="truncate-end">
      <Text dimColor>{strip.before ? '‹ ' : '  '}</Text>
      {strip.tabs.map(tab => (
        <Text key={tab.index} bold={tab.index === at} inverse={tab.index === at} color={skipped.has(files[tab.index]!.file) ? 'red' : 'green'}>
          {tab.text}
          {'  '}
        </Text>
      ))}
      <Text dimColor>
        {strip.after ? '›' : ' '}
        {strip.count}
      </Text>
    </Text>
  );
}

/** Tabs of the files (✓ accepted, ✗ skipped), the shown file's name, and its diff. */
export function FilePreview(props: {
  files: readonly FilePatch[];
  skipped: ReadonlySet<string>;
  preview: ReturnType<typeof useFilePreview>;
  page: number;
  width: number;
}) {
  const {files, skipped, preview, page, width} = props;
  const {at, patch, lines, offset} = preview;
  if (!patch) return null;
  const shownTo = Math.min(lines.length, offset + page);
  return (
    <Box flexDirection="column">
      <TabStrip files={files} skipped={skipped} at={at} width={width} />
      <Text wrap="truncate-end">
        File {at + 1}/{files.length}: <Text bold>{patch.file}</Text>
        {patch.created ? ' (new file)' : ''} · {skipped.has(patch.file) ? <Text color="red">skipped</Text> : <Text color="green">accepted</Text>} · lines{' '}
        {offset + 1}-{shownTo} of {lines.length}
      </Text>
      <DiffView lines={lines} offset={offset} height={page} width={width} />
    </Box>
  );
}
