import type {PlannedChange} from '../../model/plan.js';
import {parseKubernetes} from '../../parse/kubernetes.js';
import {dominantEol, loneCrAsLf, withEol} from '../../parse/line-breaks.js';
import {restoreBreaks} from '../restore-breaks.js';
import {eolOf} from '../text-edit.js';
import {locate, runSteps, type Piece} from './apply.js';
import {splitDocuments} from './documents.js';
import {readManifest} from './locate.js';
import {readOnlyMountSteps} from './read-only-mount.js';
import {securitySteps} from './security.js';
import type {ChangePlan} from './steps.js';
import {verifyPatch, type ContainerRef, type Expectation} from './verify.js';
import {writableSteps} from './writable.js';

/*
 * Patches Kubernetes manifests with surgical text edits (STYLE.md, "Editing people's
 * files"). Each edit is made on a fresh parse of the text so far, so edits never
 * overlap and every position is read from the source; a change is a group of steps
 * done all or none. The result is re-read as the audit reads it; any surprise and the
 * caller writes nothing.
 */

/** The changes for one container (or initContainer) of one workload. */
export interface ContainerChanges {
  /** Index of the YAML document in the file (K8sContainer.workload.document). */
  document: number;
  /** The workload, as the parser names it (metadata.name, else generateName). */
  workload: {kind: string; name: string};
  /** Container name. */
  container: string;
  /** True for an initContainer. */
  init: boolean;
  changes: readonly PlannedChange[];
}

/** What the patch did. */
export interface KubernetesPatchResult {
  /** The whole new text of the manifest. */
  text: string;
  /** New files to create beside the manifest, e.g. a PVC manifest: path relative like `file` (same directory), full text. */
  created: Array<{file: string; text: string}>;
  /** What was not done, or not fully, and why; `document` and `workload` tell containers of the same name apart. */
  /** Notes on changes made, and changes not made: those carry `notMade`, the change's kind and path, so the plan can take them back. */
  skipped: Array<{container: string; rule: string; what: string; reason: string; document: number; workload: {kind: string; name: string}; notMade?: {kind: string; path?: string}}>;
}

export type KubernetesPatch = {ok: true; result: KubernetesPatchResult} | {ok: false; error: {file: string; line: number; message: string}};

const helmMessage = 'Helm template: not patchable; render it (helm template) and apply the fix to the values or the chart';

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** What a change sets, for a skipped note. */
function describe(change: PlannedChange): string {
  switch (change.kind) {
    case 'read-only':
      return 'securityContext.readOnlyRootFilesystem: true';
    case 'no-new-privileges':
      return 'securityContext.allowPrivilegeEscalation: false';
    case 'cap-drop-all':
      return 'securityContext.capabilities.drop: [ALL]';
    case 'seccomp':
      return 'securityContext.seccompProfile.type: RuntimeDefault';
    case 'run-as':
      return 'securityContext.runAsNonRoot: true';
    case 'writable':
      return change.mount.path;
    default:
      return change.kind;
  }
}

/**
 * Several run-as changes for one container are one decision: merged (later ids win),
 * so the result does not depend on their order and a second run changes nothing.
 */
function mergeRunAs(changes: readonly PlannedChange[]): PlannedChange[] {
  const runAs = changes.filter(c => c.kind === 'run-as');
  if (runAs.length < 2) return [...changes];
  const merged = Object.assign({}, ...runAs) as PlannedChange;
  return changes.filter(c => c.kind !== 'run-as' || c === runAs[0]).map(c => (c === runAs[0] ? merged : c));
}

/**
 * The steps made, in order, to be seen in the patched text. A later `set` of the same
 * key of the same container replaces every earlier step there, as it does in the text;
 * found by key, since a manifest of thousands of containers has tens of thousands of steps.
 */
class Expectations {
  private readonly all: Array<Expectation | undefined> = [];
  private readonly at = new Map<string, number[]>();

  add(expectation: Expectation): void {
    const {ref, step} = expectation;
    const key = `${JSON.stringify(ref)}\0${step.at}\0${step.path.join('.')}`;
    const earlier = this.at.get(key) ?? [];
    if (step.kind === 'set') {
      for (const index of earlier) this.all[index] = undefined;
      earlier.length = 0;
    }
    earlier.push(this.all.length);
    this.at.set(key, earlier);
    this.all.push(expectation);
  }

  list(): Expectation[] {
    return this.all.filter((e): e is Expectation => e !== undefined);
  }
}

/**
 * Applies container changes to one manifest; pure, writes nothing. A manifest with lone CRs
 * for line breaks is patched as its LF copy, then given its own breaks back, and the files
 * it creates its most common line ending (restore-breaks.ts).
 */
export function patchKubernetes(file: string, text: string, changes: readonly ContainerChanges[], existingFiles: ReadonlySet<string> = new Set()): KubernetesPatch {
  const copy = loneCrAsLf(text);
  const patched = patchLf(file, copy, changes, existingFiles);
  if (copy === text || !patched.ok) return patched;
  const eol = dominantEol(text);
  const {result} = patched;
  return {ok: true, result: {...result, text: restoreBreaks(text, copy, result.text), created: result.created.map(c => ({...c, text: withEol(c.text, eol)}))}};
}

function patchLf(file: string, text: string, changes: readonly ContainerChanges[], existingFiles: ReadonlySet<string>): KubernetesPatch {
  const fail = (line: number, message: string): KubernetesPatch => ({ok: false, error: {file, line, message}});
  const helm = text.indexOf('{{');
  if (helm !== -1) return fail(lineAt(text, helm), helmMessage);
  const before = parseKubernetes(file, text);
  if (before.errors.length > 0 || !before.facts) return {ok: false, error: before.errors[0] ?? {file, line: 1, message: 'not a Kubernetes manifest'}};
  const initial = readManifest(text);
  const eol = eolOf(text);
  const result: KubernetesPatchResult = {text, created: [], skipped: []};
  const expectations = new Expectations();
  const createdFiles = new Set<string>();
  // One piece per document when the text cuts cleanly (documents.ts), else the whole text as one.
  const texts = splitDocuments(text);
  const whole = texts.length !== initial.docs.length;
  const pieces: Piece[] = whole ? [{text, first: 0, eol}] : texts.map((piece, first) => ({text: piece, first, eol}));

  for (const entry of changes) {
    const ref: ContainerRef = {document: entry.document, workload: entry.workload, container: entry.container, init: entry.init};
    const missing = () => fail(1, `${entry.init ? 'initContainer' : 'container'} ${entry.container} of ${entry.workload.kind} ${entry.workload.name} (document ${entry.document + 1}) is not in the file`);
    const piece = pieces[whole ? 0 : entry.document];
    if (!piece) return missing();
    const list = mergeRunAs(entry.changes);
    const runAs = list.find(c => c.kind === 'run-as');
    for (const change of list) {
      const skip = (what: string, reason: string) =>
        result.skipped.push({container: entry.container, rule: change.rule, what, reason, document: entry.document, workload: {...entry.workload}, notMade: {kind: change.kind, ...(change.kind === 'writable' ? {path: change.mount.path} : {})}});
      const located = locate(piece, ref);
      if (!located) return missing();
      if ('blocked' in located) {
        skip(describe(change), located.blocked);
        continue;
      }
      const input = {file, workload: located.workload, container: located.container, claims: initial.claims, existingFiles, eol, ...(runAs?.kind === 'run-as' ? {runAs} : {})};
      let plan: ChangePlan | {skip: string};
      if (change.kind === 'writable') plan = writableSteps(change, input);
      else if (change.kind === 'multi-stage' || change.kind === 'dockerfile-user') plan = {skip: 'a Dockerfile change; it does not apply to a Kubernetes manifest'};
      else if (change.kind === 'mount-read-only') plan = readOnlyMountSteps(change, input);
      else plan = securitySteps(change, input);
      if ('skip' in plan) {
        skip(describe(change), plan.skip);
        continue;
      }
      const outcome = runSteps(piece, ref, plan.steps);
      if ('conflict' in outcome) {
        skip(describe(change), outcome.conflict);
        continue;
      }
      piece.text = outcome.text;
      for (const note of plan.notes) result.skipped.push({container: entry.container, ...note, document: entry.document, workload: {...entry.workload}});
      for (const created of plan.created) {
        if (createdFiles.has(created.file)) continue;
        createdFiles.add(created.file);
        result.created.push(created);
      }
      for (const step of plan.steps) expectations.add({ref, step});
    }
  }

  result.text = pieces.map(piece => piece.text).join('');
  const problem = verifyPatch(file, {documents: initial.docs.length, containers: before.facts.containers}, result.text, expectations.list());
  if (problem) return fail(problem.line, problem.message);
  return {ok: true, result};
}
