/**
 * Proof by running (issue 14) through the built CLI on the real engine: `harden fix` builds the
 * original and the rewrite, runs both with no network, and offers the rewrite only when it does
 * what the original does; a rewrite that fails is not written and the plan says why, with the
 * failing line; with no engine or --no-run the plan says it was not run.
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {harden} from '../support/cli.js';
import {describeDocker, docker, ensureBaseImages} from '../support/docker.js';

const minute = 60_000;
const dirs: string[] = [];

/** A project with one single-stage Dockerfile FROM node:20 and a server that answers GET /. */
async function project(dockerfile: string, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'harden-prove-'));
  dirs.push(dir);
  await writeFile(join(dir, 'Dockerfile'), dockerfile);
  await writeFile(join(dir, 'package.json'), '{"name": "app", "version": "1.0.0", "private": true}\n');
  await writeFile(join(dir, 'server.js'), "require('http').createServer((q, s) => s.end('hello from the app\\n')).listen(3000);\n");
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const plainApp = ['FROM node:20', 'WORKDIR /app', 'COPY package.json server.js ./', 'RUN npm install --omit=dev', 'EXPOSE 3000', 'CMD ["node", "server.js"]', ''].join('\n');

/** Images left by a proof: anything labelled harden-wizard.managed from a finished process. */
async function managedImages(): Promise<string[]> {
  const images = await docker().listImages({all: true, filters: {label: ['harden-wizard.managed=true']}});
  return images.map(i => `${i.Id} ${(i.RepoTags ?? []).join(',')}`);
}

describeDocker('harden fix proves a multi-stage rewrite by running it', () => {
  beforeAll(async () => {
    await ensureBaseImages();
  }, 15 * minute);

  afterAll(async () => {
    for (const dir of dirs) await rm(dir, {recursive: true, force: true});
  });

  it('offers a rewrite proven by running, says what the runs showed, and leaves no image behind', async () => {
    const dir = await project(plainApp);
    const before = await managedImages();
    const result = await harden(['fix', '--only', 'single-stage-build'], dir, {}, 10 * minute);
    expect(result.code, result.stderr).toBe(0);
    const said = result.stdout.replace(/\n\s+/g, ' ');
    expect(said).toMatch(/proven by running: GET \/ answered 200 with the same body as the original, also read-only; \d+\.\d MB instead of \d+\.\d MB/);
    expect(result.stderr).toContain('running the original twice');
    expect(await managedImages()).toEqual(before);
  }, 10 * minute);

  it('does not write a rewrite that fails its proof, and says which check failed with the log line', async () => {
    // The app needs a program of the build image at run time: no runtime stage on the slim sibling can have it.
    const dockerfile = plainApp.replace('CMD ["node", "server.js"]', 'CMD ["sh", "-c", "command -v g++ >/dev/null || { echo needs the g++ of the build image >&2; exit 3; }; exec node server.js"]');
    const dir = await project(dockerfile);
    const result = await harden(['fix', '--yes', '--only', 'single-stage-build'], dir, {}, 10 * minute);
    const said = result.stdout.replace(/\n\s+/g, ' ');
    expect(said).toMatch(/not done \(single-stage-build\): multi-stage rewrite: not written: its proof by running failed: each of the \d candidates \(minimal, [a-z, -]*conservative\) failed; the last, conservative: same as the original \(as built\): it exited with code 3 before it answered on port 3000: needs the g\+\+ of the build image/);
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toBe(dockerfile);
  }, 10 * minute);

  it('says "not run" with --no-run and with no engine, and still offers the rewrite', async () => {
    const dir = await project(plainApp);
    const skipped = await harden(['fix', '--no-run', '--only', 'single-stage-build'], dir);
    expect(skipped.stdout.replace(/\n\s+/g, ' ')).toContain('not run: asked not to with --no-run');
    const noEngine = await harden(['fix', '--only', 'single-stage-build'], dir, {DOCKER_HOST: 'unix:///tmp/harden-no-engine.sock'});
    expect(noEngine.code, noEngine.stderr).toBe(0);
    expect(noEngine.stdout.replace(/\n\s+/g, ' ')).toMatch(/not run: no engine answered \(no Docker engine at unix:\/\/\/tmp\/harden-no-engine\.sock/);
  }, 5 * minute);
});
