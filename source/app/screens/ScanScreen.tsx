import {Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import type {Hint} from '../components/KeyHints.js';
import type {ScanningState} from '../wizard/state.js';
import {commonHints, useScreenKeys, type ScreenProps} from './screen.js';

export function scanHints(): Hint[] {
  return [...commonHints];
}

/** Step 1: a spinner and live counts while project files and local containers are found. */
export function ScanScreen(props: ScreenProps<ScanningState>) {
  const {state} = props;
  useScreenKeys(props, () => false);
  const {files, targets, containers} = state.progress;
  return (
    <Box flexDirection="column" gap={1}>
      <Spinner label={state.resume ? `Scanning ${state.dir} again: the files changed on disk` : `Scanning ${state.dir}`} />
      <Text>
        <Text bold>{files}</Text> files · <Text bold>{targets}</Text> targets · <Text bold>{containers}</Text> running containers
      </Text>
      <Text dimColor>Dockerfiles, compose files and Kubernetes manifests in the project; containers from the local engine.</Text>
    </Box>
  );
}
