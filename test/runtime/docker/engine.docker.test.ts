/**
 * The ContainerEngine over dockerode against the real engine: build with .dockerignore, build
 * failures and abort, hardened runs, changes, wait, removal, sweep and connection errors.
 */
import {randomBytes} from 'node:crypto';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, expect, it} from 'vitest';
import type {ContainerEngine, RunSpec} from '../../../source/runtime/ports.js';
import {BuildFailed} from '../../../source/runtime/docker/build.js';
import {packContext} from '../../../source/runtime/docker/build-context.js';
import {connectEngine, EngineUnavailable} from '../../../source/runtime/docker/engine.js';
import {
  managedLabel,
  managedLabels,
  sessionId,
  sessionLabel,
  type ManagedKind,
} from '../../../source/runtime/docker/labels.js';
import {pidExists as processAlive, selfIdentity} from '../../../source/runtime/process-identity.js';
import {
  assertNothingLeft,
  describeDocker,
  docker,
  ensureBaseImages,
  testRunId,
  testRunLabel,
  testRunLabels,
} from '../../support/docker.js';

const minute = 60_000;
const session = `${sessionLabel}=${sessionId}`;

/** Containers, images and volumes of this process's session (assertNothingLeft does not look at volumes). */
async function assertSessionClean(): Promise<void> {
  await assertNothingLeft(session);
  await assertNothingLeft(testRunLabel);
  const {Volumes} = await docker().listVolumes({filters: {label: [session]}});
  expect((Volumes ?? []).map(v => v.Name)).toEqual([]);
}

function spec(overrides: Partial<RunSpec> = {}): RunSpec {
  return {
    image: 'busybox:latest',
    cmd: ['sleep', '60'],
    readOnly: true,
    tmpfs: {},
    volumes: [],
    network: 'none',
    noNewPrivileges: true,
    memoryBytes: 64 * 1024 * 1024,
    pidsLimit: 64,
    labels: testRunLabels,
    ...overrides,
  };
}

async function context(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'harden-engine-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), {recursive: true});
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describeDocker('ContainerEngine over dockerode', () => {
  let engine: ContainerEngine;
  const dirs: string[] = [];

  beforeAll(async () => {
    await ensureBaseImages();
    engine = await connectEngine();
  }, 10 * minute);

  afterEach(async () => {
    await assertSessionClean();
  });

  afterAll(async () => {
    for (const dir of dirs) await rm(dir, {recursive: true, force: true});
    // Whatever a failed test left: containers, then volumes and images.
    const filters = {label: [session]};
    for (const c of await docker().listContainers({all: true, filters})) {
      await docker().getContainer(c.Id).remove({force: true, v: true});
    }
    for (const v of (await docker().listVolumes({filters})).Volumes ?? []) await docker().getVolume(v.Name).remove();
    for (const i of await docker().listImages({filters})) await docker().getImage(i.Id).remove({force: true});
  });

  it('connects to the default socket and describes the engine', async () => {
    const info = await engine.info();
    const expected = process.env['DOCKER_HOST']
      ? {source: 'DOCKER_HOST'}
      : {endpoint: 'unix:///var/run/docker.sock', source: 'default socket'};
    expect(info).toMatchObject({...expected, podman: false});
    expect(info.apiVersion).toMatch(/^1\.(4\d|[5-9]\d)$/);
    expect(info.serverVersion).not.toBe('');
  });

  it('builds a context without what .dockerignore excludes', async () => {
    const dir = await context({
      Dockerfile: [
        'FROM busybox:latest',
        'COPY . /ctx/',
        'RUN test ! -e /ctx/secret.txt && test ! -e /ctx/cache/big.bin && test -e /ctx/cache/wanted.txt',
        // Both are sent (the build needs them) but, being excluded, not copied: the engine's rule.
        'RUN test -e /ctx/keep.txt && test ! -e /ctx/Dockerfile && test ! -e /ctx/.dockerignore',
      ].join('\n'),
      '.dockerignore': 'secret.txt\ncache\n!cache/wanted.txt\nDockerfile\n.dockerignore\n',
      'secret.txt': 'do not send',
      'keep.txt': 'send',
      'cache/big.bin': 'x',
      'cache/wanted.txt': 'y',
    });
    dirs.push(dir);
    const tag = `harden-wizard-test/ignore:${testRunId}`;
    const lines: string[] = [];
    const {imageId} = await engine.build({
      context: dir,
      dockerfile: 'Dockerfile',
      tag,
      labels: testRunLabels,
      onProgress: line => lines.push(line),
    });
    try {
      expect(imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
      // The classic builder adds the labels as steps of their own after the Dockerfile's.
      expect(lines.some(line => /^Step 1\/\d+ : FROM busybox:latest$/.test(line))).toBe(true);
      expect(lines.some(line => /^Step 4\/\d+ : RUN test -e \/ctx\/keep.txt/.test(line))).toBe(true);
      const image = (await engine.inspectImage(tag)) as {Id: string; Config: {Labels: Record<string, string>}};
      expect(image.Id).toBe(imageId);
      expect(image.Config.Labels).toMatchObject({...testRunLabels, [managedLabel]: 'true', [sessionLabel]: sessionId});
    } finally {
      await engine.removeImage(tag);
    }
    expect(await engine.inspectImage(tag)).toBeUndefined();
    await engine.removeImage(tag); // gone already: fine
  }, 2 * minute);

  it('rejects a failed build naming the failing step and the last lines of output', async () => {
    const dir = await context({
      // The failing step comes right after FROM, so no cached layer of an earlier step is left.
      'docker/app.Dockerfile': 'FROM busybox:latest\nRUN echo about to fail && false\nRUN echo never\n',
    });
    dirs.push(dir);
    const tag = `harden-wizard-test/fails:${testRunId}`;
    const failure = await engine
      .build({context: dir, dockerfile: 'docker/app.Dockerfile', tag, labels: testRunLabels})
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BuildFailed);
    const {message, step} = failure as BuildFailed;
    expect(step).toMatch(/^Step 2\/\d+ : RUN echo about to fail && false$/);
    expect(message.split('\n')[0]).toBe(
      `build of ${tag} failed at ${step}: ` +
        "The command '/bin/sh -c echo about to fail && false' returned a non-zero code: 1",
    );
    expect(message).toContain('\nlast output:\n  Step 1/');
    expect(message).toContain('\n  about to fail');
    expect(message.split('\n').length).toBeLessThanOrEqual(12);
    expect(await engine.inspectImage(tag)).toBeUndefined();
  }, 2 * minute);

  it('aborts a build when its signal is aborted', async () => {
    const token = randomBytes(4).toString('hex');
    const dir = await context({Dockerfile: `FROM busybox:latest\nRUN sleep 30 # ${token}\n`});
    dirs.push(dir);
    const abort = new AbortController();
    const started = Date.now();
    const failure = await engine
      .build({
        context: dir,
        dockerfile: 'Dockerfile',
        tag: `harden-wizard-test/aborted:${testRunId}`,
        labels: testRunLabels,
        signal: abort.signal,
        onProgress: line => {
          if (line.startsWith('Step 2/')) setTimeout(() => abort.abort(), 300);
        },
      })
      .catch((error: unknown) => error);
    expect((failure as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(15_000);
    // The engine cancels the step and removes its container (forcerm).
    const running = async () =>
      (await docker().listContainers({all: true})).filter(c => c.Command.includes(token)).length;
    for (let i = 0; i < 50 && (await running()) > 0; i++) await new Promise(r => setTimeout(r, 200));
    expect(await running()).toBe(0);
  }, 2 * minute);

  it('runs read-only with a tmpfs, a named volume, no network, and removes it all, also twice', async () => {
    const container = await engine.run(
      spec({
        tmpfs: {'/tmp': 'mode=1777,size=16m'},
        volumes: [{name: 'app data', target: '/data'}],
        capDrop: ['NET_RAW'],
      }),
    );
    try {
      expect(await container.exec(['sh', '-c', 'echo ok > /tmp/file && cat /tmp/file'], 10_000)).toEqual({
        exitCode: 0,
        output: 'ok\n',
      });
      const root = await container.exec(['sh', '-c', 'echo no > /file'], 10_000);
      expect(root.exitCode).not.toBe(0);
      expect(root.output).toContain('Read-only file system');
      expect((await container.exec(['touch', '/data/kept'], 10_000)).exitCode).toBe(0);
      expect((await container.exec(['ls', '/sys/class/net'], 10_000)).output).toBe('lo\n');

      const inspect = (await container.inspect()) as {
        Config: {Labels: Record<string, string>};
        HostConfig: Record<string, unknown>;
        Mounts: Array<{Type: string; Name: string; Destination: string}>;
      };
      expect(inspect.HostConfig).toMatchObject({
        ReadonlyRootfs: true,
        NetworkMode: 'none',
        SecurityOpt: ['no-new-privileges'],
        CapDrop: ['NET_RAW'],
        Memory: 64 * 1024 * 1024,
        PidsLimit: 64,
        Tmpfs: {'/tmp': 'mode=1777,size=16m'},
      });
      expect(inspect.Config.Labels).toMatchObject({...testRunLabels, [managedLabel]: 'true', [sessionLabel]: sessionId});
      const volume = inspect.Mounts.find(m => m.Destination === '/data');
      expect(volume?.Type).toBe('volume');
      expect(volume?.Name).toMatch(/^harden-app-data-[0-9a-f]{8}$/);
      const labels = (await docker().getVolume(volume!.Name).inspect()).Labels;
      expect(labels).toMatchObject({[sessionLabel]: sessionId, [managedLabel]: 'true'});

      expect((await engine.listContainers(false)).find(c => c.id === container.id)).toMatchObject({
        image: 'busybox:latest',
        state: 'running',
        name: expect.stringMatching(/^harden-wizard-[0-9a-f]{8}$/),
      });
    } finally {
      await container.remove();
    }
    await container.remove();
    await expect(docker().getContainer(container.id).inspect()).rejects.toMatchObject({statusCode: 404});
  }, 2 * minute);

  it('passes user, env and cmd, waits for the exit code and reads stdout and stderr', async () => {
    const container = await engine.run(
      spec({
        user: '1000',
        env: {GREETING: 'hello there'},
        cmd: ['sh', '-c', 'echo "$GREETING $(id -u)"; echo oops >&2; exit 3'],
      }),
    );
    try {
      expect(await container.wait(30_000)).toBe(3);
      const logs = await container.logs();
      expect(logs).toContain('hello there 1000\n');
      expect(logs).toContain('oops\n');
    } finally {
      await container.remove();
    }
  }, 2 * minute);

  it('wait() returns undefined when the container is still running after the timeout', async () => {
    const container = await engine.run(spec());
    try {
      const started = Date.now();
      expect(await container.wait(300)).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(5000);
      await expect(container.exec(['sleep', '5'], 300)).rejects.toThrow(/did not finish within 300 ms/);
    } finally {
      await container.remove();
    }
  }, 2 * minute);

  it('changes() lists the file a writable run added', async () => {
    const container = await engine.run(
      spec({readOnly: false, cmd: ['sh', '-c', 'echo hi > /added.txt && rm /bin/vi']}),
    );
    try {
      expect(await container.wait(30_000)).toBe(0);
      const changes = await container.changes();
      expect(changes).toContainEqual({path: '/added.txt', kind: 'added', directory: false});
      expect(changes).toContainEqual({path: '/bin/vi', kind: 'deleted'});
      expect(changes).toContainEqual({path: '/bin', kind: 'modified'});
      const byPath = (a: {path: string}, b: {path: string}) => a.path.localeCompare(b.path);
      expect((await engine.changes(container.id)).sort(byPath)).toEqual([...changes].sort(byPath));
    } finally {
      await container.remove();
    }
  }, 2 * minute);

  it('a failed start removes what it created and says why', async () => {
    await expect(
      engine.run(spec({cmd: ['/no/such/binary'], volumes: [{name: 'v', target: '/v'}]})),
    ).rejects.toThrow(/^failed to run busybox:latest: .*no such file or directory/);
  }, 2 * minute);

  it('sweep() removes objects of provably dead sessions and nothing else', async () => {
    let deadPid = 999_999;
    while (processAlive(deadPid)) deadPid++;
    const dead = (kind: ManagedKind) => managedLabels(kind, testRunLabels, `${deadPid}-${testRunId}`);
    // The same pid and host, in another pid namespace (harden in a container): it cannot be checked, so it stays.
    const elsewhere = await docker().createContainer({
      Image: 'busybox:latest',
      Cmd: ['sleep', '60'],
      Labels: managedLabels('container', testRunLabels, `${deadPid}-${testRunId}`, {...selfIdentity(), pidNamespace: 'pid:[1]'}),
      HostConfig: {NetworkMode: 'none'},
    });
    // An older harden's labels (host and pid only): no proof, so it stays too.
    const {['harden-wizard.boot']: _boot, ['harden-wizard.pidns']: _ns, ['harden-wizard.start']: _start, ...unproven} = dead('container');
    const legacy = await docker().createContainer({Image: 'busybox:latest', Cmd: ['sleep', '60'], Labels: unproven, HostConfig: {NetworkMode: 'none'}});
    const unlabelled = await docker().createContainer({
      Image: 'busybox:latest',
      Cmd: ['sleep', '60'],
      Labels: {...testRunLabels},
      HostConfig: {NetworkMode: 'none'},
    });
    const ours = await engine.run(spec());
    try {
      await unlabelled.start();
      await elsewhere.start();
      await legacy.start();
      const stale = await docker().createContainer({
        Image: 'busybox:latest',
        Cmd: ['sleep', '60'],
        Labels: dead('container'),
        HostConfig: {NetworkMode: 'none'},
      });
      await stale.start();
      const staleVolume = `harden-test-stale-${testRunId}`;
      await docker().createVolume({Name: staleVolume, Labels: dead('volume')});
      const dir = await context({Dockerfile: 'FROM busybox:latest\nLABEL stale=yes\n'});
      dirs.push(dir);
      const staleImage = `harden-wizard-test/stale:${testRunId}`;
      const stream = await docker().buildImage(packContext(dir, ['Dockerfile']), {t: staleImage, labels: dead('image')});
      await new Promise((resolve, reject) =>
        docker().modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve(undefined))),
      );

      const swept = await engine.sweep();
      expect(swept.containers).toBeGreaterThanOrEqual(1);
      expect(swept.volumes).toBeGreaterThanOrEqual(1);
      expect(swept.images).toBeGreaterThanOrEqual(1);
      await expect(stale.inspect()).rejects.toMatchObject({statusCode: 404});
      await expect(docker().getVolume(staleVolume).inspect()).rejects.toMatchObject({statusCode: 404});
      expect(await engine.inspectImage(staleImage)).toBeUndefined();
      expect((await unlabelled.inspect()).State.Running).toBe(true);
      expect((await elsewhere.inspect()).State.Running).toBe(true);
      expect((await legacy.inspect()).State.Running).toBe(true);
      expect((await docker().getContainer(ours.id).inspect()).State.Running).toBe(true);
    } finally {
      await unlabelled.remove({force: true});
      await elsewhere.remove({force: true});
      await legacy.remove({force: true});
      await ours.remove();
    }
  }, 2 * minute);

  it('refuses to remove an image it did not build', async () => {
    await expect(engine.removeImage('busybox:latest')).rejects.toThrow(/did not build it/);
    expect(await engine.inspectImage('busybox:latest')).toBeDefined();
  });

  it('reports an engine that is not there as EngineUnavailable', async () => {
    const failure = await connectEngine({DOCKER_HOST: 'unix:///nonexistent.sock'}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EngineUnavailable);
    expect(failure).toMatchObject({
      problem: 'no-engine',
      message: 'no Docker engine at unix:///nonexistent.sock (from DOCKER_HOST)',
      hint: 'start Docker there, or fix or unset DOCKER_HOST',
      exitCode: 3,
    });
  });
});
