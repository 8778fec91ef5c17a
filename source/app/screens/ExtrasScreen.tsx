import {Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import {FilePreview, useFilePreview} from '../components/FilePreview.js';
import type {Hint} from '../components/KeyHints.js';
import {plural} from '../components/labels.js';
import {useSyncedState} from '../components/use-synced-state.js';
import {clamp, cut, wrapText} from '../components/window.js';
import {acceptedPlan} from '../wizard/choices.js';
import type {ExtrasChoice, ExtrasState} from '../wizard/state.js';
import {backHint, commonHints, step, useScreenKeys, type ScreenProps} from './screen.js';

interface Option {
  key: 'pin' | 'falco' | 'signing' | 'runConfigs';
  label: (choice: ExtrasChoice) => string;
  on: (choice: ExtrasChoice) => boolean;
  what: string;
}

const signingNames = {none: 'off', github: 'GitHub Actions', gitlab: 'GitLab CI'} as const;

/** The outputs of `fix --pin-digests`, `--falco`, `--signing` and `--containers`, in that order. */
const options: readonly Option[] = [
  {key: 'pin', label: () => 'Pin image digests', on: c => c.pin, what: 'name:tag@sha256:… for every image the engine has a digest of; never invented'},
  {key: 'falco', label: () => 'Falco drift rules', on: c => c.falco, what: 'falco/harden-drift-rules.yaml: alerts on writes outside the writable paths, new executables, chmod, mount'},
  {key: 'signing', label: c => `Signing: ${signingNames[c.signing]}`, on: c => c.signing !== 'none', what: 'cosign signing job for CI, and Kyverno and sigstore policies admitting only signed images'},
  {key: 'runConfigs', label: () => 'Run configs', on: c => c.runConfigs, what: 'hardened/: docker run script, compose file and Quadlet unit per running container'},
];

export function extrasHints(state: ExtrasState): Hint[] {
  switch (state.phase) {
    case 'choose':
      return [{keys: '↑↓/jk', label: 'move'}, {keys: 'space', label: 'switch'}, {keys: 'enter', label: anyOn(state.extras) ? 'make them' : 'skip to the host'}, backHint, ...commonHints];
    case 'preview': {
      const count = state.made ? acceptedPlan(state.made.plan, state.skipped).files.length : 0;
      const files = state.made && state.made.plan.files.length > 1 ? [{keys: '←→', label: 'file'}] : [];
      return [{keys: 'jk/PgUp/PgDn', label: 'scroll'}, ...files, {keys: 'y/n/space', label: 'accept/skip'}, {keys: 'enter', label: count > 0 ? `write ${plural(count, 'file')}` : 'host'}, backHint, ...commonHints];
    }
    case 'done':
      return [{keys: 'enter', label: 'host'}, backHint, ...commonHints];
    default:
      return commonHints.slice();
  }
}

const anyOn = (choice: ExtrasChoice) => options.some(o => o.on(choice));

/** Step 9: the optional outputs beyond read-only, each previewed as a diff before it is written. */
export function ExtrasScreen(props: ScreenProps<ExtrasState>) {
  const {state, dispatch, width, height} = props;
  const [cursor, setCursor, currentCursor] = useSyncedState(0);
  const files = state.made?.plan.files ?? [];
  const notes = state.made?.notes ?? [];
  const shownNotes = notes.slice(0, 3);
  const page = Math.max(1, height - 3 - shownNotes.length);
  const preview = useFilePreview(files, page, patch => state.made?.before[patch.file]);
  const skipped = new Set(state.skipped);
  const running = state.scan.analysis.subjects.filter(s => s.kind === 'container').length;

  useScreenKeys(props, (input, key) => {
    if (state.phase === 'choose') {
      const move = step(input, key);
      if (move !== 0) setCursor(c => clamp(c + move, options.length));
      else if (input === ' ') {
        const option = options[currentCursor()]!;
        dispatch(option.key === 'signing' ? {type: 'cycleSigning'} : {type: 'toggleExtra', extra: option.key});
      } else if (key.return) dispatch({type: 'next'});
      else return false;
      return true;
    }
    if (state.phase === 'preview') {
      if (preview.onKey(input, key) || preview.onDecide(input, skipped, (file, accepted) => dispatch({type: 'setFile', file, accepted}))) return true;
      if (!key.return) return false;
      dispatch({type: 'next'});
      return true;
    }
    if (state.phase === 'done' && key.return) {
      dispatch({type: 'next'});
      return true;
    }
    return false;
  });

  if (state.phase === 'planning') return <Spinner label="Making the chosen files…" />;
  if (state.phase === 'writing') return <Spinner label="Writing (atomically, with a backup)…" />;
  if (state.phase === 'done') {
    const extras = state.beyond?.extras;
    return (
      <Box flexDirection="column">
        <Text color="green" wrap="wrap">
          Wrote {extras?.written.join(', ')}.
        </Text>
        {extras?.backupId !== undefined && <Text color="cyan">Undo: harden undo restores backup {extras.backupId}.</Text>}
        {extras?.notes.slice(0, 4).map((note, i) => (
          <Text key={i} color="yellow" wrap="truncate-end">
            {note}
          </Text>
        ))}
      </Box>
    );
  }
  if (state.phase === 'preview') {
    return (
      <Box flexDirection="column">
        {shownNotes.map((note, i) => (
          <Text key={i} color="yellow" wrap="truncate-end">
            {note}
          </Text>
        ))}
        {notes.length > shownNotes.length && <Text dimColor>…and {plural(notes.length - shownNotes.length, 'more note')} in the summary</Text>}
        {files.length === 0 ? <Text>Nothing to write. Enter goes on to the host.</Text> : <FilePreview files={files} skipped={skipped} preview={preview} page={page} width={width} />}
      </Box>
    );
  }
  const labelWidth = 24;
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">Immutable also means the image is the one you built and drift gets noticed. Optional; each file is shown before it is written.</Text>
      <Box flexDirection="column" marginTop={1}>
        {options.map((option, i) => {
          const absent = option.key === 'runConfigs' && running === 0;
          return (
            <Box key={option.key}>
              <Text color={i === cursor ? 'cyan' : undefined}>{i === cursor ? '› ' : '  '}</Text>
              <Text>{option.on(state.extras) ? '[x] ' : '[ ] '}</Text>
              <Box width={labelWidth}>
                <Text bold={i === cursor}>{option.label(state.extras)}</Text>
              </Box>
              <Text dimColor wrap="truncate-end">
                {cut(absent ? 'no running container was found' : option.what, Math.max(10, width - labelWidth - 6))}
              </Text>
            </Box>
          );
        })}
      </Box>
      {running > 0 && <Text dimColor>{plural(running, 'running container')} found; run configs never stop or recreate them.</Text>}
      <Box flexDirection="column" marginTop={1}>
        {wrapText(options[clamp(cursor, options.length)]!.what, width, 2).map((line, i) => (
          <Text key={i} dimColor>
            {line}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
