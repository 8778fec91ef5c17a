/**
 * The network probe's static executables (scripts/prober), run for real against servers on
 * this machine's loopback: x86_64 natively, aarch64 under qemu-aarch64-static. The engine test
 * (no-host-network.docker.test.ts) runs the probe the way harden does, in a container.
 */
import {execFile} from 'node:child_process';
import {createHash} from 'node:crypto';
import {chmod, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createServer, type Server} from 'node:net';
import {arch, tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {proberBinaries} from '../../../source/runtime/docker/prober-binaries.js';
import {singleFileTar} from '../../../source/runtime/docker/prober.js';
import {hasProgram} from '../../support/programs.js';

let dir: string;
const servers: Server[] = [];

/**
 * A server on 127.0.0.1 that answers each connection with `answer` (or never, when undefined),
 * in pieces written `gapMs` apart when it is a list (headers, then the body, as wsgiref and
 * Java's HttpServer send them); resolves with its port.
 */
async function serve(answer: string | readonly string[] | undefined, gapMs = 0): Promise<number> {
  const server = createServer(socket => {
    socket.on('error', () => undefined);
    socket.once('data', async () => {
      if (answer === undefined) return;
      const pieces = typeof answer === 'string' ? [answer] : answer;
      for (const [index, piece] of pieces.entries()) {
        if (index > 0) await new Promise(done => setTimeout(done, gapMs));
        socket.write(piece);
      }
      socket.end();
    });
  });
  servers.push(server);
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  return (server.address() as {port: number}).port;
}

/** A port nothing listens on: one a server had, closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const {port} = server.address() as {port: number};
  await new Promise(done => server.close(done));
  return port;
}

function run(command: string[], timeoutMs = 10_000): Promise<{code: number; stdout: string}> {
  return new Promise(done => {
    execFile(command[0]!, command.slice(1), {timeout: timeoutMs}, (error, stdout) => {
      const code = error ? Number((error as {code?: unknown}).code ?? -1) : 0;
      done({code, stdout});
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'harden-prober-'));
  for (const [name, binary] of Object.entries(proberBinaries)) {
    await writeFile(join(dir, name), Buffer.from(binary.base64, 'base64'));
    await chmod(join(dir, name), 0o755);
  }
});
afterAll(async () => {
  for (const server of servers) server.close();
  await rm(dir, {recursive: true, force: true});
});

describe('the embedded probes', () => {
  for (const [name, binary] of Object.entries(proberBinaries)) {
    it(`${name} was built from the source as it is now (run scripts/prober/build.sh after editing it)`, async () => {
      const source = await readFile(join('scripts', 'prober', `probe-${name}.S`));
      expect(createHash('sha256').update(source).digest('hex')).toBe(binary.sourceSha256);
    });

    it(`${name} is a small static ELF executable for its machine`, () => {
      const bytes = Buffer.from(binary.base64, 'base64');
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      expect(bytes.readUInt16LE(18)).toBe(name === 'x86_64' ? 62 : 183); // e_machine: EM_X86_64, EM_AARCH64
      expect(bytes.length).toBeLessThan(4096);
    });
  }

  const runners: Array<[string, () => Promise<string | undefined>, (path: string) => string[]]> = [
    ['x86_64', async () => (arch() === 'x64' && process.platform === 'linux' ? undefined : 'this machine is not x86_64 Linux'), path => [path]],
    ['aarch64', async () => (process.platform === 'linux' && (await hasProgram('qemu-aarch64-static')) ? undefined : 'qemu-aarch64-static is not installed (Debian: qemu-user-static)'), path => ['qemu-aarch64-static', path]],
  ];
  for (const [name, why, command] of runners) {
    describe(`${name}, run`, () => {
      const probe = (...args: string[]) => run([...command(join(dir, name)), ...args]);
      const skip = async (context: {skip: (note: string) => void}) => {
        const reason = await why();
        if (reason !== undefined && !process.env['CI']) context.skip(reason);
        if (reason !== undefined) throw new Error(`CI must run the ${name} probe: ${reason}`);
      };

      it('sends the request and prints the first bytes of the answer; exit 0', async context => {
        await skip(context);
        const port = await serve('HTTP/1.1 204 No Content\r\nServer: test\r\n\r\n');
        expect(await probe(String(port), 'GET / HTTP/1.0\r\n\r\n')).toEqual({code: 0, stdout: 'HTTP/1.1 204 No Content\r\nServer: test\r\n\r\n'});
      });

      it('reads an answer sent in pieces until the server closes: the body is not lost', async context => {
        await skip(context);
        const pieces = ['HTTP/1.0 200 OK\r\nContent-Length: 11\r\n\r\n', 'hello ', 'world'];
        expect(await probe(String(await serve(pieces, 300)), 'GET / HTTP/1.0\r\n\r\n')).toEqual({code: 0, stdout: pieces.join('')});
      });

      it('prints at most the first 512 bytes of a longer answer', async context => {
        await skip(context);
        const body = 'x'.repeat(2000);
        const result = await probe(String(await serve(['HTTP/1.0 200 OK\r\n\r\n', body], 50)), 'GET / HTTP/1.0\r\n\r\n');
        expect(result.code).toBe(0);
        expect(result.stdout).toBe(('HTTP/1.0 200 OK\r\n\r\n' + body).slice(0, 512));
      });

      it('with a port only, exits 0 once the connection is accepted', async context => {
        await skip(context);
        expect(await probe(String(await serve(undefined)))).toEqual({code: 0, stdout: ''});
      });

      it('exits 1 when the connection is refused', async context => {
        await skip(context);
        expect((await probe(String(await closedPort()), 'GET / HTTP/1.0\r\n\r\n')).code).toBe(1);
      });

      it('exits 3 when the server accepts and never answers, after its 3 s receive timeout', async context => {
        await skip(context);
        const started = Date.now();
        expect((await probe(String(await serve(undefined)), 'GET / HTTP/1.0\r\n\r\n')).code).toBe(3);
        expect(Date.now() - started).toBeGreaterThan(2_500);
      });

      it('exits 2 for a port that is not a number from 1 to 65535, or none', async context => {
        await skip(context);
        for (const args of [[], ['0'], ['65536'], ['80x'], [''], ['-1'], ['99999999999999999999']]) expect((await probe(...args)).code, JSON.stringify(args)).toBe(2);
      });
    });
  }
});

describe('singleFileTar', () => {
  it('is a ustar archive tar itself reads back', async () => {
    const bytes = Buffer.from('#!/bin/sh\necho hi\n');
    const tar = singleFileTar('probe', bytes);
    expect(tar.length % 512).toBe(0);
    await writeFile(join(dir, 'one.tar'), tar);
    const listed = await run(['tar', '-tvf', join(dir, 'one.tar')]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^-rwxr-xr-x \S+ +18 .* probe\n$/);
    const extracted = await run(['tar', '-xOf', join(dir, 'one.tar'), 'probe']);
    expect(extracted.stdout).toBe(bytes.toString());
  });
});
