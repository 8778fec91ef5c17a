import {createHash} from 'node:crypto';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {findEndpoint, type EndpointIo} from '../../../source/runtime/docker/endpoint.js';
import {EngineUnavailable} from '../../../source/runtime/docker/errors.js';

let dir: string;
let home: string;
/** Sockets are faked as plain files under the temp dir; the real /var/run/docker.sock is never looked at. */
let io: Partial<EndpointIo>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'harden-endpoint-'));
  home = join(dir, 'home');
  await mkdir(join(home, '.docker'), {recursive: true});
  io = {homeDir: home, dockerSocket: join(dir, 'docker.sock'), podmanSocket: join(dir, 'run-podman.sock')};
  await writeFile(join(dir, 'docker.sock'), '');
});
afterEach(async () => {
  await rm(dir, {recursive: true, force: true});
});

const sha = (name: string) => createHash('sha256').update(name).digest('hex');

async function writeContext(configDir: string, name: string, host: string | undefined): Promise<void> {
  const metaDir = join(configDir, 'contexts', 'meta', sha(name));
  await mkdir(metaDir, {recursive: true});
  const endpoints = host === undefined ? {} : {docker: {Host: host, SkipTLSVerify: false}};
  await writeFile(join(metaDir, 'meta.json'), JSON.stringify({Name: name, Metadata: {}, Endpoints: endpoints}));
}

function problemOf(run: () => unknown): {problem: string; message: string; hint: string | undefined} {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineUnavailable);
    const {problem, message, hint} = error as EngineUnavailable;
    return {problem, message, hint};
  }
  throw new Error('expected EngineUnavailable');
}

describe('findEndpoint', () => {
  it('uses the default socket when nothing is configured and no config.json exists', () => {
    const found = findEndpoint({HOME: home}, io);
    expect(found.endpoint).toBe(`unix://${dir}/docker.sock`);
    expect(found.source).toBe('default socket');
    expect(found.dockerodeOptions.socketPath).toBe(join(dir, 'docker.sock'));
    expect(found.warnings).toEqual([]);
  });

  it('DOCKER_HOST wins over DOCKER_CONTEXT and the current context in config.json', async () => {
    await writeContext(join(home, '.docker'), 'remote', 'tcp://10.0.0.1:2375');
    await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({currentContext: 'remote'}));
    const found = findEndpoint({HOME: home, DOCKER_HOST: 'unix:///tmp/other.sock', DOCKER_CONTEXT: 'remote'}, io);
    expect(found).toMatchObject({endpoint: 'unix:///tmp/other.sock', source: 'DOCKER_HOST'});
    // Set explicitly, so dockerode's own reading of process.env cannot add a host.
    expect(found.dockerodeOptions).toMatchObject({socketPath: '/tmp/other.sock', host: undefined});
    expect('host' in found.dockerodeOptions).toBe(true);
  });

  it('reads tcp DOCKER_HOST, with a default port, and host:port without a scheme', () => {
    expect(findEndpoint({DOCKER_HOST: 'tcp://127.0.0.1:2375'}, io)).toMatchObject({
      endpoint: 'tcp://127.0.0.1:2375',
      dockerodeOptions: {host: '127.0.0.1', port: '2375', protocol: 'http', socketPath: undefined},
    });
    expect(findEndpoint({DOCKER_HOST: 'tcp://localhost'}, io).endpoint).toBe('tcp://localhost:2375');
    expect(findEndpoint({DOCKER_HOST: '127.0.0.1:2380'}, io).endpoint).toBe('tcp://127.0.0.1:2380');
  });

  it('uses TLS with the certificates in DOCKER_CERT_PATH when DOCKER_TLS_VERIFY is set', async () => {
    const certs = join(dir, 'certs');
    await mkdir(certs);
    for (const name of ['ca.pem', 'cert.pem', 'key.pem']) await writeFile(join(certs, name), `${name} bytes`);
    const found = findEndpoint(
      {DOCKER_HOST: 'tcp://127.0.0.1', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs},
      io,
    );
    expect(found.endpoint).toBe('tcp://127.0.0.1:2376');
    expect(found.dockerodeOptions.protocol).toBe('https');
    expect(String(found.dockerodeOptions.ca)).toBe('ca.pem bytes');
    expect(String(found.dockerodeOptions.key)).toBe('key.pem bytes');
  });

  it('reports TLS certificates that cannot be read', () => {
    const failure = problemOf(() =>
      findEndpoint({DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: join(dir, 'none')}, io),
    );
    expect(failure.problem).toBe('bad-address');
    expect(failure.message).toContain(join(dir, 'none', 'ca.pem'));
  });

  it.each([
    ['tcp://', 'is not a valid address'],
    ['tcp://host:notaport', 'is not a valid address'],
    ['tcp://host:2375/path', 'is not a valid address'],
    ['foo://bar', 'has an unknown scheme "foo://"'],
    ['unix://relative.sock', 'needs an absolute socket path'],
    ['ssh://me@host', 'uses ssh://, which harden does not support'],
  ])('refuses a malformed DOCKER_HOST %s', (host, why) => {
    const failure = problemOf(() => findEndpoint({DOCKER_HOST: host}, io));
    expect(failure.problem).toBe('bad-address');
    expect(failure.message).toBe(`DOCKER_HOST "${host}" ${why}`);
    expect(failure.hint).toBeTruthy();
  });

  it('follows DOCKER_CONTEXT to the meta.json in the directory named by the sha256 of its name', async () => {
    await writeContext(join(home, '.docker'), 'colima', 'unix:///home/me/.colima/docker.sock');
    const found = findEndpoint({HOME: home, DOCKER_CONTEXT: 'colima'}, io);
    expect(found).toMatchObject({endpoint: 'unix:///home/me/.colima/docker.sock', source: 'context colima'});
  });

  it('follows currentContext in config.json under DOCKER_CONFIG', async () => {
    const config = join(dir, 'elsewhere');
    await writeContext(config, 'remote', 'tcp://127.0.0.1:2375');
    await writeFile(join(config, 'config.json'), JSON.stringify({auths: {}, currentContext: 'remote'}));
    // A different context in ~/.docker must not be used when DOCKER_CONFIG points elsewhere.
    await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({currentContext: 'other'}));
    const found = findEndpoint({HOME: home, DOCKER_CONFIG: config}, io);
    expect(found).toMatchObject({endpoint: 'tcp://127.0.0.1:2375', source: 'context remote'});
  });

  it('takes the TLS files of a context from contexts/tls/<sha256>/docker', async () => {
    await writeContext(join(home, '.docker'), 'secure', 'tcp://127.0.0.1:2376');
    const tls = join(home, '.docker', 'contexts', 'tls', sha('secure'), 'docker');
    await mkdir(tls, {recursive: true});
    for (const name of ['ca.pem', 'cert.pem', 'key.pem']) await writeFile(join(tls, name), name);
    const found = findEndpoint({HOME: home, DOCKER_CONTEXT: 'secure'}, io);
    expect(found.dockerodeOptions).toMatchObject({protocol: 'https', host: '127.0.0.1', port: '2376'});
    expect(String(found.dockerodeOptions.cert)).toBe('cert.pem');
  });

  it('treats the context "default", and a context without a docker host, as the default socket', async () => {
    await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({currentContext: 'default'}));
    expect(findEndpoint({HOME: home}, io).source).toBe('default socket');
    await writeContext(join(home, '.docker'), 'empty', undefined);
    expect(findEndpoint({HOME: home, DOCKER_CONTEXT: 'empty'}, io).source).toBe('default socket');
  });

  it('falls back to the default socket, with a warning, when config.json is malformed', async () => {
    for (const text of ['{"currentContext": "remote"', '[]', 'null']) {
      await writeFile(join(home, '.docker', 'config.json'), text);
      const found = findEndpoint({HOME: home}, io);
      expect(found.source, text).toBe('default socket');
      expect(found.warnings, text).toEqual([`${join(home, '.docker', 'config.json')} is not a JSON object; ignored it`]);
    }
  });

  it('reports a context that does not exist or whose meta.json is malformed', async () => {
    const missing = problemOf(() => findEndpoint({HOME: home, DOCKER_CONTEXT: 'gone'}, io));
    expect(missing.problem).toBe('bad-address');
    expect(missing.message).toMatch(/^Docker context "gone" \(from DOCKER_CONTEXT\) not found: no .*meta\.json$/);
    expect(missing.hint).toContain('unset DOCKER_CONTEXT');

    const metaDir = join(home, '.docker', 'contexts', 'meta', sha('broken'));
    await mkdir(metaDir, {recursive: true});
    await writeFile(join(metaDir, 'meta.json'), '{');
    await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({currentContext: 'broken'}));
    const broken = problemOf(() => findEndpoint({HOME: home}, io));
    expect(broken.message).toContain('has a malformed');
    expect(broken.hint).toContain('docker context use');
  });

  it('uses the rootless Podman socket when Docker has none', async () => {
    await rm(join(dir, 'docker.sock'));
    const runtime = join(dir, 'xdg');
    await mkdir(join(runtime, 'podman'), {recursive: true});
    await writeFile(join(runtime, 'podman', 'podman.sock'), '');
    await writeFile(join(dir, 'run-podman.sock'), '');
    const found = findEndpoint({HOME: home, XDG_RUNTIME_DIR: runtime}, io);
    expect(found).toMatchObject({endpoint: `unix://${runtime}/podman/podman.sock`, source: 'podman socket'});
  });

  it('uses the rootful Podman socket when there is no rootless one', async () => {
    await rm(join(dir, 'docker.sock'));
    await writeFile(join(dir, 'run-podman.sock'), '');
    const found = findEndpoint({HOME: home, XDG_RUNTIME_DIR: join(dir, 'no-such-dir')}, io);
    expect(found).toMatchObject({endpoint: `unix://${dir}/run-podman.sock`, source: 'podman socket'});
  });

  it('names the default socket when there is no socket at all, so the error says where it looked', async () => {
    await rm(join(dir, 'docker.sock'));
    expect(findEndpoint({HOME: home}, io)).toMatchObject({
      endpoint: `unix://${dir}/docker.sock`,
      source: 'default socket',
    });
  });
});
