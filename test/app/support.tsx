import {createHash} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import {join, relative, sep} from 'node:path';
import {render} from 'ink-testing-library';
import type {ReactElement} from 'react';
import {vi} from 'vitest';
import type {WizardServices, ScanResult} from '../../source/app/services.js';
import {reduce, initialState} from '../../source/app/wizard/machine.js';
import type {WizardAction, WizardState} from '../../source/app/wizard/state.js';
import {analyzeFiles, type LoadedFile} from '../../source/core/audit.js';
import {classify} from '../../source/core/discover/classify.js';

export const demoDir = join(import.meta.dirname, '..', '..', 'templates', 'demo');

/** The demo project read with node:fs and audited by the real core, as the real scan would. */
export function demoScan(options: {engineProblem?: string; dir?: string} = {}): ScanResult {
  const files: LoadedFile[] = [];
  for (const entry of readdirSync(demoDir, {recursive: true, withFileTypes: true})) {
    const type = entry.isFile() ? classify(entry.name) : undefined;
    if (!type) continue;
    const bytes = readFileSync(join(entry.parentPath, entry.name));
    const file = relative(demoDir, join(entry.parentPath, entry.name)).split(sep).join('/');
    files.push({file, type, text: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex'), bom: false});
  }
  files.sort((a, b) => (a.file < b.file ? -1 : 1));
  const scan: ScanResult = {dir: options.dir ?? demoDir, analysis: analyzeFiles(files, {version: '0.0.0-test'}), files};
  if (options.engineProblem !== undefined) scan.engineProblem = options.engineProblem;
  return scan;
}

/** Services where every required member the test did not give throws, so nothing runs by accident. */
export function fakeServices(given: Partial<WizardServices> = {}): WizardServices {
  return new Proxy(given as WizardServices, {
    get(target, name: string | symbol) {
      if (name in target) return target[name as keyof WizardServices];
      if (name === 'runtimeBases' || typeof name === 'symbol' || name === 'then') return undefined;
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
