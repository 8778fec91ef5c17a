import type {Hint} from '../components/KeyHints.js';
import type {WizardState} from '../wizard/state.js';
import {dockerfileHints} from './DockerfileScreen.js';
import {extrasHints} from './ExtrasScreen.js';
import {failedHints} from './FailedScreen.js';
import {findingsHints} from './FindingsScreen.js';
import {hostHints} from './HostScreen.js';
import {pathsHints} from './PathsScreen.js';
import {reviewHints} from './ReviewScreen.js';
import {scanHints} from './ScanScreen.js';
import {summaryHints} from './SummaryScreen.js';
import {targetsHints} from './TargetsScreen.js';
import {verifyHints} from './VerifyScreen.js';
import {writingHints} from './WritingScreen.js';

/** The footer of each step: the keys its screen handles. */
export function hintsFor(state: WizardState): Hint[] {
  switch (state.step) {
    case 'scanning': return scanHints();
    case 'targets': return targetsHints();
    case 'findings': return findingsHints(state);
    case 'paths': return pathsHints(state);
    case 'dockerfile': return dockerfileHints(state);
    case 'review': return reviewHints(state);
    case 'writing': return writingHints(state);
    case 'verifying': return verifyHints(state);
    case 'extras': return extrasHints(state);
    case 'host': return hostHints(state);
    case 'summary': return summaryHints(state);
    case 'failed': return failedHints(state);
  }
}
