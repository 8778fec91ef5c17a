import {posix} from 'node:path';
import {DockerfileParser, type Instruction} from 'dockerfile-ast';
import type {AuditError} from '../model/finding.js';
import type {DockerfileFacts, Parsed, Stage} from '../model/facts.js';
import {parseImageRef} from './image-ref.js';
import {stageWriteHints} from './dockerfile-hints.js';

/** Instructions BuildKit accepts; anything else fails `docker build`. */
const known = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/** Parses a Dockerfile into stages, reporting what `docker build` would reject, with lines. */
export function parseDockerfile(file: string, text: string): Parsed<DockerfileFacts> {
  const errors: AuditError[] = [];
  const error = (line: number, message: string) => errors.push({file, line, message});
  const dockerfile = DockerfileParser.parse(text);
  const escape = dockerfile.getEscapeCharacter();
  const instructions = dockerfile.getInstructions();
  if (instructions.length === 0) {
    error(1, 'no instructions: a Dockerfile needs at least a FROM line');
    return {facts: null, errors};
  }
  const args = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    for (const property of arg.getProperties()) args.set(property.getName(), property.getValue() ?? '');
  }

  const stages: Stage[] = [];
  let stage: Stage | undefined;
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    const line = instruction.getRange().start.line + 1;
    if (!known.has(keyword)) {
      error(line, `unknown instruction "${instruction.getInstruction()}": Docker would refuse to build this file; check the spelling`);
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

function newStage(instruction: Instruction, stages: Stage[], args: Map<string, string>, line: number): Stage {
  const from = instruction as unknown as {getImage(): string | null; getBuildStage(): string | null};
  const image = substitute(from.getImage() ?? '', args);
  const name = from.getBuildStage()?.toLowerCase();
  const stage: Stage = {index: stages.length, line, from: null, volumes: [], runs: [], env: [], command: [], copies: [], writeHints: []};
  if (name) stage.name = name;
  const earlier = stages.find(s => s.name !== undefined && s.name === image.toLowerCase());
  if (earlier) stage.fromStage = earlier.index;
  else if (image.toLowerCase() !== 'scratch') stage.from = parseImageRef(image, line);
  return stage;
}

/** Expands `$VAR`, `${VAR}` and `${VAR:-default}` from the ARGs declared before the first FROM. */
function substitute(text: string, args: Map<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced, fallback, bare) => {
    const value = args.get(braced ?? bare);
    if (value !== undefined && value !== '') return value;
    return fallback ?? whole;
  });
}

function readInstruction(
  stage: Stage,
  instruction: Instruction,
  keyword: string,
  line: number,
  escape: string,
  error: (line: number, message: string) => void,
): void {
  const content = joinContinuations(instruction.getArgumentsContent() ?? '', escape);
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
      const env = instruction as unknown as {getProperties(): Array<{getName(): string; getValue(): string | null}>};
      for (const property of env.getProperties()) {
        const value = property.getValue();
        if (value === null) error(line, `ENV ${property.getName()} has no value: write ENV ${property.getName()}=value`);
        else stage.env.push({key: property.getName(), value, line});
      }
      break;
    }
  }
}

/** The last operand of COPY/ADD (flags and heredocs aside), made absolute against WORKDIR. */
function copyDestination(content: string, workdir: string | undefined): string | undefined {
  const text = content.split(/\r?\n/)[0]!.trim();
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

function joinContinuations(text: string, escape: string): string {
  const marker = escape === '`' ? '`' : '\\\\';
  // CRLF to LF too: a heredoc body keeps its line ends, and facts must not depend on them.
  return text.replace(new RegExp(`${marker}[ \\t]*\\r?\\n`, 'g'), ' ').replace(/\r\n/g, '\n');
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
