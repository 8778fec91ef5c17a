/**
 * Issue 13 item 4 on the real engine: `harden verify` and `harden paths` run the project's
 * container with no network at all, reach its port from a probe in its own namespace, and give
 * it no more privileges than the hardened config would. The app under test tries to reach a
 * server that listens only on the host's loopback, as a hostile image would.
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {describeDocker, docker, ensureBaseImages} from '../support/docker.js';
import {harden as run} from '../support/cli.js';

let dir: string;
const harden = (args: string[]) => run(args, dir, {}, 240_000);
let server: Server;
let port: number;
let reached = 0;

/** A web app that first tries the host's loopback-only server, then serves on 8080, and shows its capabilities. */
function dockerfile(user?: string): string {
  return [
    'FROM busybox:latest',
    'RUN mkdir -p /www && echo hello > /www/index.html',
    'EXPOSE 8080',
    ...(user ? [`USER ${user}`] : []),
    `CMD ["sh", "-c", "grep CapEff /proc/self/status; if nc -w 2 127.0.0.1 ${'${HOST_PORT}'} </dev/null; then echo REACHED-THE-HOST; fi; exec httpd -f -p 8080 -h /www"]`,
    '',
  ].join('\n');
}

/** Containers harden has now on the host network; sampled while it runs. */
async function onHostNetwork(): Promise<string[]> {
  const containers = await docker().listContainers({all: true, filters: {label: ['harden-wizard.managed=true']}});
  return containers.filter(c => c.HostConfig?.NetworkMode === 'host').map(c => c.Id);
}

describeDocker('verify and paths never use the host network', () => {
  beforeAll(async () => {
    await ensureBaseImages();
    server = createServer(socket => {
      reached++;
      socket.end('you reached the host\n');
    });
    await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
    port = (server.address() as {port: number}).port;
    dir = await mkdtemp(join(tmpdir(), 'harden-no-host-net-'));
  }, 600_000);

  afterAll(async () => {
    await new Promise(done => server?.close(done));
    if (dir) await rm(dir, {recursive: true, force: true});
  });

  for (const user of [undefined, '1000:1000']) {
    it(`verify ${user ? `as ${user}` : 'with no USER (root)'}: answers through the probe, never reaches the host, holds ${user ? 'no capability' : 'only the step-down capabilities'}`, async () => {
      await writeFile(join(dir, 'Dockerfile'), dockerfile(user).replace('${HOST_PORT}', String(port)));
      reached = 0;
      const seen: string[] = [];
      const sampler = setInterval(() => void onHostNetwork().then(ids => seen.push(...ids)).catch(() => undefined), 200);
      let result;
      try {
        result = await harden(['verify', '.', '--json', '--settle', '1']);
      } finally {
        clearInterval(sampler);
      }
      const verified = JSON.parse(result.stdout) as {ok: boolean; checks: Array<{name: string; ok: boolean; detail: string}>; logs: string};
      expect(verified!.ok, result.stdout).toBe(true);
      expect(verified!.checks.find(c => c.name === 'ready')?.detail).toMatch(/^GET \/ on port 8080 answered 200 /);
      expect(verified!.checks.find(c => c.name === 'start')?.detail).toContain('no network');
      expect(verified!.logs).not.toContain('REACHED-THE-HOST');
      // CapEff: none for a user; CHOWN, DAC_OVERRIDE, FOWNER, KILL, SETGID, SETUID (0xeb) for root. Docker's default is 0xa80425fb.
      expect(verified!.logs).toMatch(user ? /CapEff:\s+0000000000000000/ : /CapEff:\s+00000000000000eb/);
      expect(reached).toBe(0);
      expect(seen).toEqual([]);
    }, 300_000);
  }

  it('paths: the shadow run has no network and no-new-privileges, and never reaches the host', async () => {
    await writeFile(join(dir, 'Dockerfile'), dockerfile().replace('${HOST_PORT}', String(port)));
    reached = 0;
    const result = await harden(['paths', '.', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(reached).toBe(0);
  }, 300_000);
});
