/**
 * Issue 13 items 6 and 12 on the real engine: `harden verify` of a multi-stage Dockerfile leaves
 * none of the images the builder made (every stage's, untagged), also when it is interrupted
 * during the build; and a signal in the settle phase ends it with one line, no engine error.
 *
 * Images are told apart from other test files' by a random token in a RUN step, which the
 * classic builder records in each image's ContainerConfig.Cmd.
 */
import {spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {describeDocker, docker, ensureBaseImages} from '../support/docker.js';

const bin = resolve('bin/harden.js');
let dir: string;

/** Every image (all layers) whose build ran a step that mentions `token`: id, tags and the step, for a readable failure. */
async function imagesWith(token: string): Promise<string[]> {
  const found: string[] = [];
  for (const image of await docker().listImages({all: true})) {
    const info = await docker().getImage(image.Id).inspect().catch(() => undefined);
    const cmd = [...(info?.ContainerConfig?.Cmd ?? []), ...(info?.Config?.Cmd ?? [])].join(' ');
    if (cmd.includes(token)) found.push(`${image.Id.slice(7, 19)} tags=${(image.RepoTags ?? []).join(',')} parent=${info?.Parent?.slice(7, 19)} ${cmd.slice(0, 80)}`);
  }
  return found;
}

async function containersOf(pid: number | undefined): Promise<string[]> {
  const containers = await docker().listContainers({all: true, filters: {label: ['harden-wizard.managed=true']}});
  return containers.filter(c => c.Labels['harden-wizard.session']?.startsWith(`${pid}-`)).map(c => c.Id);
}

/** Two stages: a builder that takes a while and makes an artefact, a runtime stage that copies it. */
function multiStage(token: string, sleep: number): string {
  return [
    'FROM busybox:latest AS builder',
    `RUN echo ${token} > /artefact`,
    `RUN sleep ${sleep} && echo ${token}-slept >> /artefact`,
    `RUN echo ${token}-done >> /artefact`,
    'FROM busybox:latest',
    'COPY --from=builder /artefact /artefact',
    `RUN echo ${token}-runtime > /runtime`,
    'CMD ["sh", "-c", "cat /artefact; exec sleep 3600"]',
    '',
  ].join('\n');
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  pid: number | undefined;
}

/** Starts harden; `until` sends `signal` once stderr matches it. */
function harden(args: string[], until?: {stderr: RegExp; signal: NodeJS.Signals}): Promise<Run> {
  return new Promise(done => {
    const child = spawn('node', [bin, ...args], {cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, NO_COLOR: '1'}});
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', chunk => (stdout += String(chunk)));
    child.stderr.on('data', chunk => {
      stderr += String(chunk);
      if (until && !sent && until.stderr.test(stderr)) {
        sent = true;
        child.kill(until.signal);
      }
    });
    child.on('exit', (code, signal) => done({code, signal, stdout, stderr, pid: child.pid}));
  });
}

describeDocker('nothing left behind on the engine', () => {
  beforeAll(async () => {
    await ensureBaseImages();
    dir = await mkdtemp(join(tmpdir(), 'harden-leftovers-'));
  }, 600_000);

  afterAll(async () => {
    if (dir) await rm(dir, {recursive: true, force: true});
  });

  it('verify of a multi-stage Dockerfile removes every image of every stage', async () => {
    const token = `harden-token-${randomBytes(6).toString('hex')}`;
    await writeFile(join(dir, 'Dockerfile'), multiStage(token, 0));
    const run = await harden(['verify', '.', '--settle', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Step 4\/\d+ : RUN echo harden-token/);
    expect(await imagesWith(token)).toEqual([]);
  }, 300_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during the builder stage lets the build end, then removes all it made`, async () => {
      const token = `harden-token-${randomBytes(6).toString('hex')}`;
      await writeFile(join(dir, 'Dockerfile'), multiStage(token, 4));
      const run = await harden(['verify', '.'], {stderr: /Step 3\/\d+ : RUN sleep/, signal});
      expect(run.signal).toBe(signal);
      expect(run.stderr).not.toMatch(/internal error|HTTP code|\n\s+at /);
      expect(run.stderr).toMatch(/a build first runs to its end/);
      expect(await imagesWith(token)).toEqual([]);
      expect(await containersOf(run.pid)).toEqual([]);
    }, 300_000);
  }

  it('a signal in the settle phase ends verify with one line, never an engine error, and nothing left (6 trials)', async () => {
    await writeFile(join(dir, 'Dockerfile'), 'FROM busybox:latest\nEXPOSE 8080\nCMD ["httpd", "-f", "-p", "8080", "-h", "/"]\n');
    for (let trial = 0; trial < 6; trial++) {
      const signal = trial % 2 === 0 ? 'SIGTERM' : 'SIGINT';
      // A random moment in the settle phase, where the container is removed under the running checks.
      const delay = Math.floor(Math.random() * 900);
      const run = await new Promise<Run>(done => {
        const child = spawn('node', [bin, 'verify', '.', '--settle', '30'], {cwd: dir, stdio: ['ignore', 'pipe', 'pipe']});
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', chunk => (stdout += String(chunk)));
        child.stderr.on('data', chunk => {
          const before = stderr;
          stderr += String(chunk);
          if (!/watching/.test(before) && /watching/.test(stderr)) setTimeout(() => child.kill(signal), delay);
        });
        child.on('exit', (code, got) => done({code, signal: got, stdout, stderr, pid: child.pid}));
      });
      expect(run.signal).toBe(signal);
      const said = run.stderr.split('\n').filter(line => line.startsWith('harden: '));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(new RegExp(`^harden: ${signal === 'SIGINT' ? 'interrupted' : 'stopped by SIGTERM'}; removing the containers and images it started \\(`));
      expect(run.stderr).not.toMatch(/internal error|HTTP code/);
      expect(run.stdout).toBe('');
      expect(await containersOf(run.pid)).toEqual([]);
    }
  }, 600_000);
});
