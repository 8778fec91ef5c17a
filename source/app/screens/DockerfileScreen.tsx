import {Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import type {Hint} from '../components/KeyHints.js';
import {useSyncedState} from '../components/use-synced-state.js';
import {clamp, cut} from '../components/window.js';
import {dockerfileTargets} from '../wizard/choices.js';
import type {DockerfileChoice, DockerfileState} from '../wizard/state.js';
import {backHint, commonHints, step, useScreenKeys, type ScreenProps} from './screen.js';

export function dockerfileHints(): Hint[] {
  return [{keys: '↑↓/jk', label: 'move'}, {keys: 'space', label: 'preview'}, {keys: 'enter', label: 'choose, review'}, backHint, ...commonHints];
}

function optionsOf(bases: readonly string[]): Array<{choice: DockerfileChoice; label: string}> {
  return [
    {choice: {kind: 'proposed'}, label: 'Multi-stage, runtime base from the template table (proposed)'},
    ...bases.map(image => ({choice: {kind: 'base', image} as DockerfileChoice, label: `Multi-stage, runtime base ${image}`})),
    {choice: {kind: 'single-stage'}, label: 'Keep single-stage (build tools stay in the image)'},
  ];
}

const same = (a: DockerfileChoice, b: DockerfileChoice) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Step 5: the proposed multi-stage rewrite of each single-stage Dockerfile, with its runtime
 * base and user; another base from the table, or single-stage. The choice is `--runtime-base`
 * or leaving out single-stage-build, so it holds for every Dockerfile, as in `harden fix`.
 */
/** The proof as it runs: what it builds and runs now, the last lines of its output. */
function Proving({lines, width}: {lines: readonly string[]; width: number}) {
  return (
    <Box flexDirection="column">
      <Spinner label="Proving the rewrite by running it: the original and the rewrite are built and run with no network…" />
      {lines.slice(-8).map((line, index) => (
        <Text key={index} dimColor>
          {cut(`  ${line}`, width)}
        </Text>
      ))}
      <Text dimColor>{cut('  esc goes back and stops it; enter goes on without it (the Verify step still runs what is written)', width)}</Text>
    </Box>
  );
}

/** What the original and the rewrite answered, in two columns. */
function SideBySide({original, rewrite, width}: {original: string; rewrite: string | undefined; width: number}) {
  const column = Math.max(10, Math.floor((width - 4) / 2));
  return (
    <Box>
      <Box width={column + 2} paddingLeft={2}>
        <Text>{cut(`original: ${original}`, column - 2)}</Text>
      </Box>
      <Box width={column}>
        <Text>{cut(`rewrite: ${rewrite ?? 'did not run'}`, column)}</Text>
      </Box>
    </Box>
  );
}

export function DockerfileScreen(props: ScreenProps<DockerfileState> & {bases: readonly string[]}) {
  const {state, dispatch, width} = props;
  const options = optionsOf(props.bases);
  const [cursor, setCursor, currentCursor] = useSyncedState(Math.max(0, options.findIndex(o => same(o.choice, state.choices.dockerfile))));
  const at = clamp(cursor, options.length);

  useScreenKeys(props, (input, key) => {
    // While the proof runs the choices are hidden: enter goes on without it, esc (common keys) goes back.
    if (state.proving) {
      if (!key.return) return false;
      dispatch({type: 'next'});
      return true;
    }
    const move = step(input, key);
    const option = options[clamp(currentCursor(), options.length)];
    if (move !== 0) setCursor(c => clamp(clamp(c, options.length) + move, options.length));
    else if (input === ' ' && option) dispatch({type: 'chooseDockerfile', choice: option.choice});
    else if (key.return && option) {
      dispatch({type: 'chooseDockerfile', choice: option.choice});
      dispatch({type: 'next'});
    } else return false;
    return true;
  });

  const targets = dockerfileTargets(state.scan, state.choices.selected);
  if (state.proving) return <Proving lines={state.proving.lines} width={width} />;
  const outcome = state.choices.proof?.outcome;
  return (
    <Box flexDirection="column">
      {targets.map(target => {
        const plan = state.plan?.targets.find(t => t.target.id === target.id);
        const change = plan?.changes.find(c => c.kind === 'multi-stage');
        const skipped = plan?.skipped.find(s => s.rule === 'single-stage-build');
        const decision = outcome && 'proofs' in outcome ? outcome.proofs.get(target.file) : undefined;
        return (
          <Box key={target.id} flexDirection="column" marginBottom={1}>
            <Text bold>{target.file}</Text>
            {!state.plan ? (
              <Spinner label="Planning the rewrite…" />
            ) : change?.kind === 'multi-stage' ? (
              <>
                <Text>
                  {'  '}builder stage keeps the build; runtime stage <Text color="green">FROM {change.runtimeBase}</Text>, <Text color="green">USER {change.user}</Text>
                </Text>
                {change.proof.status === 'proven' ? (
                  <Text color="green">{cut(`  ✓ proven by running: ${change.proof.detail}`, width * 2 - 4)}</Text>
                ) : (
                  <Text color="yellow">{cut(`  not run: ${change.proof.detail}`, width * 2 - 4)}</Text>
                )}
                {decision?.answers && <SideBySide original={decision.answers.original} rewrite={decision.answers.rewrite} width={width} />}
                <Text dimColor>
                  {'  '}
                  {cut(change.reason.replace(/; (proven by running|not run): .*$/, ''), width * 2 - 8)}
                </Text>
              </>
            ) : decision?.kind === 'refused' ? (
              <>
                <Text color="yellow">{cut(`  ✗ not written: ${decision.reason}`, width * 3 - 8)}</Text>
                {decision.answers && <SideBySide original={decision.answers.original} rewrite={decision.answers.rewrite} width={width} />}
              </>
            ) : state.choices.dockerfile.kind === 'single-stage' ? (
              <Text color="yellow">{'  '}stays single-stage: compilers and sources ship in the image that runs</Text>
            ) : (
              <Text color="yellow" wrap="truncate-end">
                {'  '}not rewritten: {skipped?.reason ?? 'nothing to change'}
              </Text>
            )}
          </Box>
        );
      })}
      {options.map((option, index) => {
        const chosen = same(option.choice, state.choices.dockerfile);
        return (
          <Text key={option.label} wrap="truncate-end">
            <Text color="cyan">{index === at ? '› ' : '  '}</Text>
            <Text color={chosen ? 'green' : undefined}>{chosen ? '(•) ' : '( ) '}</Text>
            <Text bold={index === at}>{option.label}</Text>
          </Text>
        );
      })}
      {props.bases.length === 0 && <Text dimColor>No other runtime bases are known for this project.</Text>}
    </Box>
  );
}
