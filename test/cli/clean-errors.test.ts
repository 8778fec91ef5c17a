/**
 * What a person sees when harden refuses: one line (and a hint) starting "harden: ", exit 2 for
 * what they must fix, 3 for an engine that cannot be reached; never "internal error" or a stack.
 * Each case runs the built CLI on real input (issue 13, item 12).
 */
import {execFile, execFileSync} from 'node:child_process';
import {chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bin, harden, isCleanRefusal, scratch, type Run} from '../hostile/support.js';

let base: Awaited<ReturnType<typeof scratch>>;
beforeAll(async () => {
  base = await scratch();
});
afterAll(() => base.cleanup());

/** A clean refusal whose first line names the problem. */
function refuses(run: Run, code: number, line: RegExp): void {
  expect(run.stderr).not.toMatch(/internal error|\n\s+at |node:events/);
  expect(isCleanRefusal(run), run.stderr).toBe(true);
  expect(run.code).toBe(code);
  expect(run.stderr.split('\n')[0]).toMatch(/^harden: /);
  expect(run.stderr.split('\n')[0]).toMatch(line);
}

const noEngine = {DOCKER_HOST: 'unix:///tmp/harden-no-engine-here.sock'};

describe('verify and paths on a TARGET that is not there', () => {
  it.each([
    ['verify', '/nonexistent'],
    ['paths', '/nonexistent'],
    ['verify', './missing'],
    ['verify', '../missing/app'],
    ['verify', 'app/Dockerfile'],
    ['verify', 'deploy/compose.yaml:web'],
    ['paths', 'a//b'],
  ])('harden %s %s names the path, engine or not', async (command, target) => {
    refuses(await harden([command, target], base.project), 2, new RegExp(`${target.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: no such file or directory$`));
    refuses(await harden([command, target], base.project, noEngine), 2, /no such file or directory$/);
  });

  it.each([['Foo:bar'], ['has space'], ['x?y']])('a word no image or container can be called (%s) is refused before the engine is asked', async target => {
    refuses(await harden(['verify', target], base.project), 2, /not a name an image or container can have/);
  });

  it('an image or container name with no engine running: exit 3, one line', async () => {
    refuses(await harden(['verify', 'nginx:1.27'], base.project, noEngine), 3, /no Docker engine at unix:\/\/\/tmp\/harden-no-engine-here\.sock/);
    refuses(await harden(['paths', 'some-container'], base.project, noEngine), 3, /no Docker engine/);
  });
});

describe('harden demo DIR', () => {
  it.each([
    ['an existing file', async (dir: string) => writeFile(join(dir, 'target'), 'x'), /target exists and is not a directory$/],
    ['a dangling link', async (dir: string) => symlink(join(dir, 'nowhere'), join(dir, 'target')), /target is a symbolic link/],
    ['a link to a directory elsewhere', async (dir: string) => symlink(base.outside, join(dir, 'target')), /target is a symbolic link/],
    ['a path through a file', async (dir: string) => writeFile(join(dir, 'target'), 'x').then(() => 'target/demo'), /cannot use target\/demo: a part of the path is not a directory$/],
  ] as const)('refuses %s in one line and writes nothing', async (_what, make, line) => {
    const dir = await mkdtemp(join(base.project, 'demo-'));
    const arg = (await make(dir)) ?? 'target';
    refuses(await harden(['demo', arg], dir), 2, line);
    expect(await readdir(base.outside)).toEqual([]);
  });

  it.skipIf(process.platform !== 'linux')('refuses a directory it cannot create (/proc), at once', async () => {
    // Node's recursive mkdir spins forever on /proc/x; the demo makes one level at a time.
    refuses(await harden(['demo', '/proc/harden-demo-here'], base.project), 2, /cannot create \/proc\/harden-demo-here: no such file or directory$/);
  });

  it('refuses when the temporary directory cannot be made', async () => {
    refuses(await harden(['demo'], base.project, {TMPDIR: join(base.project, 'no-such-tmp')}), 2, /cannot create a temporary directory in .*no-such-tmp: no such file or directory$/);
  });

  const root = process.getuid?.() === 0;
  const setpriv = root && (() => {
    try {
      execFileSync('setpriv', ['--version'], {stdio: 'ignore'});
      return true;
    } catch {
      return false;
    }
  })();
  /** Runs the CLI as a user who cannot write the directory (nobody, when the tests run as root). */
  function unprivileged(args: string[], cwd: string): Promise<Run> {
    const [command, prefix] = root ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'node']] : ['node', []];
    return new Promise(done => {
      execFile(command, [...prefix, bin, ...args], {cwd, env: {...process.env, NO_COLOR: '1'}}, (error, stdout, stderr) => {
        done({code: error ? Number((error as {code?: unknown}).code ?? 1) : 0, stdout, stderr});
      });
    });
  }

  it.skipIf(root && !setpriv)('refuses a directory it may not write, and one it may not create', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harden-demo-ro-'));
    try {
      await chmod(dir, 0o755);
      await mkdir(join(dir, 'ro'), {mode: 0o555});
      await chmod(join(dir, 'ro'), 0o555);
      refuses(await unprivileged(['demo', join(dir, 'ro')], dir), 2, /ro is not writable$/);
      refuses(await unprivileged(['demo', join(dir, 'ro', 'new')], dir), 2, /cannot create .*ro\/new: permission denied$/);
      expect(await readdir(join(dir, 'ro'))).toEqual([]);
    } finally {
      await rm(dir, {recursive: true, force: true});
    }
  });
});

describe('harden fix on a Dockerfile whose base image is an ARG', () => {
  it('writes a runtime stage that reads as the slim sibling, never "a bug in harden"', async () => {
    const dir = await mkdtemp(join(base.project, 'arg-'));
    await writeFile(join(dir, 'Dockerfile'), 'ARG BASE=node:20\nFROM ${BASE}\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n');
    const preview = await harden(['fix', '--no-run', '--only', 'single-stage-build'], dir);
    expect(preview.stdout).not.toMatch(/a bug in harden|not done \(single-stage-build\)/);
    expect(preview.stdout).toContain('+FROM node:20-slim\n');
    expect(preview.code).toBe(0);
    expect((await harden(['fix', '--no-run', '--yes', '--only', 'single-stage-build'], dir)).code).toBe(0);
    const audit = JSON.parse((await harden(['audit', '--format', 'json', '--fail-on', 'none'], dir)).stdout) as {findings: Array<{rule: string}>; errors: unknown[]};
    expect(audit.errors).toEqual([]);
    expect(audit.findings.map(f => f.rule)).not.toContain('single-stage-build');
  });
});

describe('YAML the library refuses, as the user reads it', () => {
  const broken: Record<string, string> = {
    'multi/compose.yaml': 'services:\n  a:\n    image: nginx:1.27\n---\nservices:\n  b:\n    image: redis:7\n',
    'dup/compose.yaml': 'services:\n  a:\n    image: nginx:1.27\n    image: redis:7\n',
    'indent/compose.yaml': 'services:\n  a:\n    image: nginx:1.27\n   user: "1000"\n',
    'tabs/compose.yaml': 'services:\n\ta:\n\t\timage: nginx:1.27\n',
    'quote/compose.yaml': 'services:\n  a:\n    image: "nginx:1.27\n',
    'huge/compose.yaml': `services:\n  a:\n    image: nginx:1.27\n    labels: {${Array.from({length: 100_000}, (_, i) => `k${i}: v`).join(', ')}\n`,
    'alias/compose.yaml': 'services:\n  a:\n    image: nginx:1.27\n    <<: *defaults\n',
    'k8s/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\nspec:\n  containers:\n  - name: x\n    image: nginx:1.27\n',
  };

  it('audit and fix say what is wrong in plain words, with file:line, and nothing of the library\'s API', async () => {
    const dir = await mkdtemp(join(base.project, 'yaml-'));
    for (const [file, text] of Object.entries(broken)) {
      await mkdir(join(dir, file, '..'), {recursive: true});
      await writeFile(join(dir, file), text);
    }
    const json = await harden(['audit', '--format', 'json'], dir);
    const report = JSON.parse(json.stdout) as {errors: Array<{file: string; line: number; message: string}>};
    expect(Object.fromEntries(report.errors.map(e => [`${e.file}:${e.line}`, e.message]))).toEqual({
      'multi/compose.yaml:4': 'invalid YAML: more than one YAML document (a "---" line starts another one); harden reads a compose file as one document, as Compose does',
      'dup/compose.yaml:4': 'invalid YAML: the key "image" appears twice in the same mapping; each key may be given once',
      'indent/compose.yaml:4': 'invalid YAML: this line is not indented like the other keys of its mapping',
      'tabs/compose.yaml:2': 'invalid YAML: a tab indents this line; YAML indents with spaces only',
      'tabs/compose.yaml:3': 'invalid YAML: a tab indents this line; YAML indents with spaces only',
      'quote/compose.yaml:4': 'invalid YAML: a "double-quoted" value is never closed',
      'huge/compose.yaml:5': 'invalid YAML: a { } mapping is not closed with "}", or a line after it is not indented under its key',
      'alias/compose.yaml:4': 'invalid YAML: the alias *defaults names no anchor (&defaults) set before it',
      'k8s/pod.yaml:5': 'invalid YAML: the key "name" appears twice in the same mapping; each key may be given once',
    });
    for (const args of [['audit'], ['fix']]) {
      const run = await harden(args, dir);
      expect(run.stdout + run.stderr).not.toMatch(/YAML\.|parse(All)?Documents|Implicit|indicator|Map keys must|Tabs are not allowed|Missing closing/);
    }
  }, 60_000);
});

describe('harden fix beside files it could not read', () => {
  it('does not claim that every fixable finding is fixed already', async () => {
    const dir = await mkdtemp(join(base.project, 'unread-'));
    await writeFile(join(dir, 'compose.yaml'), 'services:\n  a:\n    image: "nginx\n');
    const run = await harden(['fix'], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('error: compose.yaml:4: invalid YAML');
    expect(run.stdout).not.toContain('fixed already');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('Nothing to change in the files harden could read; 1 file could not be read or changed (see above).');
  });
});
