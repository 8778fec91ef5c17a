import {Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import {FilePreview, useFilePreview} from '../components/FilePreview.js';
import type {Hint} from '../components/KeyHints.js';
import {daemonCommand, plural} from '../components/labels.js';
import {SeverityBadge} from '../components/SeverityBadge.js';
import {useSyncedState} from '../components/use-synced-state.js';
import {ScrollPane, usePaneScroll} from '../components/ScrollPane.js';
import {clamp, windowStart, wrapLine, wrapText} from '../components/window.js';
import type {HostState} from '../wizard/state.js';
import {backHint, commonHints, step, useScreenKeys, type ScreenProps} from './screen.js';

/** c copies templates/host into the project until it did. */
const canCopy = (state: HostState) => (state.check?.templates?.length ?? 0) > 0 && !(state.check?.copied && 'written' in state.check.copied);

export function hostHints(state: HostState): Hint[] {
  const copy = canCopy(state) ? [{keys: 'c', label: 'copy host notes'}] : [];
  switch (state.phase) {
    case 'shown': {
      const offer = state.check?.daemonPatch && !(state.check.daemon && 'written' in state.check.daemon) ? [{keys: 'd', label: 'daemon.json change'}] : [];
      return [{keys: '↑↓/jk', label: 'finding'}, {keys: 'PgUp/PgDn', label: 'its text'}, ...offer, ...copy, {keys: 'enter', label: 'summary'}, backHint, ...commonHints];
    }
    case 'confirm':
      return [{keys: 'jk/PgUp/PgDn', label: 'scroll'}, {keys: 'y', label: 'write it'}, {keys: 'n/esc', label: 'leave it as it is'}, ...commonHints];
    case 'done':
      return [{keys: '↑↓/jk', label: 'finding'}, {keys: 'PgUp/PgDn', label: 'its text'}, ...copy, {keys: 'enter', label: 'summary'}, backHint, ...commonHints];
    default:
      return commonHints.slice();
  }
}

/**
 * Step 10: the host under the containers (`harden audit --host`): its findings, and the
 * daemon.json change, shown as a diff and written only after y.
 */
export function HostScreen(props: ScreenProps<HostState>) {
  const {state, dispatch, width, height} = props;
  const check = state.check;
  const findings = check?.findings ?? [];
  const [cursor, setCursor] = useSyncedState(0);
  // Shown under its own absolute name: the patch's path is relative to the project (../../etc/docker/daemon.json).
  const patch = check?.daemonPatch && check.daemonFile ? {...check.daemonPatch, file: check.daemonFile} : check?.daemonPatch;
  const preview = useFilePreview(patch ? [patch] : [], Math.max(1, height - 4), () => check?.daemonBefore);
  const selected = findings[clamp(cursor, findings.length)];
  const detail = selected ? wrapText(selected.message, width) : [];
  const detailHeight = Math.max(3, Math.floor(height / 2) - 1);
  const detailScroll = usePaneScroll(detail.length, detailHeight, `${clamp(cursor, findings.length)}`);

  useScreenKeys(props, (input, key) => {
    if (state.phase === 'confirm') {
      if (preview.onKey(input, key)) return true;
      if (input === 'y') dispatch({type: 'confirmDaemon'});
      else if (input === 'n') dispatch({type: 'back'});
      else return false;
      return true;
    }
    if (state.phase !== 'shown' && state.phase !== 'done') return false;
    if (detailScroll.onKey(input, key)) return true;
    const move = step(input, key);
    if (move !== 0) setCursor(c => clamp(c + move, findings.length));
    else if (input === 'd') dispatch({type: 'offerDaemon'});
    else if (input === 'c') dispatch({type: 'copyTemplates'});
    else if (key.return) dispatch({type: 'next'});
    else return false;
    return true;
  });

  if (state.phase === 'reading' || !check) return <Spinner label="Reading the engine's settings, daemon.json, os-release and the mount table…" />;
  if (state.phase === 'writing') return <Spinner label={`Writing ${check.daemonFile} (with a backup)…`} />;
  if (state.phase === 'copying') return <Spinner label="Copying the host notes into the project…" />;
  if (state.phase === 'confirm' && patch) {
    return (
      <Box flexDirection="column">
        <Text bold wrap="truncate-end">
          Write {check.daemonFile}? Your keys and formatting stay; only these lines are added.
        </Text>
        <FilePreview files={[patch]} skipped={new Set()} preview={preview} page={Math.max(1, height - 4)} width={width} />
      </Box>
    );
  }

  const daemon = check.daemon;
  const footer: Array<{text: string; color?: string}> = [];
  if (daemon && 'written' in daemon) {
    footer.push({text: `Wrote ${check.daemonFile}${daemon.backupId ? ` (harden undo restores backup ${daemon.backupId})` : ''}.`, color: 'green'});
    footer.push({text: 'Reload the daemon (systemctl reload docker) so live-restore keeps containers running, then restart it for no-new-privileges.'});
  } else if (daemon) {
    footer.push({text: `Could not write ${check.daemonFile}: ${daemon.error}`, color: 'red'});
    footer.push({text: `As root: ${daemonCommand(check.daemonFile ?? '/etc/docker/daemon.json')}`});
  } else if (patch) {
    footer.push({text: `d: the change that adds what ${check.daemonFile} lacks, written only after you confirm.`, color: 'cyan'});
  } else if (check.daemonFile) footer.push({text: `${check.daemonFile} already sets no-new-privileges and live-restore.`, color: 'green'});
  const copied = check.copied;
  if (copied && 'written' in copied) footer.push({text: `Copied ${copied.written.join(', ')}${copied.backupId ? ` (backup ${copied.backupId})` : ''}.`, color: 'green'});
  else if (copied) footer.push({text: `Could not copy the host notes: ${copied.error}`, color: 'red'});
  else if (canCopy(state)) footer.push({text: 'c: copy the daemon.json fragment and the immutable-OS and Kubernetes-node notes into harden-host/.'});
  for (const error of check.errors) footer.push({text: `could not check: ${error.file}${error.line > 0 ? `:${error.line}` : ''}: ${error.message}`, color: 'yellow'});

  const footerLines = footer.flatMap(line => wrapLine(line.text, width, 2).map(text => ({...line, text})));
  const detailRows = Math.min(detail.length, detailHeight);
  const rows = Math.max(1, height - 2 - detailRows - footerLines.length);
  const start = windowStart(cursor, findings.length, rows);
  return (
    <Box flexDirection="column">
      <Text>
        The host under the containers: {findings.length === 0 ? <Text color="green">no findings</Text> : plural(findings.length, 'finding')}.
      </Text>
      {findings.slice(start, start + rows).map((finding, i) => (
        <Box key={`${finding.rule}:${start + i}`}>
          <Text color={start + i === cursor ? 'cyan' : undefined}>{start + i === cursor ? '› ' : '  '}</Text>
          <SeverityBadge severity={finding.severity} />
          <Text bold={start + i === cursor} wrap="truncate-end">
            {' '}
            {finding.rule} <Text dimColor>{finding.file}</Text>
          </Text>
        </Box>
      ))}
      <Box flexDirection="column" marginTop={1}>
        <ScrollPane lines={detail.map(text => ({text, dim: true}))} height={detailHeight} offset={detailScroll.offset} />
      </Box>
      {footerLines.map((line, i) => (
        <Text key={i} color={line.color} wrap="truncate-end">
          {line.text}
        </Text>
      ))}
    </Box>
  );
}
