import {Box, Text} from 'ink';
import {useState} from 'react';
import {useSyncedState} from '../components/use-synced-state.js';
import type {Hint} from '../components/KeyHints.js';
import {kindLabel, plural, targetLabel, worst} from '../components/labels.js';
import {SeverityBadge} from '../components/SeverityBadge.js';
import {clamp, cut, windowStart, wrapText} from '../components/window.js';
import type {TargetsState} from '../wizard/state.js';
import {commonHints, step, useScreenKeys, type ScreenProps} from './screen.js';

export function targetsHints(): Hint[] {
  return [
    {keys: '↑↓/jk', label: 'move'},
    {keys: 'space', label: 'select'},
    {keys: 'a', label: 'all/none'},
    {keys: 'enter', label: 'findings'},
    ...commonHints,
  ];
}

/** Step 2: which Dockerfiles, services and containers to harden; those with no findings are marked hardened. */
export function TargetsScreen(props: ScreenProps<TargetsState>) {
  const {state, dispatch, width, height} = props;
  const {targets, findings} = state.scan.analysis.report;
  const [cursor, setCursor, currentCursor] = useSyncedState(0);
  const [note, setNote] = useState<string>();
  const selected = new Set(state.choices.selected);

  useScreenKeys(props, (input, key) => {
    const move = step(input, key);
    if (move !== 0) setCursor(c => clamp(c + move, targets.length));
    else if (input === ' ' && targets[currentCursor()]) dispatch({type: 'toggleTarget', id: targets[currentCursor()]!.id});
    else if (input === 'a') dispatch({type: 'setTargets', ids: selected.size === targets.length ? [] : targets.map(t => t.id)});
    else if (key.return) {
      if (selected.size === 0) setNote('choose at least one target (space)');
      dispatch({type: 'next'});
    } else return false;
    return true;
  });

  const top = [
    state.scan.engineProblem !== undefined ? (
      <Text key="static" color="yellow" wrap="truncate-end">
        No container engine: {state.scan.engineProblem}. Static mode: discovery and verification are off.
      </Text>
    ) : null,
    <Text key="count">
      {plural(targets.length, 'target')} found; <Text bold>{selected.size}</Text> selected to harden.
    </Text>,
  ].filter(Boolean);
  // The target under the cursor in full: a long name is cut in the list.
  const current = targets[clamp(cursor, targets.length)];
  const detail = current ? wrapText(`${targetLabel(current)} (${kindLabel(current.kind)})`, width, 2) : [];
  const rows = Math.max(1, height - top.length - 3 - detail.length);
  const start = windowStart(cursor, targets.length, rows);
  const nameWidth = Math.max(12, width - 2 - 4 - 1 - 18 - 12 - 8);

  return (
    <Box flexDirection="column">
      {top}
      <Box flexDirection="column" marginTop={1}>
        {targets.length === 0 && <Text>No Dockerfile, compose file, manifest or running container was found here.</Text>}
        {targets.slice(start, start + rows).map((target, i) => {
          const index = start + i;
          const own = findings.filter(f => f.target === target.id);
          const severity = worst(own);
          return (
            <Box key={target.id}>
              <Text color={index === cursor ? 'cyan' : undefined}>{index === cursor ? '› ' : '  '}</Text>
              <Text>{selected.has(target.id) ? '[x] ' : '[ ] '}</Text>
              <Box width={nameWidth} marginRight={1}>
                <Text bold={index === cursor} wrap="truncate-middle">
                  {targetLabel(target)}
                </Text>
              </Box>
              <Box width={18}>
                <Text dimColor>{cut(kindLabel(target.kind), 17)}</Text>
              </Box>
              <Box width={12}>{own.length > 0 ? <Text>{plural(own.length, 'finding')}</Text> : <Text color="green">hardened</Text>}</Box>
              <Box width={8}>{severity ? <SeverityBadge severity={severity} /> : <Text color="green">✓</Text>}</Box>
            </Box>
          );
        })}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        {detail.map((line, i) => (
          <Text key={i} dimColor>
            {line}
          </Text>
        ))}
      </Box>
      {note && selected.size === 0 && <Text color="yellow">{note}</Text>}
    </Box>
  );
}
