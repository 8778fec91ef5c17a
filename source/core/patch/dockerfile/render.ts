import type {CopyLine} from './artifacts.js';
import {parseArgv, healthcheckArgv} from './command.js';
import type {Probe} from './health.js';
import {sourceOf, type Layout, type Placed} from './layout.js';

/*
 * Text of the new runtime stage. Instructions moved from the builder keep their bytes
 * and the comment lines directly above them; only a shell-form command that must run
 * where there is no shell (distroless) is rewritten into exec form, and a HEALTHCHECK probe
 * the runtime cannot run gets a new command after its options (health.ts). The user is
 * created before WORKDIR: a WORKDIR inside the new user's home would otherwise make that
 * home root's, and useradd leaves an existing home as it is.
 */

/** Everything the runtime stage is made of. */
export interface RuntimeStage {
  /** The builder's stage name as written (`builder`, or the file's own). */
  builderName: string;
  /** `--platform=...` of the builder when it is a fixed platform, else ''. */
  platform: string;
  image: string;
  /** A comment line saying what this stage is. */
  header: string;
  /** ARG lines the copied ENVs refer to. */
  args: string[];
  workdir?: string;
  /** ENV instructions of the builder, as written. */
  env: Placed[];
  createUser?: string;
  copies: CopyLine[];
  /** A comment line above the COPY lines. */
  copyComment?: string;
  /** HEALTHCHECKs to write with a new command. */
  probes?: ReadonlyMap<Placed, Probe>;
  /** mkdir/chown lines for the directories the app writes. */
  writable: string[];
  moved: Placed[];
  /** Rewrite shell-form CMD/ENTRYPOINT/HEALTHCHECK into exec form (the runtime has no shell). */
  execForm: boolean;
  user: {comment: string; value: string};
}

/** The runtime stage's text, lines joined with the file's line ending, ending with one. */
export function renderRuntimeStage(layout: Layout, stage: RuntimeStage): string {
  const lines: string[] = [stage.header, `FROM ${stage.platform}${stage.image}`, ...stage.args];
  if (stage.createUser) lines.push(stage.createUser);
  if (stage.workdir !== undefined) lines.push(`WORKDIR ${stage.workdir}`);
  for (const env of stage.env) lines.push(sourceOf(layout, env));
  if (stage.copyComment && stage.copies.length > 0) lines.push(stage.copyComment);
  for (const copy of stage.copies) {
    const chown = copy.chown === undefined ? '' : ` --chown=${copy.chown}`;
    lines.push(`COPY --from=${stage.builderName}${chown} ${copy.sources.join(' ')} ${copy.to}`);
  }
  lines.push(...stage.writable);
  const firstCommand = stage.moved.findIndex(m => m.keyword === 'CMD' || m.keyword === 'ENTRYPOINT');
  stage.moved.forEach((placed, index) => {
    if (index === firstCommand) lines.push(stage.user.comment, `USER ${stage.user.value}`);
    lines.push(movedText(layout, placed, stage.execForm, stage.probes?.get(placed)));
  });
  if (firstCommand < 0) lines.push(stage.user.comment, `USER ${stage.user.value}`);
  return lines.join(layout.eol) + layout.eol;
}

/** A moved instruction with its comment block, as written, in exec form where required, or with its new probe. */
function movedText(layout: Layout, placed: Placed, execForm: boolean, probe?: Probe): string {
  const comments = layout.text.slice(placed.blockStart, placed.start);
  const source = sourceOf(layout, placed);
  if (probe) {
    // The options and the line breaks before CMD stay; the command after it is the probe.
    const head = /^([\s\S]*?\bCMD\s+)/i.exec(source)![1]!;
    return `${comments}${probe.comment}${layout.eol}${head}${probe.command}`;
  }
  return comments + (execForm ? toExecForm(placed, source) : source);
}

/** `CMD /app/server --port 80` -> `CMD ["/app/server", "--port", "80"]`; callers checked it is plain. */
export function toExecForm(placed: Placed, source: string): string {
  const json = (words: readonly string[]) => `[${words.map(w => JSON.stringify(w)).join(', ')}]`;
  if (placed.keyword === 'CMD' || placed.keyword === 'ENTRYPOINT') {
    const argv = parseArgv(placed.args);
    return argv.shell ? `${placed.node.getInstruction()} ${json(argv.words)}` : source;
  }
  if (placed.keyword === 'HEALTHCHECK') {
    const argv = healthcheckArgv(placed.args);
    const match = /^([\s\S]*?\bCMD\s+)/i.exec(source);
    return argv?.shell && match ? `${match[1]}${json(argv.words)}` : source;
  }
  return source;
}

/** The comment line above the runtime FROM. */
export function headerComment(image: string): string {
  return `# harden: runtime stage on ${image}: only what the app runs, no build tools, not root`;
}
