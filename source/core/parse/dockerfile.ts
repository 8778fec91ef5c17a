import {posix} from 'node:path';
import type {AuditError} from '../model/finding.js';
import type {DockerfileFacts, Parsed, Stage} from '../model/facts.js';
import {parseImageRef} from './image-ref.js';
import {firstLoneCr} from './line-breaks.js';
import {lineAt} from './text.js';
import {stageWriteHints} from './dockerfile-hints.js';
import {astView, scanDockerfile, type DockerfileView, type InstructionView} from './dockerfile-view.js';
import {expandArgs, metaArgs, type MetaArgs} from './dockerfile-args.js';

/** Instructions BuildKit accepts; anything else fails `docker build`. */
const known = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/**
 * Parses a Dockerfile into stages, reporting what `docker build` would reject, with lines.
 * A plain file is read by the line scanner, anything else by dockerfile-ast (dockerfile-view.ts).
 */
export function parseDockerfile(file: string, text: string): Parsed<DockerfileFacts> {
  const crError = loneCrError(file, text);
  return crError ? {facts: null, errors: [crError]} : factsOf(file, scanDockerfile(text) ?? astView(text));
}

/** parseDockerfile through dockerfile-ast alone, the scanner's reference (tests, and the bench's unoptimised path). */
export function parseDockerfileAst(file: string, text: string): Parsed<DockerfileFacts> {
  const crError = loneCrError(file, text);
  return crError ? {facts: null, errors: [crError]} : factsOf(file, astView(text));
}

/**
 * A lone CR (classic Mac OS line ends) breaks the line for dockerfile-ast but not for docker
 * build: BuildKit's parser splits lines at LF only (bufio.ScanLines) and takes a CR inside a
 * line for a space, so `FROM node:20\rUSER app` is one FROM with three words to it. Such a
 * file is refused, located, rather than audited and patched as Docker does not read it.
 */
export function loneCrError(file: string, text: string): AuditError | undefined {
  const at = firstLoneCr(text);
  if (at < 0) return undefined;
  return {file, line: lineAt(text, at), message: 'a lone CR (a classic Mac OS line break) ends this line, and docker build breaks lines only at LF (a lone CR is a space to it), so it would not read this file as harden does: save the file with LF line endings'};
}

function factsOf(file: string, dockerfile: DockerfileView): Parsed<DockerfileFacts> {
  const errors: AuditError[] = [];
  const error = (line: number, message: string) => errors.push({file, line, message});
  const {escape, instructions} = dockerfile;
  if (instructions.length === 0) {
    error(1, 'no instructions: a Dockerfile needs at least a FROM line');
    return {facts: null, errors};
  }
  const args = metaArgs(dockerfile.initialArgs);

  const stages: Stage[] = [];
  let stage: Stage | undefined;
  for (const instruction of instructions) {
    const {keyword, line} = instruction;
    if (!known.has(keyword)) {
      error(line, `unknown instruction "${instruction.instruction}": Docker would refuse to build this file; check the spelling`);
      continue;
    }
    if (keyword === 'FROM') {
      stage = newStage(instruction, stages, args, line);
      stages.push(stage);
      continue;
    }
    if (!stage) {
      if (keyword !== 'ARG') error(line, `${keyword} before the first FROM: only ARG may come before FROM`);
      continue;
    }
    readInstruction(stage, instruction, keyword, line, escape, error);
  }
  if (stages.length === 0) {
    // One clear error: without any FROM, "X before the first FROM" on each line says the same thing.
    return {facts: null, errors: [...errors.filter(e => !e.message.includes('before the first FROM')), {file, line: 1, message: 'no FROM instruction: every Dockerfile must start a stage with FROM'}]};
  }
  for (const s of stages) s.writeHints = stageWriteHints(s);
  return {facts: {file, stages}, errors};
}

function newStage(instruction: InstructionView, stages: Stage[], args: MetaArgs, line: number): Stage {
  const image = expandArgs(instruction.image ?? '', args);
  const name = instruction.stage?.toLowerCase();
  const stage: Stage = {index: stages.length, line, from: null, volumes: [], runs: [], env: [], command: [], copies: [], writeHints: []};
  if (name) stage.name = name;
  const earlier = stages.find(s => s.name !== undefined && s.name === image.toLowerCase());
  if (earlier) stage.fromStage = earlier.index;
  else if (image.toLowerCase() !== 'scratch') stage.from = parseImageRef(image, line);
  return stage;
}

function readInstruction(
  stage: Stage,
  instruction: InstructionView,
  keyword: string,
  line: number,
  escape: string,
  error: (line: number, message: string) => void,
): void {
  const content = joinContinuations(instruction.content, escape);
  switch (keyword) {
    case 'USER':
      stage.user = {value: content.trim(), line};
      break;
    case 'WORKDIR': {
      // A relative WORKDIR is relative to the one before it, as in `docker build`.
      const dir = content.trim();
      const value = dir.startsWith('/') || dir.includes('$') || /^[a-zA-Z]:[\\/]/.test(dir) ? dir : posix.join(stage.workdir?.value ?? '/', dir);
      stage.workdir = {value, line};
      break;
    }
    case 'RUN':
      stage.runs.push(stage.workdir ? {value: content, line, workdir: stage.workdir.value} : {value: content, line});
      break;
    case 'CMD':
    case 'ENTRYPOINT':
      checkJsonForm(content, keyword, line, error);
      stage.command.push({value: content, line});
      break;
    case 'COPY':
    case 'ADD': {
      const destination = copyDestination(content, stage.workdir?.value);
      if (destination) stage.copies.push({value: destination, line});
      break;
    }
    case 'VOLUME':
      for (const path of volumePaths(content)) stage.volumes.push({value: path, line});
      break;
    case 'ENV': {
      for (const {name, value} of instruction.properties ?? []) {
        if (value === null) error(line, `ENV ${name} has no value: write ENV ${name}=value`);
        else stage.env.push({key: name, value, line});
      }
      break;
    }
  }
}

/** The last operand of COPY/ADD (flags and heredocs aside), made absolute against WORKDIR. */
function copyDestination(content: string, workdir: string | undefined): string | undefined {
  const end = content.indexOf('\n');
  const text = (end < 0 ? content : content.slice(0, end > 0 && content[end - 1] === '\r' ? end - 1 : end)).trim();
  let operands: string[];
  if (text.startsWith('[')) {
    try {
      operands = (JSON.parse(text) as unknown[]).filter((o): o is string => typeof o === 'string');
    } catch {
      return undefined;
    }
  } else {
    operands = text.split(/\s+/).filter(word => word && !word.startsWith('--') && !word.startsWith('<<'));
  }
  const destination = operands.at(-1);
  if (operands.length < 2 || destination === undefined || destination.includes('$')) return undefined;
  if (destination.startsWith('/')) return posix.normalize(destination);
  return posix.normalize(posix.join(workdir ?? '/', destination));
}

/** An escaped line end, for each escape character (the directive allows only these two). */
const continuations = {'`': /`[ \t]*\r?\n/g, '\\': /\\[ \t]*\r?\n/g};

function joinContinuations(text: string, escape: string): string {
  // Most instructions are one line: nothing to join.
  if (!text.includes('\n')) return text;
  // CRLF to LF too: a heredoc body keeps its line ends, and facts must not depend on them.
  return text.replace(escape === '`' ? continuations['`'] : continuations['\\'], ' ').replace(/\r\n/g, '\n');
}

/** `[...]` that parses as JSON must be an array of strings, as BuildKit requires. */
function checkJsonForm(content: string, keyword: string, line: number, error: (line: number, message: string) => void): void {
  const trimmed = content.trim();
  if (!trimmed.startsWith('[')) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return; // BuildKit runs an unparsable [...] as a shell command; so do we.
  }
  if (!Array.isArray(parsed) || !parsed.every(item => typeof item === 'string')) {
    error(line, `${keyword} in JSON form must be an array of strings, like ["node", "server.js"]`);
  }
}

function volumePaths(content: string): string[] {
  const trimmed = content.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.filter((p): p is string => typeof p === 'string');
    } catch {
      // fall through: shell form
    }
  }
  return trimmed.split(/\s+/).filter(Boolean);
}
