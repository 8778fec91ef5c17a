import {Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import {FilePreview, useFilePreview} from '../components/FilePreview.js';
import type {Hint} from '../components/KeyHints.js';
import {useSyncedState} from '../components/use-synced-state.js';
import {ScrollPane, usePaneScroll, type PaneLine} from '../components/ScrollPane.js';
import {clamp, cut, wrapText} from '../components/window.js';
import {dockerfileTargets} from '../wizard/choices.js';
import type {DockerfileChoice, DockerfileState} from '../wizard/state.js';
import {backHint, commonHints, step, useScreenKeys, type ScreenProps} from './screen.js';

export function dockerfileHints(state: DockerfileState): Hint[] {
  if (state.preview && !state.proving) return [{keys: 'jk/PgUp/PgDn', label: 'scroll'}, {keys: 'space/esc', label: 'close preview'}, {keys: 'enter', label: 'choose, review'}, {keys: 'q', label: 'quit'}];
  return [{keys: '↑↓/jk', label: 'move'}, {keys: 'space', label: 'preview'}, {keys: 'PgUp/PgDn', label: 'text'}, {keys: 'enter', label: 'choose, review'}, backHint, ...commonHints];
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

/** What the original and the rewrite answered, in two columns, each cut with an ellipsis. */
function sideBySide(original: string, rewrite: string | undefined, width: number): string {
  const column = Math.max(10, Math.floor((width - 4) / 2));
  return `  ${cut(`original: ${original}`, column - 2).padEnd(column)}${cut(`rewrite: ${rewrite ?? 'did not run'}`, column)}`;
}

/** What becomes of each Dockerfile, as lines for a scrolling pane: long reasons wrap, never cut. */
function targetLines(state: DockerfileState, width: number): PaneLine[] {
  const out: PaneLine[] = [];
  const outcome = state.choices.proof?.outcome;
  const wrap = (text: string, style: Omit<PaneLine, 'text'> = {}) => wrapText(text, width, 4).forEach(line => out.push({...style, text: line}));
  for (const target of dockerfileTargets(state.scan, state.choices.selected)) {
    if (out.length > 0) out.push({text: ''});
    out.push({text: target.file, bold: true});
    const plan = state.plan?.targets.find(t => t.target.id === target.id);
    const change = plan?.changes.find(c => c.kind === 'multi-stage');
    const skipped = plan?.skipped.find(s => s.rule === 'single-stage-build');
    const decision = outcome && 'proofs' in outcome ? outcome.proofs.get(target.file) : undefined;
    if (change?.kind === 'multi-stage') {
      wrap(`  builder keeps the build; runtime stage FROM ${change.runtimeBase}, USER ${change.user}`, {color: 'green'});
      if (change.proof.status === 'proven') wrap(`  ✓ proven by running: ${change.proof.detail}`, {color: 'green'});
      else wrap(`  not run: ${change.proof.detail}`, {color: 'yellow'});
      if (decision?.answers) out.push({text: sideBySide(decision.answers.original, decision.answers.rewrite, width)});
      wrap(`  ${change.reason.replace(/; (proven by running|not run): .*$/, '')}`, {dim: true});
    } else if (decision?.kind === 'refused') {
      wrap(`  ✗ not written: ${decision.reason}`, {color: 'yellow'});
      if (decision.answers) out.push({text: sideBySide(decision.answers.original, decision.answers.rewrite, width)});
    } else if (state.choices.dockerfile.kind === 'single-stage') wrap('  stays single-stage: compilers and sources ship in the image that runs', {color: 'yellow'});
    else wrap(`  not rewritten: ${skipped?.reason ?? 'nothing to change'}`, {color: 'yellow'});
  }
  return out;
}

export function DockerfileScreen(props: ScreenProps<DockerfileState> & {bases: readonly string[]}) {
  const {state, dispatch, width} = props;
  const options = optionsOf(props.bases);
  const [cursor, setCursor, currentCursor] = useSyncedState(Math.max(0, options.findIndex(o => same(o.choice, state.choices.dockerfile))));
  const at = clamp(cursor, options.length);

  const previewing = state.preview === true;
  const dockerfiles = new Set(dockerfileTargets(state.scan, state.choices.selected).map(t => t.file));
  const files = (state.plan?.files ?? []).filter(f => dockerfiles.has(f.file));
  const page = Math.max(1, props.height - 3);
  const preview = useFilePreview(files, page, patch => state.scan.files.find(f => f.file === patch.file)?.text);
  const lines = targetLines(state, width);
  const paneHeight = Math.max(3, props.height - options.length - 2 - (props.bases.length === 0 ? 1 : 0));
  const pane = usePaneScroll(lines.length, paneHeight, 'dockerfile');

  useScreenKeys(props, (input, key) => {
    // While the proof runs the choices are hidden: enter goes on without it, esc (common keys) goes back.
    if (state.proving) {
      if (!key.return) return false;
      dispatch({type: 'next'});
      return true;
    }
    const option = options[clamp(currentCursor(), options.length)];
    // The preview: the diff scrolls; space or esc closes it, enter chooses as on the list.
    if (previewing && !key.return) {
      if (input === ' ') dispatch({type: 'togglePreview'});
      else if (!preview.onKey(input, key)) return false;
      return true;
    }
    if (pane.onKey(input, key)) return true;
    const move = step(input, key);
    if (move !== 0) setCursor(c => clamp(clamp(c, options.length) + move, options.length));
    else if (input === ' ' && option) {
      dispatch({type: 'chooseDockerfile', choice: option.choice});
      dispatch({type: 'togglePreview'});
    } else if (key.return && option) {
      dispatch({type: 'chooseDockerfile', choice: option.choice});
      dispatch({type: 'next'});
    } else return false;
    return true;
  });

  if (state.proving) return <Proving lines={state.proving.lines} width={width} />;
  if (previewing) {
    if (!state.plan) return <Spinner label="Planning the rewrite…" />;
    if (files.length === 0) return <Text>{cut(`${options[at]?.label ?? ''}: the Dockerfile stays as it is; space goes back to the choices.`, width * 2)}</Text>;
    return (
      <Box flexDirection="column">
        <Text dimColor wrap="truncate-end">
          Preview of {options[at]?.label}
        </Text>
        <FilePreview files={files} skipped={new Set()} preview={preview} page={page} width={width} />
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      {state.plan ? <ScrollPane lines={lines} height={paneHeight} offset={pane.offset} /> : <Spinner label="Planning the rewrite…" />}
      <Text> </Text>
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
