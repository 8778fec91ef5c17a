import {spawn} from 'node:child_process';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bin} from '../hostile/support.js';

/*
 * `harden audit | head -3`: the reader closes the pipe after its first lines and every later
 * write fails with EPIPE. The built CLI runs on a project whose output is far longer than a
 * pipe buffer (64 KiB), and the read end is destroyed after the first chunk.
 */

interface Closed {
  code: number | null;
  stderr: string;
  /** Bytes read before the pipe was closed. */
  read: number;
}

function runAndClose(args: string[], cwd: string): Promise<Closed> {
  return new Promise((done, fail) => {
    const child = spawn('node', [bin, ...args], {cwd, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
    let stderr = '';
    let read = 0;
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdout.once('data', (chunk: Buffer) => {
      read = chunk.length;
      child.stdout.destroy();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', fail);
    child.on('close', code => {
      clearTimeout(timer);
      done({code, stderr, read});
    });
  });
}

const services = 300;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'harden-pipe-'));
  const lines = ['services:'];
  for (let i = 0; i < services; i++) lines.push(`  service-${i}:`, '    image: nginx:1.27', '    user: "1000"');
  await writeFile(join(dir, 'compose.yaml'), lines.join('\n') + '\n');
});

afterAll(() => rm(dir, {recursive: true, force: true}));

describe('a reader that closes the pipe early', () => {
  it.each([
    [['audit'], 1],
    [['audit', '--format', 'json'], 1],
    [['audit', '--format', 'sarif'], 1],
    [['fix'], 0],
    [['fix', '--json'], 0],
  ])('harden %j ends quietly with its own exit code', async (args, code) => {
    const result = await runAndClose(args, dir);
    expect(result.read).toBeGreaterThan(0);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(code);
  });

  it('does not stop fix --yes halfway: every service is written, and undo has its backup', async () => {
    const result = await runAndClose(['fix', '--yes'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const text = await readFile(join(dir, 'compose.yaml'), 'utf8');
    expect(text.match(/read_only: true/g)).toHaveLength(services);
    const undo = await runAndClose(['undo'], dir);
    expect(undo.code).toBe(0);
    expect(await readFile(join(dir, 'compose.yaml'), 'utf8')).not.toContain('read_only');
  });
});
