import {Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import type {Hint} from '../components/KeyHints.js';
import {kindLabel, labelOf} from '../components/labels.js';
import {LogTail} from '../components/LogTail.js';
import {PathList, type PathRow} from '../components/PathList.js';
import {useSyncedState} from '../components/use-synced-state.js';
import {clamp} from '../components/window.js';
import {pathTargets, shownPaths} from '../wizard/choices.js';
import type {PathsState} from '../wizard/state.js';
import {checkWritablePath} from '../wizard/validate.js';
import {unknownWrites} from '../../core/rules/effective.js';
import {backHint, commonHints, step, useScreenKeys, type ScreenProps} from './screen.js';

export function pathsHints(state: PathsState): Hint[] {
  if (state.adding) return [{keys: 'enter', label: 'add'}, {keys: 'esc', label: 'cancel'}];
  if (state.discovering) return [{keys: 'esc', label: 'stop'}, {keys: 'q', label: 'quit'}];
  const discover = state.scan.engineProblem === undefined ? [{keys: 'd', label: 'discover'}] : [];
  return [{keys: '↑↓/jk', label: 'move'}, {keys: 'space', label: 'on/off'}, {keys: 't', label: 'tmpfs/volume'}, {keys: 'a', label: 'add'}, ...discover, {keys: 'enter', label: 'continue'}, backHint, ...commonHints];
}

function rowsOf(state: PathsState): PathRow[] {
  return pathTargets(state.scan, state.choices.selected).flatMap(target => [
    {kind: 'target' as const, targetId: target.id, label: `${labelOf(state.scan, target.id)} (${kindLabel(target.kind)})`},
    ...shownPaths(state.plan, target.id, state.choices.paths[target.id] ?? []).map(shown => ({kind: 'path' as const, targetId: target.id, shown})),
  ]);
}

/** A target whose image harden knows nothing about, and no path proposed: say so rather than show an empty list as an answer. */
function unknownNote(state: PathsState, row: PathRow | undefined): string | undefined {
  if (row?.kind !== 'target') return undefined;
  const subject = state.scan.analysis.subjects.find(s => s.target.id === row.targetId);
  const image = subject && unknownWrites(subject);
  if (!image || shownPaths(state.plan, row.targetId, state.choices.paths[row.targetId] ?? []).length > 0) return undefined;
  return `nothing is known of where ${image.raw} writes: ${state.scan.engineProblem === undefined ? 'd runs it to find out' : '"harden paths" finds out where an engine answers'}`;
}

const evidenceAt = (row: PathRow | undefined) => (row?.kind === 'path' ? row.shown.evidence : '');

/** Step 4: per target, the paths that stay writable, with their evidence and mount type. */
export function PathsScreen(props: ScreenProps<PathsState>) {
  const {state, dispatch, width, height} = props;
  const rows = rowsOf(state);
  const [cursor, setCursor, currentCursor] = useSyncedState(0);
  const at = clamp(cursor, rows.length);
  const {adding, discovering} = state;
  const check = adding ? checkWritablePath(adding.text, rows.filter(r => r.kind === 'path' && r.targetId === adding.targetId).map(r => (r.kind === 'path' ? r.shown.path : ''))) : undefined;

  useScreenKeys(props, (input, key) => {
    if (adding) {
      if (key.escape) return false;
      if (key.return) dispatch({type: 'addSubmit'});
      else if (key.backspace || key.delete) dispatch({type: 'addErase'});
      else if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow) dispatch({type: 'addInput', text: input});
      return true;
    }
    if (discovering) return false;
    const move = step(input, key);
    const row = rows[clamp(currentCursor(), rows.length)];
    if (move !== 0) setCursor(c => clamp(clamp(c, rows.length) + move, rows.length));
    else if (input === ' ' && row?.kind === 'path') dispatch({type: 'togglePath', targetId: row.targetId, path: row.shown.path});
    else if (input === 't' && row?.kind === 'path') dispatch({type: 'setMount', targetId: row.targetId, path: row.shown.path, mount: row.shown.mount === 'tmpfs' ? 'volume' : 'tmpfs'});
    else if (input === 'a' && row) dispatch({type: 'addStart', targetId: row.targetId});
    else if (input === 'd' && row) dispatch({type: 'discoverStart', targetId: row.targetId});
    else if (key.return) dispatch({type: 'next'});
    else return false;
    return true;
  });

  const below = discovering ? 2 + Math.min(4, discovering.lines.length) : 3;
  const listHeight = Math.max(3, height - 2 - below);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">Paths that stay writable once the root filesystem is read-only:</Text>
      {state.plan === undefined ? <Spinner label="Planning…" /> : <PathList rows={rows} cursor={at} height={listHeight} width={width} />}
      <Box flexDirection="column" marginTop={1}>
        {adding ? (
          <>
            <Text>
              Add a writable path to {labelOf(state.scan, adding.targetId)}: <Text bold>{adding.text}</Text>
              <Text inverse> </Text>
            </Text>
            {check?.ok ? (
              <Text color="green">
                ✓ {check.path}, {check.mount} suggested (t switches it once added)
              </Text>
            ) : (
              <Text color="yellow">{check?.message}</Text>
            )}
          </>
        ) : discovering ? (
          <>
            <Spinner label={`Running ${labelOf(state.scan, discovering.targetId)} to find the paths it writes (esc stops)`} />
            <LogTail lines={discovering.lines} height={4} />
          </>
        ) : (
          <>
            {rows[at]?.kind === 'path' ? (
              <Text dimColor wrap="truncate-end">
                why: {evidenceAt(rows[at]) || 'asked for by you'}
              </Text>
            ) : (
              <Text dimColor>{unknownNote(state, rows[at]) ?? `a adds a path to this target${state.scan.engineProblem === undefined ? '; d finds them by running it' : ''}`}</Text>
            )}
            {state.scan.engineProblem !== undefined && <Text dimColor>Static mode: discover by running it (d) needs a container engine.</Text>}
            {state.note && <Text color="yellow" wrap="truncate-end">{state.note}</Text>}
          </>
        )}
      </Box>
    </Box>
  );
}
