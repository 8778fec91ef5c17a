/**
 * What the integration tests share: the repository root, the package version, projects to audit,
 * a stand-in for `npx` and the README's snippets.
 *
 * Every integration runs the published package as `npx --yes harden-wizard@VERSION audit ...`.
 * The tests put {@link installFakeNpx}'s `npx` first on PATH instead of teaching the scripts a
 * test-only switch (say a HARDEN_CMD variable): the shipped scripts stay exactly as users get
 * them, and the fake checks the very npx line they form (the `--yes`, the pinned version) before
 * it runs this working tree's CLI, which an override variable would skip.
 */
import {execFile} from 'node:child_process';
import {chmod, cp, mkdir, mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** The root of the repository under test (not the process's cwd). */
export const root = fileURLToPath(new URL('../../', import.meta.url));

/** package.json's version, the one every integration pins. */
export async function packageVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {version: string};
  return pkg.version;
}

/** How a child process ended. */
export interface Run {
  /** Exit code; a signal counts as -1. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Runs a program to completion without a shell; a non-zero exit is a result, not an error. */
export function run(
  file: string,
  args: readonly string[],
  options: {cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number} = {},
): Promise<Run> {
  return new Promise(resolve => {
    execFile(
      file,
      args,
      {cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 32 * 1024 * 1024},
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({code, stdout: String(stdout), stderr: String(stderr)});
      },
    );
  });
}

/** One call the fake npx received, without the `--yes harden-wizard@VERSION` it checked. */
export type NpxCall = string[];

/** A directory with the fake `npx`, and what it was asked. */
export interface FakeNpx {
  /** Put this first on PATH. */
  binDir: string;
  /** The calls so far, in order. */
  calls(): Promise<NpxCall[]>;
}

/**
 * Writes an `npx` that accepts only `npx --yes harden-wizard@<version> ...`, records the rest of
 * the arguments and runs them with this working tree's `bin/harden.js`, passing its exit status
 * through. Anything else exits 127 with a message, as a missing package would fail.
 */
export async function installFakeNpx(dir: string, version: string): Promise<FakeNpx> {
  const binDir = join(dir, 'fake-bin');
  const log = join(dir, 'npx-calls.jsonl');
  await mkdir(binDir, {recursive: true});
  await writeFile(log, '');
  const script = `#!${process.execPath}
const {appendFileSync} = require('node:fs');
const {spawnSync} = require('node:child_process');
const [yes, spec, ...rest] = process.argv.slice(2);
if (yes !== '--yes' || spec !== ${JSON.stringify(`harden-wizard@${version}`)}) {
  console.error('fake npx: expected --yes harden-wizard@${version}, got ' + JSON.stringify(process.argv.slice(2)));
  process.exit(127);
}
appendFileSync(${JSON.stringify(log)}, JSON.stringify(rest) + '\\n');
const child = spawnSync(process.execPath, [${JSON.stringify(join(root, 'bin/harden.js'))}, ...rest], {stdio: 'inherit'});
process.exit(child.status ?? 1);
`;
  // CommonJS on purpose: the file has no extension, and node reads those as CommonJS.
  await writeFile(join(binDir, 'npx'), script);
  await chmod(join(binDir, 'npx'), 0o755);
  return {
    binDir,
    async calls() {
      const text = await readFile(log, 'utf8');
      return text.split('\n').filter(Boolean).map(line => JSON.parse(line) as NpxCall);
    },
  };
}

/**
 * A fresh temp directory holding `my app/` (the demo project: a root, single-stage Dockerfile,
 * a compose file and a Deployment with no hardening; the space is on purpose) and `clean/` (the
 * hardened fixture, no findings at all).
 */
export async function projects(prefix: string): Promise<{dir: string; unhardened: string; clean: string}> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const unhardened = join(dir, 'my app');
  const clean = join(dir, 'clean');
  await cp(join(root, 'templates/demo'), unhardened, {recursive: true});
  await cp(join(root, 'test/fixtures/projects/hardened'), clean, {recursive: true});
  return {dir, unhardened, clean};
}

/** A fenced block from README.md: its info string and its text, verbatim. */
export interface Snippet {
  /** The language after the opening fence (`yaml`, `sh`, ...). */
  lang: string;
  /** The lines between the fences, each ending in a newline. */
  text: string;
}

/**
 * The first fenced block under `### heading` in the README's `## Integrations` section. Throws
 * when the section, the heading or the block is missing, so a renamed heading fails the test.
 */
export async function readmeSnippet(heading: string): Promise<Snippet> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const section = /^## Integrations\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1];
  if (section === undefined) throw new Error('README.md has no "## Integrations" section');
  const start = section.search(new RegExp(`^### ${heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`, 'm'));
  if (start < 0) throw new Error(`README.md's Integrations section has no "### ${heading}"`);
  const rest = section.slice(start).split('\n').slice(1).join('\n');
  const block = /^```(\w*)\n([\s\S]*?)^```$/m.exec(rest.split(/^### /m)[0] ?? '');
  if (!block) throw new Error(`no fenced block under "### ${heading}" in README.md`);
  return {lang: block[1] ?? '', text: block[2] ?? ''};
}

/** The action-validator CLI from devDependencies; it picks action or workflow by the file name. */
export function actionValidator(file: string): Promise<Run> {
  return run(process.execPath, [join(root, 'node_modules/@action-validator/cli/cli.mjs'), file], {
    env: {...process.env, NO_COLOR: '1', FORCE_COLOR: '0'},
  });
}
