import {cp, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parse, stringify} from 'yaml';
import {dockerRequired} from '../support/docker.js';
import {hasProgram} from '../support/programs.js';
import {installFakeNpx, packageVersion, readmeSnippet, root, run, type FakeNpx} from './harness.js';

/*
 * The hooks in .pre-commit-hooks.yaml run by the real pre-commit in a throwaway git repository:
 * `pre-commit try-repo` on this working tree (uncommitted hook edits included), and the README's
 * .pre-commit-config.yaml with only repo: and rev: pointed here. npx is the fake one, so the
 * hook's own npx line is what gets checked and run.
 *
 * Without pre-commit the suite skips with one line, except where CI or HARDEN_REQUIRE_DOCKER is
 * set (the same switch as the docker suites): there a missing tool must fail, not pass quietly.
 */

const available = hasProgram('pre-commit');
if (!available && dockerRequired()) {
  throw new Error('pre-commit is required in CI (apt-get install pre-commit); .ci/run installs it');
}
if (!available) console.warn('pre-commit hook tests skipped: pre-commit not found (apt-get install pre-commit)');

const unpinnedRootDockerfile = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n';
// Only a low finding: the tag is not a digest. harden-audit passes it, harden-audit-strict does not.
const lowOnlyDockerfile = 'FROM node:20-slim\nWORKDIR /app\nCOPY dist ./dist\nUSER 10001:10001\nCMD ["node", "dist/server.js"]\n';
const workflowYaml = 'name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n';

let dir: string;
let repo: string;
let npx: FakeNpx;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  if (!available) return;
  dir = await mkdtemp(join(tmpdir(), 'harden-pre-commit-'));
  repo = join(dir, 'project');
  npx = await installFakeNpx(dir, await packageVersion());
  env = {
    PATH: `${npx.binDir}:${process.env['PATH'] ?? ''}`,
    HOME: process.env['HOME'] ?? dir,
    PRE_COMMIT_HOME: join(dir, 'pre-commit-home'),
    // pre-commit colours its report only on a terminal; make sure.
    PRE_COMMIT_COLOR: 'never',
    GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com',
  };
  await mkdir(repo);
  await git('init', '-q');
  const files: Record<string, string> = {
    'Dockerfile': unpinnedRootDockerfile,
    'my app/Dockerfile': unpinnedRootDockerfile,
    'low/Dockerfile': lowOnlyDockerfile,
    'clean/Dockerfile.dockerignore': 'node_modules\n',
    'notes/random.yaml': 'title: shopping\nitems:\n  - bread\n  - milk\n',
    '.github/workflows/ci.yml': workflowYaml,
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(repo, path)), {recursive: true});
    await writeFile(join(repo, path), text);
  }
  await cp(join(root, 'test/fixtures/projects/hardened'), join(repo, 'clean'), {recursive: true});
  await git('add', '.');
}, 60_000);
afterAll(async () => {
  if (dir) await rm(dir, {recursive: true, force: true});
});

async function git(...args: string[]) {
  const result = await run('git', args, {cwd: repo, env});
  if (result.code !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** `pre-commit try-repo` on this working tree with one hook and these files. */
async function tryHook(hook: string, files: string[]) {
  const before = (await npx.calls()).length;
  const started = Date.now();
  const result = await run('pre-commit', ['try-repo', root, hook, '--files', ...files], {cwd: repo, env, timeoutMs: 180_000});
  const calls = (await npx.calls()).slice(before);
  return {...result, output: result.stdout + result.stderr, calls, ms: Date.now() - started};
}

/** The hook names the README's config snippet uses. */
async function snippetHooks(): Promise<string[]> {
  const config = parse((await readmeSnippet('pre-commit')).text) as {repos: Array<{hooks: Array<{id: string}>}>};
  return config.repos.flatMap(r => r.hooks.map(h => h.id));
}

describe.runIf(available)('pre-commit hooks', () => {
  it('harden-audit fails an unhardened Dockerfile, naming the file and the findings', async () => {
    const [hook] = await snippetHooks();
    expect(hook).toBe('harden-audit');
    const result = await tryHook(hook!, ['Dockerfile']);
    console.info(`pre-commit try-repo (clone, no install step) took ${result.ms} ms`);
    expect(result.output).toMatch(/harden audit\.+Failed/);
    expect(result.output).toMatch(/^MED {3}root-user: .*\n(?: {2}.*\n)*? {2}no USER, .*: Dockerfile:1$/m);
    expect(result.output).toContain('single-stage-build');
    expect(result.code).toBe(1);
    expect(result.calls).toEqual([['audit', '--fail-on=medium', '--', 'Dockerfile']]);
  });

  it('passes hardened files and skips other YAML; a Dockerfile.dockerignore is never passed', async () => {
    const files = ['clean/Dockerfile', 'clean/compose.yaml', 'clean/k8s/deployment.yaml', 'clean/k8s/verify-images.yaml',
      'clean/Dockerfile.dockerignore', 'notes/random.yaml', '.github/workflows/ci.yml'];
    const result = await tryHook('harden-audit', files);
    expect(result.output).toMatch(/harden audit\.+Passed/);
    expect(result.code).toBe(0);
    const passed = result.calls.flatMap(call => call.slice(call.indexOf('--') + 1)).sort();
    expect(passed).toEqual(files.filter(f => !f.endsWith('.dockerignore')).sort());
  });

  it('copes with a path with a space', async () => {
    const result = await tryHook('harden-audit', ['my app/Dockerfile']);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/^MED {3}root-user: .*\n(?: {2}.*\n)*? {2}no USER, [^\n]*:\n? +my app\/Dockerfile:1$/m);
  });

  it('harden-audit-strict fails on a low finding that harden-audit lets through', async () => {
    expect((await tryHook('harden-audit', ['low/Dockerfile'])).code).toBe(0);
    const strict = await tryHook('harden-audit-strict', ['low/Dockerfile']);
    expect(strict.code).toBe(1);
    expect(strict.output).toContain('mutable-image-ref');
  });

  it("runs the README's .pre-commit-config.yaml with repo and rev pointed at this repository", async () => {
    const snippet = parse((await readmeSnippet('pre-commit')).text) as {repos: Array<{repo: string; rev: string}>};
    const [entry] = snippet.repos;
    expect(entry?.repo).toMatch(/\/harden-wizard$/);
    expect(entry?.rev).toBe(`v${await packageVersion()}`);
    // pre-commit clones rev, so this runs the committed hooks (try-repo above covers edits).
    const head = (await run('git', ['rev-parse', 'HEAD'], {cwd: root})).stdout.trim();
    const config = {repos: snippet.repos.map(r => ({...r, repo: root, rev: head}))};
    await writeFile(join(repo, '.pre-commit-config.yaml'), stringify(config));
    await git('add', '.pre-commit-config.yaml');
    const fail = await run('pre-commit', ['run', '--files', 'Dockerfile'], {cwd: repo, env, timeoutMs: 180_000});
    expect(fail.stdout).toContain('root-user');
    expect(fail.code).toBe(1);
    const pass = await run('pre-commit', ['run', '--files', 'clean/Dockerfile', 'notes/random.yaml'], {cwd: repo, env, timeoutMs: 180_000});
    expect(pass.code).toBe(0);
    // Installed into PRE_COMMIT_HOME, not the user's cache.
    expect((await readFile(join(env['PRE_COMMIT_HOME']!, 'db.db'))).length).toBeGreaterThan(0);
  });
});
