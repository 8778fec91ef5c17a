import {createRequire} from 'node:module';
import type {DockerfileParser as Parser, Instruction} from 'dockerfile-ast';

/*
 * What the Dockerfile facts read from a parse, in one plain shape, from two sources:
 * dockerfile-ast, which handles everything Docker accepts, and scanDockerfile, a line
 * scanner for the plain files most projects have. The scanner answers only when the file
 * stays inside what it handles (no heredoc, no escape directive, no tab, CR or BOM, a
 * backslash only as a line's last character, ...) and gives up otherwise, so the caller
 * falls back to dockerfile-ast. Both give the same view: a property test generates
 * Dockerfiles full of the corner cases and compares them (test/core/parse/dockerfile-view.test.ts).
 * Measured on 3,000 generated Dockerfiles: dockerfile-ast 250 ms plus 160 ms for our calls
 * into it (each getter walks the arguments again), the scanner 30 ms.
 */

/** One instruction as the facts read it. */
export interface InstructionView {
  /** Upper-cased, as dockerfile-ast's getKeyword(). */
  keyword: string;
  /** As written, as getInstruction(). */
  instruction: string;
  /** 1-based line where it starts. */
  line: number;
  /** getArgumentsContent() ?? '' for the keywords whose text the facts use ({@link contentKeywords}); '' for the others. */
  content: string;
  /** ARG and ENV: getProperties(), as name and value (null when there is no `=`). */
  properties?: Array<{name: string; value: string | null}>;
  /** FROM: getImage() and getBuildStage(). */
  image?: string | null;
  stage?: string | null;
}

/** A parsed Dockerfile as the facts read it. */
export interface DockerfileView {
  escape: string;
  instructions: InstructionView[];
  /** The properties of the ARGs before the first FROM. */
  initialArgs: Array<{name: string; value: string | null}>;
}

/** Keywords whose argument text the facts read. */
export const contentKeywords: ReadonlySet<string> = new Set(['USER', 'WORKDIR', 'RUN', 'CMD', 'ENTRYPOINT', 'COPY', 'ADD', 'VOLUME']);
/** Keywords dockerfile-ast takes `--flags` from before the arguments. */
const flagKeywords = new Set(['RUN', 'COPY', 'ADD', 'FROM']);

/*
 * dockerfile-ast is loaded on first use, synchronously (it is CommonJS): an audit whose
 * Dockerfiles are all plain never loads it, nor its 85 kB of vscode-languageserver types.
 */
let parser: typeof Parser | undefined;
function dockerfileAst(): typeof Parser {
  parser ??= (createRequire(import.meta.url)('dockerfile-ast') as {DockerfileParser: typeof Parser}).DockerfileParser;
  return parser;
}

/** The view through dockerfile-ast: any Dockerfile. */
export function astView(text: string): DockerfileView {
  const dockerfile = dockerfileAst().parse(text);
  return {
    escape: dockerfile.getEscapeCharacter(),
    instructions: dockerfile.getInstructions().map(viewOf),
    initialArgs: dockerfile.getInitialARGs().flatMap(properties),
  };
}

function viewOf(instruction: Instruction): InstructionView {
  const keyword = instruction.getKeyword();
  const view: InstructionView = {
    keyword,
    instruction: instruction.getInstruction(),
    line: instruction.getRange().start.line + 1,
    content: contentKeywords.has(keyword) ? (instruction.getArgumentsContent() ?? '') : '',
  };
  if (keyword === 'ARG' || keyword === 'ENV') view.properties = properties(instruction);
  if (keyword === 'FROM') {
    const from = instruction as unknown as {getImage(): string | null; getBuildStage(): string | null};
    view.image = from.getImage();
    view.stage = from.getBuildStage();
  }
  return view;
}

function properties(instruction: Instruction): Array<{name: string; value: string | null}> {
  const withProperties = instruction as unknown as {getProperties(): Array<{getName(): string; getValue(): string | null}>};
  return withProperties.getProperties().map(p => ({name: p.getName(), value: p.getValue()}));
}

/** A property token the scanner reads itself: a plain name, then `=` and a value without quotes or escapes. */
const plainProperty = /^[A-Za-z_][A-Za-z0-9_]*(=[^ "'`\\]*)?$/;

/**
 * The view of a plain Dockerfile without dockerfile-ast, or undefined when the text uses
 * anything the scanner leaves to it.
 */
export function scanDockerfile(text: string): DockerfileView | undefined {
  if (/[\r\t`\uFEFF]|<</.test(text) || text.endsWith('\\')) return undefined;
  const lines = text.split('\n');
  // A backslash escapes only the line end here; anywhere else dockerfile-ast's rules apply.
  for (const line of lines) {
    const backslash = line.indexOf('\\');
    if (backslash >= 0 && backslash !== line.length - 1) return undefined;
  }
  // Parser directives lead the file as comments; only `escape` changes how it parses.
  for (const line of lines) {
    const trimmed = trimSpaces(line);
    if (!trimmed.startsWith('#')) break;
    if (/escape/i.test(trimmed)) return undefined;
  }
  const instructions: InstructionView[] = [];
  const initialArgs: DockerfileView['initialArgs'] = [];
  let seenFrom = false;
  for (let index = 0; index < lines.length;) {
    const start = index;
    const first = trimSpaces(lines[index++]!);
    if (first === '' || first.startsWith('#')) continue;
    const space = first.indexOf(' ');
    const word = space < 0 ? first : first.slice(0, space);
    if (word.endsWith('\\')) return undefined;
    const parts = [space < 0 ? '' : first.slice(space + 1)];
    while (parts[parts.length - 1]!.endsWith('\\')) {
      const next = lines[index++]!;
      const trimmed = trimSpaces(next);
      // Blank and comment lines inside a continuation, and one-character lines, follow rules of their own there.
      if (trimmed === '' || trimmed.startsWith('#') || next.length < 3) return undefined;
      parts[parts.length - 1] = parts[parts.length - 1]!.slice(0, -1);
      parts.push(next);
    }
    const multiline = parts.length > 1;
    const args = trimSpaces(parts.join(''));
    const keyword = word.toUpperCase();
    const view: InstructionView = {keyword, instruction: word, line: start + 1, content: ''};
    if (contentKeywords.has(keyword) || keyword === 'FROM') {
      let content = args;
      if (flagKeywords.has(keyword)) {
        const flags = leadingFlags(args);
        if (flags === undefined || (multiline && flags > 0)) return undefined;
        content = afterTokens(args, flags);
      }
      if (!balancedQuotes(args)) return undefined;
      if (keyword === 'FROM') {
        if (multiline || /["']/.test(content)) return undefined;
        const tokens = splitSpaces(content);
        view.image = tokens[0] ?? null;
        view.stage = tokens.length > 2 && tokens[1]!.toUpperCase() === 'AS' ? tokens[2]! : null;
        seenFrom = true;
      } else view.content = content;
    } else if (keyword === 'ARG' || keyword === 'ENV') {
      // Continued lines are read as one when a space ends each line before its backslash.
      if (parts.slice(0, -1).some(part => !part.endsWith(' '))) return undefined;
      const tokens = splitSpaces(args);
      if (!tokens.every(token => plainProperty.test(token))) return undefined;
      // `ENV KEY value` (no `=`) is the old form, which takes the rest of the line as the value.
      if (tokens.length > 1 && !tokens[0]!.includes('=')) return undefined;
      view.properties = tokens.map(token => {
        const equals = token.indexOf('=');
        return equals < 0 ? {name: token, value: null} : {name: token.slice(0, equals), value: token.slice(equals + 1)};
      });
      if (keyword === 'ARG' && !seenFrom) initialArgs.push(...view.properties);
    }
    instructions.push(view);
  }
  return {escape: '\\', instructions, initialArgs};
}

/**
 * How many `--flag` tokens lead the arguments, as dockerfile-ast counts them (up to the first
 * token without `--`); undefined where its tokens could differ from a split on spaces.
 */
function leadingFlags(args: string): number | undefined {
  let flags = 0;
  for (const token of splitSpaces(args)) {
    if (/["']/.test(token)) return undefined;
    if (!token.includes('--')) return flags;
    if (!token.startsWith('--')) return undefined;
    flags++;
  }
  return flags;
}

/** The text after the first `count` space-separated tokens. */
function afterTokens(text: string, count: number): string {
  let at = 0;
  for (let i = 0; i < count; i++) {
    while (text[at] === ' ') at++;
    while (at < text.length && text[at] !== ' ') at++;
  }
  return trimSpaces(text.slice(at));
}

/** Every quote closed: then an argument ends at the last non-space character, as the scanner assumes. */
function balancedQuotes(text: string): boolean {
  let quote = '';
  for (const char of text) {
    if (quote === '' && (char === '"' || char === "'")) quote = char;
    else if (char === quote) quote = '';
  }
  return quote === '';
}

/** Dockerfile whitespace (no tab here) is the space only: String.trim would take more. */
function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function splitSpaces(text: string): string[] {
  return text.split(' ').filter(Boolean);
}
