import {readdir, readFile, rm, mkdtemp} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {installFakeNpx, packageVersion, projects, readmeSnippet, root, run} from './harness.js';

/*
 * What `npm publish` would upload, from `npm pack --dry-run --json`. --ignore-scripts skips the
 * `prepare` build (npm test has just built dist/) and keeps npm's script banner out of the JSON.
 */

/** A fresh build measured 669 kB unpacked (187 kB packed, 67 files) at first and 1,002 kB after the
 * trust, proof-by-running and grouped-audit work (issues 13-15): room to grow by a third, while
 * a stale dist/ (chunks of earlier builds: 6.4 MB on one machine) or a bundled dependency fails. */
const maxUnpackedBytes = 1_350_000;

interface Packed {
  name: string;
  version: string;
  size: number;
  unpackedSize: number;
  files: Array<{path: string; size: number}>;
}

let packed: Packed;

beforeAll(async () => {
  const dist = await readdir(join(root, 'dist')).catch((): string[] => []);
  if (!dist.includes('cli.js')) throw new Error('dist/cli.js is missing: run npm run build first (npm test does)');
  const result = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: root});
  if (result.code !== 0) throw new Error(`npm pack failed: ${result.stderr}`);
  [packed] = JSON.parse(result.stdout) as [Packed];
  console.info(`npm pack: ${packed.files.length} files, ${packed.size} B packed, ${packed.unpackedSize} B unpacked`);
});

describe('the npm package', () => {
  it('holds the CLI, its build, the templates, README and LICENSE', async () => {
    const paths = packed.files.map(f => f.path);
    expect(packed.name).toBe('harden-wizard');
    expect(packed.version).toBe(await packageVersion());
    expect(paths).toEqual(expect.arrayContaining([
      'package.json', 'bin/harden.js', 'dist/cli.js', 'README.md', 'LICENSE',
      'templates/demo/Dockerfile', 'templates/demo/compose.yaml', 'templates/runtime-bases.json', 'templates/ci/gitlab-harden.yml',
    ]));
    const license = await readFile(join(root, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 harden-wizard contributors\n/);
  });

  it('holds no sources, tests, fixtures, benchmarks, scripts, dependencies or source maps', () => {
    const unwanted = packed.files
      .map(f => f.path)
      .filter(path => /^(test|source|bench|scripts|node_modules|examples|\.ci)\//.test(path) || /(^|\/)(fixtures|node_modules)\//.test(path) || path.endsWith('.map'));
    expect(unwanted).toEqual([]);
  });

  it('ships only the dist/ files that dist/cli.js can load, none left from earlier builds', async () => {
    const shipped = new Set(packed.files.map(f => f.path).filter(path => path.startsWith('dist/')));
    const reachable = new Set<string>();
    const queue = ['dist/cli.js'];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (reachable.has(file)) continue;
      reachable.add(file);
      // esbuild's chunks import each other as "./chunk-ABC.js", statically or through import().
      const text = await readFile(join(root, file), 'utf8');
      for (const match of text.matchAll(/["']\.\/([\w.-]+\.js)["']/g)) queue.push(`dist/${match[1]}`);
    }
    const stale = [...shipped].filter(path => !reachable.has(path));
    if (stale.length > 0) {
      throw new Error(
        `${stale.length} of ${shipped.size} files in dist/ are never loaded (left by earlier builds, e.g. ${stale.slice(0, 2).join(', ')}); ` +
          'npm publish would ship them: scripts/build.js should empty dist/ before it builds',
      );
    }
    expect([...reachable].filter(path => !shipped.has(path))).toEqual([]);
  });

  it(`stays under ${maxUnpackedBytes} bytes unpacked`, () => {
    expect(packed.unpackedSize).toBeLessThan(maxUnpackedBytes);
  });
});

describe("the README's npx lines", () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, {recursive: true, force: true});
  });

  it('run the audit with the local CLI in place of the published one', async () => {
    const snippet = await readmeSnippet('npx');
    expect(snippet.lang).toBe('sh');
    const lines = snippet.text.split('\n').filter(line => line.trim() !== '' && !line.startsWith('#'));
    expect(lines).toHaveLength(2);
    const made = await projects('harden-npx-');
    dir = made.dir;
    const npx = await installFakeNpx(await mkdtemp(join(dir, 'npx-')), await packageVersion());
    const env = {...process.env, PATH: `${npx.binDir}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1'};
    // Each line as a person pastes it into a shell, in the unhardened project.
    const [consoleLine, sarifLine] = lines as [string, string];
    const first = await run('bash', ['-c', consoleLine], {cwd: made.unhardened, env});
    expect(first.stderr).not.toContain('fake npx');
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('read-only-rootfs');
    const second = await run('bash', ['-c', sarifLine], {cwd: made.unhardened, env});
    expect(second.code).toBe(0);
    const sarif = JSON.parse(await readFile(join(made.unhardened, 'harden.sarif'), 'utf8')) as {runs: Array<{results: unknown[]}>};
    expect(sarif.runs[0]?.results.length).toBeGreaterThan(0);
    expect(await npx.calls()).toHaveLength(2);
  });
});
