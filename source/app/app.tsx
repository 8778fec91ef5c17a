import {Box, Text, useApp, useInput} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import {Header} from './components/Header.js';
import {eachKey} from './components/keys.js';
import {HelpPanel} from './components/HelpPanel.js';
import {hintsLines, KeyHints, type Hint} from './components/KeyHints.js';
import {useTerminalSize} from './components/use-terminal-size.js';
import {wrapText} from './components/window.js';
import {DockerfileScreen} from './screens/DockerfileScreen.js';
import {ExtrasScreen} from './screens/ExtrasScreen.js';
import {FailedScreen} from './screens/FailedScreen.js';
import {FindingsScreen} from './screens/FindingsScreen.js';
import {hintsFor} from './screens/hints.js';
import {HostScreen} from './screens/HostScreen.js';
import {PathsScreen} from './screens/PathsScreen.js';
import {ReviewScreen} from './screens/ReviewScreen.js';
import {ScanScreen} from './screens/ScanScreen.js';
import type {ScreenProps} from './screens/screen.js';
import {exitSummary} from './screens/summary-lines.js';
import {SummaryScreen} from './screens/SummaryScreen.js';
import {TargetsScreen} from './screens/TargetsScreen.js';
import {VerifyScreen} from './screens/VerifyScreen.js';
import {WritingScreen} from './screens/WritingScreen.js';
import type {WizardServices} from './services.js';
import {lessons} from './wizard/lessons.js';
import type {WizardState} from './wizard/state.js';
import {useWizard} from './wizard/use-wizard.js';

export interface AppProps {
  /** The project directory to scan. */
  dir: string;
  services: WizardServices;
  /** Workshop mode (`harden demo`): one lesson line per step. */
  lesson?: boolean;
  /**
   * Called once, when the wizard is done and nothing is running any more: the exit code,
   * and the plain summary to leave on the terminal after Ink cleared its frame.
   */
  onExit: (code: number, summary: string) => void;
}

type Common = Omit<ScreenProps<WizardState>, 'state'>;

/** The screen of each step. */
function screenFor(state: WizardState, common: Common, bases: readonly string[]) {
  switch (state.step) {
    case 'scanning': return <ScanScreen {...common} state={state} />;
    case 'targets': return <TargetsScreen {...common} state={state} />;
    case 'findings': return <FindingsScreen {...common} state={state} />;
    case 'paths': return <PathsScreen {...common} state={state} />;
    case 'dockerfile': return <DockerfileScreen {...common} state={state} bases={bases} />;
    case 'review': return <ReviewScreen {...common} state={state} />;
    case 'writing': return <WritingScreen {...common} state={state} />;
    case 'verifying': return <VerifyScreen {...common} state={state} />;
    case 'extras': return <ExtrasScreen {...common} state={state} />;
    case 'host': return <HostScreen {...common} state={state} />;
    case 'summary': return <SummaryScreen {...common} state={state} />;
    case 'failed': return <FailedScreen {...common} state={state} />;
  }
}

/** The wizard: header, the screen of the current step, and the footer of its keys. */
export function App({dir, services, lesson, onExit}: AppProps) {
  const {state, dispatch, busy} = useWizard(dir, services);
  const {columns, rows} = useTerminalSize();
  const {exit} = useApp();
  const [help, setHelp] = useState(false);
  const leaving = state.exit !== undefined;
  const scan = 'scan' in state ? state.scan : undefined;
  const bases = useMemo(() => (scan ? (services.runtimeBases?.(scan) ?? []) : []), [scan, services]);

  const left = useRef(false);
  const leave = (code: number) => {
    if (left.current) return;
    left.current = true;
    onExit(code, exitSummary(state, columns));
    exit();
  };
  // Quitting waits for the running side effect to notice the abort and clean up its containers.
  useEffect(() => {
    if (state.exit !== undefined && !busy) leave(state.exit);
  }, [state.exit, busy]);
  useInput(
    eachKey((input, key) => {
      if (key.ctrl && input === 'c') {
        if (leaving) leave(130);
        else dispatch({type: 'quit'});
      } else if (help && (key.escape || input === '?' || input === 'q')) setHelp(false);
    }),
  );

  // One row short of the terminal: a frame as tall as the screen makes Ink clear it on every render.
  // One column short too: no text is laid out in the last column, so a line that reaches it
  // was clipped at the frame's edge, and the end-to-end test can tell (only '…' and borders may end there).
  const frame = Math.max(40, columns);
  const width = frame - 1;
  const height = Math.max(12, rows - 1);
  const lessonLines = lesson ? wrapText(`✎ ${lessons[state.step]}`, width, 2) : [];
  const hints: Hint[] = leaving ? [{keys: 'Ctrl-C', label: 'quit now'}] : help ? [{keys: 'esc/?', label: 'close help'}] : hintsFor(state);
  const footer = hintsLines(hints, width);
  // Gone: an empty last frame, so the plain summary printed after it is all the terminal keeps.
  if (leaving && !busy) return null;
  const body = height - 2 - footer - lessonLines.length;
  const common: Common = {dispatch, width, height: body, active: !help && !leaving, onHelp: () => setHelp(true)};

  return (
    <Box flexDirection="column" width={frame} height={height}>
      <Header state={state} width={width} />
      {lessonLines.map((line, i) => (
        <Text key={i} color="magenta">
          {line}
        </Text>
      ))}
      <Box flexDirection="column" marginTop={1} width={width} height={body} overflowY="hidden">
        {leaving ? (
          <Text>Stopping: removing what harden started…</Text>
        ) : help ? (
          <HelpPanel screen={hintsFor(state)} width={width} />
        ) : (
          screenFor(state, common, bases)
        )}
      </Box>
      <KeyHints hints={hints} width={width} />
    </Box>
  );
}
