import {imageDefaultUser, isRootUser} from '../../knowledge/well-known-images.js';
import {parseDockerfile} from '../../parse/dockerfile.js';
import {dockerfileUser, effectiveBase, upToStage} from '../../rules/effective.js';
import {applyEdits} from '../text-edit.js';
import {continuationAtEnd, endsInContinuation, layOut, sourceOf} from './layout.js';
import {runtimeBases, type RuntimeBases} from '../../knowledge/runtime-bases.js';
import {describeRuntime} from '../../knowledge/runtime-choice.js';
import {planUser} from './user.js';
import {verify} from './verify.js';
import {writableDirs, writableLines} from './writable.js';

/** The new text, or why the file is left alone. */
export type AddUserResult = {ok: true; text: string; user: string; notes: string[]} | {ok: false; reason: string; line?: number};

/**
 * Adds `USER` to the final stage of a Dockerfile that runs as root (or to the stage named
 * `stage`, which a compose `build.target` builds): before its first CMD/ENTRYPOINT (and the
 * comments above it), or at the stage's end. Creates the user where the image lacks a named
 * one, and the directories the Dockerfile says the app writes, owned by it. Without `user`:
 * the image's own non-root user, else a new `app`.
 */
export function addUser(file: string, text: string, user?: string, options: {bases?: RuntimeBases; stage?: string} = {}): AddUserResult {
  const bases = options.bases ?? runtimeBases;
  const parsed = parseDockerfile(file, text);
  const error = parsed.errors[0];
  if (!parsed.facts || error) return {ok: false, reason: `the file has errors Docker would reject; fix them first: ${error?.message}`, ...(error?.line ? {line: error.line} : {})};
  const whole = parsed.facts;
  const index = options.stage === undefined ? whole.stages.length - 1 : whole.stages.findIndex(s => s.name === options.stage);
  if (index < 0) return {ok: false, reason: `the Dockerfile has no stage named ${options.stage}`};
  const facts = upToStage(whole, options.stage);
  const base = effectiveBase(facts);
  const current = dockerfileUser(facts)?.value ?? (base === null ? 'root' : imageDefaultUser(base) ?? 'root');
  if (!isRootUser(current)) return {ok: false, reason: facts.stages.length > 1 ? 'already multi-stage' : 'already non-root'};

  const image = base === null ? 'scratch' : base.raw;
  const runtime = describeRuntime(bases, image);
  const plan = planUser(bases, runtime, image, user);
  if (!plan.ok) return {ok: false, reason: plan.reason};
  const layout = layOut(text);
  const final = layout.instructions.filter(i => i.stage === index);
  const stage = facts.stages.at(-1)!;
  const dirs = writableDirs(stage, final.filter(p => p.keyword === 'VOLUME'), runtime.user?.home);
  const notes = [...plan.notes];
  if (dirs.length > 0 && !runtime.shell) notes.push(`${image} has no shell to create ${dirs.join(', ')} for the user: mount a tmpfs or volume there`);
  const lines = [
    ...(plan.create ? [plan.create] : []),
    ...(runtime.shell ? writableLines(dirs, plan.owner) : []),
    plan.comment,
    `USER ${plan.value}`,
  ];
  const command = final.find(p => p.keyword === 'CMD' || p.keyword === 'ENTRYPOINT');
  const eol = layout.eol;
  // A stage before the last gets its lines after its own last instruction's line.
  const last = index < layout.stageCount - 1 ? final.at(-1) : undefined;
  let edit;
  if (command) edit = {start: command.blockStart, end: command.blockStart, text: lines.join(eol) + eol};
  else if (last) edit = {start: last.next, end: last.next, text: lines.join(eol) + eol};
  else if (endsInContinuation(layout)) return {ok: false, reason: continuationAtEnd, line: layout.instructions.at(-1)!.line};
  else edit = {start: text.length, end: text.length, text: (/(\r\n|\n|\r)$/.test(text) || text === '' ? '' : eol) + lines.join(eol) + eol};
  const output = applyEdits(text, [edit]);

  const finalImage = stage.from?.raw ?? (stage.fromStage === undefined ? 'scratch' : `stage ${stage.fromStage}`);
  const kept = Array.from({length: layout.stageCount}, (_, index) => layout.instructions.filter(i => i.stage === index).map(i => sourceOf(layout, i)));
  const failure = verify(file, layout, output, {
    stages: layout.stageCount, kept, finalImage, user: plan.value, moved: [], judged: index,
    preamble: text.slice(0, layout.instructions.find(i => i.keyword === 'FROM')?.blockStart ?? 0),
  });
  if (failure) return {ok: false, reason: `adding USER did not verify, so the file is left alone (a bug in harden): ${failure}`};
  return {ok: true, text: output, user: plan.value, notes};
}
