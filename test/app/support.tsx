import {createHash} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import {join, relative, sep} from 'node:path';
import {Box} from 'ink';
import {render} from 'ink-testing-library';
import type {ReactElement} from 'react';
import {vi} from 'vitest';
import type {WizardServices, ScanResult} from '../../source/app/services.js';
import {reduce, initialState} from '../../source/app/wizard/machine.js';
import type {WizardAction, WizardState} from '../../source/app/wizard/state.js';
import {analyzeFiles, type LoadedFile} from '../../source/core/audit.js';
import {classify} from '../../source/core/discover/classify.js';
import type {FixOptions} from '../../source/core/plan/options.js';
import {buildPlan} from '../../source/core/plan/build.js';
import type {ScreenProps} from '../../source/app/screens/screen.js';
import {fixOptionsFor, scopeScan} from '../../source/app/wizard/choices.js';

export const demoDir = join(import.meta.dirname, '..', '..', 'templates', 'demo');

export const hardenedDir = join(import.meta.dirname, '..', 'fixtures', 'projects', 'hardened');

/** The project files of a directory, as display path to text. */
export function readProject(dir: string): Map<string, string> {
  const texts = new Map<string, string>();
  for (const entry of readdirSync(dir, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile() || !classify(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    texts.set(relative(dir, path).split(sep).join('/'), readFileSync(path, 'utf8'));
  }
  return texts;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A scan of these texts, audited by the real core, as the real scan would. */
export function scanTexts(dir: string, texts: ReadonlyMap<string, string>, engineProblem?: string): ScanResult {
  const files: LoadedFile[] = [...texts]
    .map(([file, text]) => ({file, type: classify(file.split('/').at(-1)!)!, text, sha256: sha256(text), bom: false}))
    .sort((a, b) => (a.file < b.file ? -1 : 1));
  const scan: ScanResult = {dir, analysis: analyzeFiles(files, {version: '0.0.0-test'}), files};
  if (engineProblem !== undefined) scan.engineProblem = engineProblem;
  return scan;
}

/** The demo project (templates/demo) read with node:fs and audited by the real core. */
export function demoScan(options: {engineProblem?: string} = {}): ScanResult {
  return scanTexts(demoDir, readProject(demoDir), options.engineProblem);
}

/** Services where every required member the test did not give throws, so nothing runs by accident. */
export function fakeServices(given: Partial<WizardServices> = {}): WizardServices {
  return new Proxy(given as WizardServices, {
    get(target, name: string | symbol) {
      if (name in target) return target[name as keyof WizardServices];
      // Optional members a test did not give are absent, as in a session that has none.
      if (name === 'runtimeBases' || name === 'prove' || typeof name === 'symbol' || name === 'then') return undefined;
      return () => {
        throw new Error(`fake services: ${name} was not expected in this test`);
      };
    },
  });
}

/** Applies actions in order from the first state: tests build the state of any step this way. */
export function run(actions: readonly WizardAction[], from: WizardState = initialState('/project')): WizardState {
  return actions.reduce(reduce, from);
}

/** A screen's state, narrowed to its step (fails the test when the actions led elsewhere). */
export function at<S extends WizardState['step']>(state: WizardState, step: S): Extract<WizardState, {step: S}> {
  if (state.step !== step) throw new Error(`expected step ${step}, got ${state.step}`);
  return state as Extract<WizardState, {step: S}>;
}

/** Renders at a fixed terminal size: 80x24 unless told. */
export function renderAt(tree: ReactElement, columns = 80, rows = 24) {
  const result = render(tree);
  resize(result.stdout, columns, rows);
  return result;
}

export function resize(stdout: NodeJS.EventEmitter, columns: number, rows: number): void {
  Object.defineProperty(stdout, 'columns', {value: columns, configurable: true});
  Object.defineProperty(stdout, 'rows', {value: rows, configurable: true});
  stdout.emit('resize');
}

/** Polls the last frame until it holds `text` (or the test fails with the frame it saw). */
export async function waitFor(lastFrame: () => string | undefined, text: string | RegExp, timeout = 1500): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (typeof text === 'string' ? frame.includes(text) : text.test(frame)) {
      await settle();
      return frame;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; last frame:\n${frame}`);
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}

/**
 * Lets React run the effects of the frame just drawn: a screen subscribes to keys in an
 * effect, after its first frame is written, and a key sent before that is lost.
 */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise(resolve => setImmediate(resolve));
}

/** Waits until a condition on anything holds (a call was recorded, a promise settled). */
export async function until(check: () => boolean, timeout = 1500): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}

/** A dispatch spy for screens rendered on their own. */
export function spyDispatch() {
  return vi.fn<(action: WizardAction) => void>();
}

/** Keys as a terminal sends them. */
export const keys = {
  enter: '\r',
  escape: '\u001B',
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  pageDown: '\u001B[6~',
  pageUp: '\u001B[5~',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

/** A promise with its resolve and reject, for fakes that finish when the test says. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {promise, resolve, reject};
}

/** The real planner, as the real services.plan runs it. */
export function realPlan(scan: ScanResult, options: FixOptions) {
  return buildPlan({analysis: scan.analysis, files: scan.files, cwd: scan.dir, version: '0.0.0-test'}, options);
}

/** A state of a session step with the plan the real planner makes for its choices. */
export function withPlan<S extends WizardState>(state: S): S {
  if (!('scan' in state)) return state;
  return reduce(state, {type: 'planned', plan: realPlan(scopeScan(state.scan, state.choices.selected), fixOptionsFor(state.choices))}) as S;
}

/** Renders one screen on its own at 80 columns, with a dispatch spy. */
export function renderScreen<S extends WizardState>(Screen: (props: ScreenProps<S>) => ReactElement | null, state: S, options: {height?: number; active?: boolean} = {}) {
  const dispatch = spyDispatch();
  const onHelp = vi.fn();
  // The app gives each screen a box this wide; Ink's own root is as wide as its stdout said at the start.
  const result = renderAt(
    <Box width={80}>
      <Screen state={state} dispatch={dispatch} width={80} height={options.height ?? 20} active={options.active ?? true} onHelp={onHelp} />
    </Box>,
  );
  return {...result, dispatch, onHelp};
}

/** Drives a rendered App from the targets to the review with enter, as a person keeping every proposal would. */
export async function enterToReview(app: {lastFrame: () => string | undefined; stdin: {write(data: string): void}}): Promise<string> {
  for (const [from, to] of [
    ['2/11 Targets', '3/11 Findings'],
    ['3/11 Findings', '4/11 Writable paths'],
    ['4/11 Writable paths', '5/11 Dockerfile'],
    ['5/11 Dockerfile', '6/11 Review'],
  ] as const) {
    await waitFor(app.lastFrame, from);
    if (to === '5/11 Dockerfile') await waitFor(app.lastFrame, '[x] /app/logs');
    if (to === '6/11 Review') await waitFor(app.lastFrame, 'runtime stage FROM');
    app.stdin.write(keys.enter);
    await waitFor(app.lastFrame, to);
  }
  return waitFor(app.lastFrame, 'File 1/');
}
