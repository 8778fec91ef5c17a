import {access, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {installFakeNpx, packageVersion, projects, readmeSnippet, root, run, type FakeNpx} from './harness.js';

/*
 * templates/ci/gitlab-harden.yml parsed for its structure, then its script run as a runner would:
 * the items joined into one script in the project directory, the job's variables as environment
 * variables, under dash (sh, for images without bash) and under bash -eo pipefail (what the
 * runner uses when the image has bash, as node:20 does).
 */

interface Job {
  extends?: string;
  image?: string;
  stage?: string;
  variables?: Record<string, string>;
  script?: string[];
  artifacts?: {when?: string; paths?: string[]};
}

let template: Record<string, Job>;
let dir: string;
let unhardened: string;
let clean: string;
let npx: FakeNpx;
let version: string;

beforeAll(async () => {
  template = parse(await readFile(join(root, 'templates/ci/gitlab-harden.yml'), 'utf8')) as Record<string, Job>;
  version = await packageVersion();
  ({dir, unhardened, clean} = await projects('harden-gitlab-'));
  npx = await installFakeNpx(dir, version);
});
afterAll(async () => {
  if (dir) await rm(dir, {recursive: true, force: true});
});

function hidden(): Job {
  const job = template['.harden-audit'];
  if (!job) throw new Error('templates/ci/gitlab-harden.yml has no .harden-audit job');
  return job;
}

const shells = [
  ['sh', ['-e']],
  ['bash', ['--noprofile', '--norc', '-eo', 'pipefail']],
] as const;

/** Runs the job's script in `projectDir` with its variables, overridden by `variables`. */
async function runJob(job: Job, projectDir: string, variables: Record<string, string>, shell: (typeof shells)[number]) {
  const script = join(await mkdtemp(join(dir, 'job-')), 'script.sh');
  await writeFile(script, `${(job.script ?? []).join('\n')}\n`);
  // No report from an earlier run may pass for this one's.
  await rm(join(projectDir, 'harden.sarif'), {force: true});
  await rm(join(projectDir, 'harden.json'), {force: true});
  const before = (await npx.calls()).length;
  const result = await run(shell[0], [...shell[1], script], {
    cwd: projectDir,
    env: {
      PATH: `${npx.binDir}:${process.env['PATH'] ?? ''}`,
      HOME: process.env['HOME'] ?? dir,
      CI: 'true',
      GITLAB_CI: 'true',
      CI_PROJECT_DIR: projectDir,
      ...job.variables,
      ...variables,
    },
  });
  return {...result, calls: (await npx.calls()).slice(before)};
}

async function reports(projectDir: string) {
  const sarif = JSON.parse(await readFile(join(projectDir, 'harden.sarif'), 'utf8')) as {version: string; runs: Array<{results: unknown[]}>};
  const json = JSON.parse(await readFile(join(projectDir, 'harden.json'), 'utf8')) as {
    targets: Array<{file: string}>;
    findings: Array<{rule: string; severity: string}>;
  };
  return {sarif, json};
}

describe('templates/ci/gitlab-harden.yml', () => {
  it('defines .harden-audit on node:20 with the variables, one script and artifacts kept always', () => {
    const job = hidden();
    expect(job.image).toBe('node:20');
    expect(job.variables).toEqual({HARDEN_VERSION: version, HARDEN_PATHS: '.', HARDEN_FAIL_ON: 'high', HARDEN_SKIP: ''});
    expect(job.script?.length).toBeGreaterThan(0);
    const script = job.script?.join('\n') ?? '';
    expect(script).toContain('harden="harden-wizard@$HARDEN_VERSION"');
    expect(script.match(/^npx --yes "\$harden" audit /gm)).toHaveLength(3);
    expect(job.artifacts?.when).toBe('always');
    expect(job.artifacts?.paths).toEqual(['harden.sarif', 'harden.json']);
    expect(template['harden-audit']).toEqual({extends: '.harden-audit'});
  });

  for (const shell of shells) {
    describe(`its script under ${shell[0]}`, () => {
      it('fails at high on the unhardened project, with both reports written first', async () => {
        const result = await runJob(hidden(), dir, {HARDEN_PATHS: 'my app'}, shell);
        expect(result.stderr).not.toContain('fake npx');
        expect(result.code).toBe(1);
        expect(result.stdout).toContain('read-only-rootfs');
        const {sarif, json} = await reports(dir);
        expect(sarif.version).toBe('2.1.0');
        expect(sarif.runs[0]?.results.length).toBe(json.findings.length);
        expect(json.findings.some(f => f.rule === 'read-only-rootfs' && f.severity === 'high')).toBe(true);
        expect(result.calls).toEqual([
          ['audit', '--format=sarif', '--output=harden.sarif', '--fail-on=none', '--', 'my app'],
          ['audit', '--format=json', '--output=harden.json', '--fail-on=none', '--', 'my app'],
          ['audit', '--fail-on=high', '--', 'my app'],
        ]);
      });

      it('leaves out the HARDEN_SKIP rules in every run, as one word, running nothing it holds', async () => {
        const result = await runJob(hidden(), dir, {HARDEN_PATHS: 'my app', HARDEN_SKIP: 'read-only-rootfs, cap-drop'}, shell);
        for (const call of result.calls) expect(call).toContain('--skip=read-only-rootfs, cap-drop');
        expect(result.calls).toHaveLength(3);
        const {sarif, json} = await reports(dir);
        expect(json.findings.length).toBeGreaterThan(0);
        expect(json.findings.filter(f => f.rule === 'read-only-rootfs' || f.rule === 'cap-drop')).toEqual([]);
        expect(sarif.runs[0]?.results.length).toBe(json.findings.length);
        expect(result.stdout).toContain('Findings of cap-drop, read-only-rootfs are left out (--skip).');
        const marker = join(dir, 'pwned-skip');
        const hostile = await runJob(hidden(), dir, {HARDEN_PATHS: 'my app', HARDEN_SKIP: `$(touch ${marker}) --containers`}, shell);
        await expect(access(marker)).rejects.toThrow();
        expect(hostile.code).toBe(2);
        expect(hostile.stderr).toContain('--skip: unknown rule');
      });

      it('passes the clean project at info, and none passes the unhardened one', async () => {
        expect((await runJob(hidden(), clean, {HARDEN_FAIL_ON: 'info'}, shell)).code).toBe(0);
        const {sarif, json} = await reports(clean);
        expect(sarif.runs[0]?.results).toEqual([]);
        expect(json.targets).toHaveLength(3);
        expect((await runJob(hidden(), unhardened, {HARDEN_FAIL_ON: 'none'}, shell)).code).toBe(0);
      });

      it('splits HARDEN_PATHS on newlines only, without globbing or running anything', async () => {
        const marker = join(dir, 'pwned');
        const paths = `my app/Dockerfile\n\nclean/*\n$(touch ${marker})`;
        const result = await runJob(hidden(), dir, {HARDEN_PATHS: paths, HARDEN_FAIL_ON: 'none'}, shell);
        await expect(access(marker)).rejects.toThrow();
        expect(result.calls[0]?.slice(-4)).toEqual(['--', 'my app/Dockerfile', 'clean/*', `$(touch ${marker})`]);
        // The two made-up paths do not exist: the audit says so with exit 2.
        expect(result.code).toBe(2);
        expect((await reports(dir)).json.targets.map(t => t.file)).toEqual(['my app/Dockerfile']);
      });
    });
  }
});

describe('the README snippet', () => {
  it('includes this template at the release tag and, merged with it as GitLab does, audits the project', async () => {
    const snippet = await readmeSnippet('GitLab CI');
    expect(snippet.lang).toBe('yaml');
    const config = parse(snippet.text) as {include: Array<{remote: string}>} & Record<string, Job>;
    expect(config.include).toEqual([
      {remote: expect.stringMatching(new RegExp(`/v${version.replace(/\./g, '\\.')}/templates/ci/gitlab-harden\\.yml$`))},
    ]);
    const {include: _include, ...jobs} = config;
    const own = jobs['harden-audit'];
    expect(own).toBeDefined();
    // GitLab merges an included job with the same name key by key, and `extends` likewise;
    // variables are a hash, so they merge too.
    const merged: Job = {...hidden(), ...template['harden-audit'], ...own, variables: {...hidden().variables, ...own?.variables}};
    for (const name of Object.keys(own?.variables ?? {})) expect(hidden().variables).toHaveProperty(name);
    const result = await runJob(merged, unhardened, {}, shells[0]);
    expect(result.code).toBe(1);
    await access(join(unhardened, 'harden.sarif'));
    await access(join(unhardened, 'harden.json'));
  });
});
