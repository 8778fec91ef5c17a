import {access, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {actionValidator, installFakeNpx, packageVersion, projects, readmeSnippet, root, run, type FakeNpx} from './harness.js';

/*
 * action.yml checked by action-validator, then its shell step run for real: bash as GitHub runs a
 * `shell: bash` step, the step's env mapping evaluated from the inputs, GITHUB_STEP_SUMMARY in a
 * temp file, and the fake npx running this working tree's CLI.
 */

interface Action {
  inputs: Record<string, {default?: string}>;
  runs: {using: string; steps: Array<{shell?: string; env?: Record<string, string>; run?: string}>};
}

let action: Action;
let dir: string;
let clean: string;
let npx: FakeNpx;
let version: string;

beforeAll(async () => {
  action = parse(await readFile(join(root, 'action.yml'), 'utf8')) as Action;
  version = await packageVersion();
  ({dir, clean} = await projects('harden-action-'));
  npx = await installFakeNpx(dir, version);
});
afterAll(async () => {
  if (dir) await rm(dir, {recursive: true, force: true});
});

function step() {
  const [only] = action.runs.steps;
  if (!only?.run || !only.env) throw new Error('action.yml: expected one run step with an env mapping');
  return only as {shell: string; env: Record<string, string>; run: string};
}

/** The env mapping with each `${{ inputs.NAME }}` replaced by the given input or its default. */
function stepEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(step().env).map(([name, expression]) => {
      const input = /^\$\{\{\s*inputs\.([\w-]+)\s*\}\}$/.exec(expression)?.[1];
      if (!input || !(input in action.inputs)) throw new Error(`env ${name}: not a plain input expression: ${expression}`);
      return [name, inputs[input] ?? action.inputs[input]?.default ?? ''];
    }),
  );
}

/** Runs the step in `workspace` (the job's working directory) as GitHub would. */
async function runStep(workspace: string, inputs: Record<string, string>) {
  const work = await mkdtemp(join(dir, 'runner-'));
  const script = join(work, 'step.sh');
  const summary = join(work, 'step-summary.md');
  await writeFile(script, step().run);
  await writeFile(summary, '');
  // No report from an earlier run may pass for this one's.
  await rm(join(workspace, inputs['sarif-file'] ?? action.inputs['sarif-file']?.default ?? ''), {force: true});
  const before = (await npx.calls()).length;
  // GitHub's template for `shell: bash`.
  const result = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd: workspace,
    env: {
      PATH: `${npx.binDir}:${process.env['PATH'] ?? ''}`,
      HOME: process.env['HOME'] ?? work,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: work,
      ...stepEnv(inputs),
    },
  });
  const calls = (await npx.calls()).slice(before);
  return {...result, summary: await readFile(summary, 'utf8'), calls};
}

async function sarif(file: string) {
  return JSON.parse(await readFile(file, 'utf8')) as {version: string; runs: Array<{results: Array<{ruleId: string; locations: Array<{physicalLocation: {artifactLocation: {uri: string}}}>}>}>};
}

describe('action.yml', () => {
  it('is a valid composite action for action-validator, which refuses a broken one', async () => {
    expect(action.runs.using).toBe('composite');
    expect(step().shell).toBe('bash');
    const ok = await actionValidator(join(root, 'action.yml'));
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    // The validator really checks: the same action without `shell:` on its run step fails.
    const broken = join(await mkdtemp(join(dir, 'broken-')), 'action.yml');
    await writeFile(broken, (await readFile(join(root, 'action.yml'), 'utf8')).replace(/^ +shell: bash\n/m, ''));
    expect((await actionValidator(broken)).code).toBe(1);
  });

  it('pins the npm package to package.json version by default', () => {
    expect(action.inputs['version']?.default).toBe(version);
    expect(Object.keys(action.inputs).sort()).toEqual(['fail-on', 'format', 'paths', 'sarif-file', 'skip', 'version']);
    expect(action.inputs['skip']?.default).toBe('');
    expect(action.inputs['paths']?.default).toBe('.');
    expect(action.inputs['fail-on']?.default).toBe('high');
    expect(action.inputs['sarif-file']?.default).toBe('harden.sarif');
  });

  it('passes inputs only through env, never as expressions in the script text', () => {
    expect(step().run).not.toContain('${{');
    // Every input reaches the script; stepEnv throws on anything but a plain input expression.
    const used = Object.values(step().env).map(expression => /inputs\.([\w-]+)/.exec(expression)?.[1]).sort();
    expect(used).toEqual(Object.keys(action.inputs).sort());
    expect(Object.keys(stepEnv({}))).toHaveLength(Object.keys(action.inputs).length);
  });
});

describe('the action step, run with bash', () => {
  it('fails at fail-on high on the unhardened project (a path with a space), still writing SARIF and the summary', async () => {
    const result = await runStep(dir, {paths: 'my app'});
    expect(result.stderr).not.toContain('fake npx');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('read-only-rootfs');
    const report = await sarif(join(dir, 'harden.sarif'));
    expect(report.version).toBe('2.1.0');
    const rules = new Set(report.runs[0]?.results.map(r => r.ruleId));
    expect([...rules]).toEqual(expect.arrayContaining(['read-only-rootfs', 'root-user', 'single-stage-build']));
    expect(report.runs[0]?.results.some(r => r.locations[0]?.physicalLocation.artifactLocation.uri === 'my%20app/compose.yaml')).toBe(true);
    expect(result.summary).toContain('# Container immutability audit');
    expect(result.summary).toMatch(/\| High \| [1-9]\d* \|/);
    expect(result.summary).toContain('`read-only-rootfs`');
    // Three runs of the audit; only the one on the console applies fail-on, the reports never fail.
    expect(result.calls).toEqual([
      ['audit', '--format=text', '--fail-on=high', '--', 'my app'],
      ['audit', '--format=sarif', '--output=harden.sarif', '--fail-on=none', '--', 'my app'],
      ['audit', '--format=markdown', expect.stringMatching(/^--output=.*harden-summary\./), '--fail-on=none', '--', 'my app'],
    ]);
  });

  it('follows fail-on: medium fails a Dockerfile-only audit that high passes, none passes everything', async () => {
    const dockerfile = 'my app/Dockerfile';
    expect((await runStep(dir, {paths: dockerfile})).code).toBe(0);
    expect((await runStep(dir, {paths: dockerfile, 'fail-on': 'medium'})).code).toBe(1);
    const none = await runStep(dir, {paths: 'my app', 'fail-on': 'none', 'sarif-file': 'none.sarif'});
    expect(none.code).toBe(0);
    expect((await sarif(join(dir, 'none.sarif'))).runs[0]?.results.length).toBeGreaterThan(0);
    expect(none.summary).toContain('`read-only-rootfs`');
  });

  it('passes the clean project at fail-on info with an empty SARIF and a summary saying so', async () => {
    const result = await runStep(clean, {'fail-on': 'info'});
    expect(result.code).toBe(0);
    expect((await sarif(join(clean, 'harden.sarif'))).runs[0]?.results).toEqual([]);
    expect(result.summary).toContain('No findings.');
    expect(result.calls[0]).toEqual(['audit', '--format=text', '--fail-on=info', '--', '.']);
  });

  it('takes one path per line, trimmed, blank lines skipped, and prints the chosen format', async () => {
    const result = await runStep(dir, {paths: '  my app/Dockerfile  \n\n\tclean \n', format: 'json', 'fail-on': 'none'});
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {targets: Array<{file: string}>};
    expect(new Set(report.targets.map(t => t.file))).toEqual(
      new Set(['my app/Dockerfile', 'clean/Dockerfile', 'clean/compose.yaml', 'clean/k8s/deployment.yaml']),
    );
    expect(result.calls[0]?.slice(-3)).toEqual(['--', 'my app/Dockerfile', 'clean']);
  });

  it('treats hostile inputs as data: no command runs, no option is injected', async () => {
    const marker = join(dir, 'pwned');
    const result = await runStep(dir, {paths: `$(touch ${marker})\n"; touch ${marker}; echo "\n--containers`, format: 'text'});
    await expect(access(marker)).rejects.toThrow();
    // The three are paths that do not exist: a usage error (2), not a run of --containers.
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('--containers: cannot read');
  });

  it('leaves out the skip input\'s rules in the log, the SARIF and the summary alike', async () => {
    const result = await runStep(dir, {paths: 'my app', skip: 'read-only-rootfs,single-stage-build', 'sarif-file': 'skip.sarif'});
    expect(result.calls).toHaveLength(3);
    for (const call of result.calls) expect(call).toContain('--skip=read-only-rootfs,single-stage-build');
    const rules = new Set((await sarif(join(dir, 'skip.sarif'))).runs[0]?.results.map(r => r.ruleId));
    expect(rules.has('root-user')).toBe(true);
    expect(rules.has('read-only-rootfs') || rules.has('single-stage-build')).toBe(false);
    expect(result.stdout).toContain('Findings of read-only-rootfs, single-stage-build are left out (--skip).');
    expect(result.summary).toContain('**Findings of read-only-rootfs, single-stage-build are left out (--skip).**');
    // With read-only-rootfs left out nothing high is reported, so fail-on high passes.
    expect(result.code).toBe(0);
  });

  it('exits 2 on a bad format, after writing the SARIF anyway', async () => {
    const result = await runStep(dir, {paths: 'my app', format: 'xml', 'sarif-file': 'bad-format.sarif'});
    expect(result.code).toBe(2);
    expect((await sarif(join(dir, 'bad-format.sarif'))).runs[0]?.results.length).toBeGreaterThan(0);
  });
});

describe('the example workflow', () => {
  it('is valid for action-validator and uploads the SARIF even when the audit fails', async () => {
    const file = join(root, 'examples/github/harden.yml');
    const result = await actionValidator(file);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const workflow = parse(await readFile(file, 'utf8')) as {
      permissions: Record<string, string>;
      jobs: Record<string, {steps: Array<{uses?: string; if?: string; with?: Record<string, string>}>}>;
    };
    expect(workflow.permissions).toEqual({contents: 'read', 'security-events': 'write'});
    const steps = Object.values(workflow.jobs).flatMap(job => job.steps);
    const audit = steps.find(s => s.uses?.endsWith('/harden-wizard@v0') || s.uses === './');
    const upload = steps.find(s => s.uses === 'github/codeql-action/upload-sarif@v3');
    expect(audit).toBeDefined();
    expect(upload?.if).toBe('always()');
    expect(upload?.with?.['sarif_file']).toBe(audit?.with?.['sarif-file'] ?? action.inputs['sarif-file']?.default);
    expect(steps.indexOf(upload!)).toBeGreaterThan(steps.indexOf(audit!));
  });

  it('is the README snippet, verbatim, and a broken workflow is refused', async () => {
    const snippet = await readmeSnippet('GitHub Action');
    expect(snippet.lang).toBe('yaml');
    expect(snippet.text).toBe(await readFile(join(root, 'examples/github/harden.yml'), 'utf8'));
    const work = await mkdtemp(join(dir, 'workflow-'));
    await writeFile(join(work, 'harden.yml'), snippet.text);
    expect((await actionValidator(join(work, 'harden.yml'))).code).toBe(0);
    await writeFile(join(work, 'broken.yml'), snippet.text.replace(/^ +runs-on: .*\n/m, ''));
    expect((await actionValidator(join(work, 'broken.yml'))).code).toBe(1);
  });
});
