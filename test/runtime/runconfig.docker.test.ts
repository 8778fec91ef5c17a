import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {dockerRunScript, runConfigFromInspect} from '../../source/core/runconfig/index.js';
import {changes} from '../../source/runtime/docker/containers.js';
import {assertNothingLeft, describeDocker, docker, ensureBaseImages, sweepStale, testRunId, testRunLabel, testRunLabels} from '../support/docker.js';

/*
 * The generated `docker run` script against the real engine: a container started as a
 * user would (host network, writable root filesystem, an environment value full of shell
 * syntax), its inspect data and changes read as `harden fix --containers` reads them,
 * the script run by /bin/sh with the docker CLI, and the new container checked: read-only,
 * the mounts for what the original wrote, the same answers over HTTP.
 */

const execFileAsync = promisify(execFile);
const tag = `harden-runconfig-web:${testRunId}`;
const original = `runconfig-original-${testRunId}`;
const hardened = `runconfig-hardened-${testRunId}`;
/** Would be created on the host if the script let the shell run what is in the value. */
const pwned = join(tmpdir(), `harden-pwned-${testRunId}`);
const greeting = `it's "quoted" $(touch ${pwned}) \`touch ${pwned}\` ; touch ${pwned} & \${HOME}\nline two 100% $$`;

let work: string;

/** A port nothing listens on now (the container binds it on the host network). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** GET a path once the server answers, retrying while it starts. */
async function get(port: number, path: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {signal: AbortSignal.timeout(2000)});
      if (response.ok) return await response.text();
      if (Date.now() > deadline) throw new Error(`GET ${path}: HTTP ${response.status}`);
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`GET ${path} on 127.0.0.1:${port}: ${(error as Error).message}`);
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

async function removeAll(): Promise<void> {
  for (const name of [hardened, original]) await docker().getContainer(name).remove({force: true, v: true}).catch(() => undefined);
  // Volumes the script created (`docker run -v name:/path` makes them); named after the new container.
  const volumes = (await docker().listVolumes()).Volumes ?? [];
  for (const volume of volumes.filter(v => v.Name.startsWith(`${hardened}-`))) await docker().getVolume(volume.Name).remove().catch(() => undefined);
}

describeDocker('the generated docker run script on a real engine', () => {
  beforeAll(async () => {
    await ensureBaseImages();
    await sweepStale();
    work = await mkdtemp(join(tmpdir(), 'harden-runconfig-'));
    await execFileAsync('docker', ['build', '-q', '-t', tag, '--label', testRunLabel, 'test/fixtures/apps/runconfig-web'], {env: {...process.env, DOCKER_BUILDKIT: '0'}});
  }, 600_000);

  afterAll(async () => {
    await removeAll();
    await docker().getImage(tag).remove({force: true}).catch(() => undefined);
    await rm(work, {recursive: true, force: true});
    await rm(pwned, {force: true});
    await assertNothingLeft();
    const left = ((await docker().listVolumes()).Volumes ?? []).filter(v => v.Name.startsWith(`${hardened}-`));
    expect(left.map(v => v.Name)).toEqual([]);
  }, 120_000);

  it('starts a read-only container with the mounts it needs, which answers as the original did', async () => {
    const client = docker();
    const port = await freePort();
    // As a user would start it: host network, root filesystem writable, its own settings.
    const container = await client.createContainer({
      name: original,
      Image: tag,
      Env: [`PORT=${port}`, `GREETING=${greeting}`],
      Labels: {...testRunLabels},
      HostConfig: {NetworkMode: 'host'},
    });
    await container.start();
    const before = {index: await get(port, '/'), greeting: await get(port, '/greeting.txt')};
    expect(before.greeting).toBe(greeting);

    // What `harden fix --containers` reads: inspect, changes (docker diff), the image's inspect.
    const inspect = await container.inspect();
    const config = runConfigFromInspect(inspect, await changes(client, original), await client.getImage(inspect.Image).inspect(), {name: hardened, labels: testRunLabels});
    if ('error' in config) throw new Error(config.error);
    expect(config.writable.map(w => [w.path, w.mount, w.name])).toEqual([['/tmp', 'tmpfs', ''], ['/var/log', 'volume', `${hardened}-log`]]);
    expect(config.env).toEqual([{name: 'PORT', value: String(port)}, {name: 'GREETING', value: greeting}]);
    expect(config.network).toBe('host');

    // The tool never stops the original; here the test does, as the script's header says, to free the port.
    await container.remove({force: true});
    const script = join(work, 'hardened.run.sh');
    await writeFile(script, dockerRunScript(config));
    await execFileAsync('/bin/sh', [script]);
    expect(existsSync(pwned)).toBe(false);

    const after = await client.getContainer(hardened).inspect();
    expect(after.HostConfig.ReadonlyRootfs).toBe(true);
    expect(after.HostConfig.SecurityOpt).toEqual(['no-new-privileges']);
    expect(after.HostConfig.NetworkMode).toBe('host');
    expect(after.HostConfig.Tmpfs).toEqual({'/tmp': 'mode=1777,size=64m'});
    expect(after.Mounts.map(m => [m.Type, m.Name, m.Destination, m.RW])).toEqual([['volume', `${hardened}-log`, '/var/log', true]]);
    expect(after.Config.Env).toEqual(expect.arrayContaining([`PORT=${port}`, `GREETING=${greeting}`]));
    expect(after.Config.Labels).toMatchObject({...testRunLabels, 'harden-wizard.generated': 'true'});

    expect({index: await get(port, '/'), greeting: await get(port, '/greeting.txt')}).toEqual(before);
    // It keeps running on the read-only root: everything it writes has a mount, and nothing else is writable.
    const check = await client.getContainer(hardened).exec({Cmd: ['sh', '-c', 'cat /var/log/app/app.log; touch /etc/x 2>&1; touch /app/x 2>&1; true'], AttachStdout: true, AttachStderr: true});
    const stream = await check.start({});
    const output = await new Promise<string>(resolve => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    expect(output).toMatch(/started pid \d+/);
    expect(output.match(/Read-only file system/g)).toHaveLength(2);
    expect((await client.getContainer(hardened).inspect()).State.Running).toBe(true);
  }, 180_000);
});
