/** connectEngine against fake engines on temp unix sockets: no real engine needed. */
import {createServer, type Server, type ServerResponse} from 'node:http';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {compareVersions, connectEngine, EngineUnavailable, unavailable} from '../../../source/runtime/docker/engine.js';

let dir: string;
let servers: Server[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'harden-engine-unit-'));
  servers = [];
});
afterEach(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  }
  await rm(dir, {recursive: true, force: true});
});

/** A fake engine on a unix socket; `answer` handles every request. */
async function fakeEngine(answer: (path: string, response: ServerResponse) => void): Promise<string> {
  const socket = join(dir, `engine-${servers.length}.sock`);
  const server = createServer((request, response) => answer(request.url ?? '', response));
  servers.push(server);
  await new Promise<void>(resolve => server.listen(socket, resolve));
  return socket;
}

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, {'Content-Type': 'application/json'});
  response.end(JSON.stringify(body));
};

async function failure(promise: Promise<unknown>): Promise<EngineUnavailable> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(EngineUnavailable);
  return error as EngineUnavailable;
}

describe('connectEngine', () => {
  it('describes an engine that answers /version, and recognises Podman', async () => {
    const socket = await fakeEngine((path, response) =>
      path === '/version'
        ? json(response, 200, {ApiVersion: '1.41', Version: '4.9.3', Components: [{Name: 'Podman Engine', Version: '4.9.3'}]})
        : json(response, 404, {message: 'not here'}),
    );
    const engine = await connectEngine({DOCKER_HOST: `unix://${socket}`});
    expect(await engine.info()).toEqual({
      endpoint: `unix://${socket}`,
      source: 'DOCKER_HOST',
      apiVersion: '1.41',
      serverVersion: '4.9.3',
      podman: true,
    });
  });

  it('refuses an API older than 1.40', async () => {
    const socket = await fakeEngine((_path, response) => json(response, 200, {ApiVersion: '1.39', Version: '18.09.9'}));
    const error = await failure(connectEngine({DOCKER_HOST: `unix://${socket}`}));
    expect(error.problem).toBe('old-api');
    expect(error.message).toBe(`the engine at unix://${socket} speaks Docker API 1.39; harden needs 1.40 or later`);
    expect(error.hint).toMatch(/upgrade/);
  });

  it('gives up on an engine that does not answer within the timeout', async () => {
    const socket = await fakeEngine(() => {});
    const started = Date.now();
    const error = await failure(connectEngine({DOCKER_HOST: `unix://${socket}`}, {timeoutMs: 300}));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.problem).toBe('no-answer');
    expect(error.message).toBe(`no answer from unix://${socket} (from DOCKER_HOST) within 0.3 s`);
  });

  it('reports something that answers but is not an engine', async () => {
    const socket = await fakeEngine((_path, response) => json(response, 404, {message: 'page not found'}));
    const error = await failure(connectEngine({DOCKER_HOST: `unix://${socket}`}));
    expect(error.problem).toBe('no-answer');
    expect(error.message).toContain('did not answer as a Docker engine: page not found');
  });

  it('names the default socket, and how it was chosen, when nothing listens there', async () => {
    const socket = join(dir, 'docker.sock');
    const error = await failure(
      connectEngine({HOME: dir}, {io: {dockerSocket: socket, podmanSocket: join(dir, 'podman.sock')}}),
    );
    expect(error).toMatchObject({
      problem: 'no-engine',
      message: `no Docker engine at unix://${socket} (from default socket)`,
      hint: 'start Docker or set DOCKER_HOST',
      endpoint: `unix://${socket}`,
    });
  });

  it('reports a refused tcp connection and a malformed DOCKER_HOST', async () => {
    const refused = await failure(connectEngine({DOCKER_HOST: 'tcp://127.0.0.1:1'}));
    expect(refused.message).toBe('no Docker engine at tcp://127.0.0.1:1 (from DOCKER_HOST)');
    const malformed = await failure(connectEngine({DOCKER_HOST: 'tcp://:::'}));
    expect(malformed.problem).toBe('bad-address');
  });
});

describe('unavailable', () => {
  const found = {endpoint: 'unix:///var/run/docker.sock', source: 'default socket'};

  it('turns EACCES into permission denied with the docker-group hint', () => {
    expect(unavailable(Object.assign(new Error('connect EACCES'), {code: 'EACCES'}), found)).toMatchObject({
      problem: 'permission-denied',
      message: 'permission denied on unix:///var/run/docker.sock (from default socket)',
      hint: 'add yourself to the docker group or use rootless Docker',
    });
  });

  it('turns ENOENT and ECONNREFUSED into no engine', () => {
    for (const code of ['ENOENT', 'ECONNREFUSED']) {
      expect(unavailable(Object.assign(new Error(code), {code}), found).message).toBe(
        'no Docker engine at unix:///var/run/docker.sock (from default socket)',
      );
    }
    expect(unavailable({code: 'ENOENT'}, {endpoint: 'unix:///x.sock', source: 'context colima'}).hint).toContain(
      'docker context use default',
    );
  });
});

describe('compareVersions', () => {
  it.each([
    ['1.41', '1.40', 1],
    ['1.40', '1.40', 0],
    ['1.9', '1.40', -1],
    ['2.0', '1.40', 1],
    ['', '1.40', -1],
  ])('%s vs %s', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});
