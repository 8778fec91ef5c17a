import {execFile} from 'node:child_process';
import {readFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';

const run = promisify(execFile);
const bin = 'bin/harden.js';

/** Static imports of a bundle file and, transitively, of the chunks it imports. */
async function staticImports(file: string, seen = new Set<string>()): Promise<Set<string>> {
  const text = await readFile(file, 'utf8');
  for (const match of text.matchAll(/^import\s*(?:[^'"]*?from\s*)?["']([^"']+)["'];?$/gm)) {
    const specifier = match[1]!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    if (specifier.startsWith('.')) await staticImports(join(dirname(file), specifier), seen);
  }
  return seen;
}

describe('start-up', () => {
  it('loads only node built-ins before a command runs', async () => {
    const imports = [...(await staticImports('dist/cli.js'))];
    expect(imports.filter(s => !s.startsWith('.') && !s.startsWith('node:'))).toEqual([]);
  });

  it('answers --version and --help', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as {version: string};
    expect((await run('node', [bin, '--version'])).stdout).toBe(`${pkg.version}\n`);
    const help = (await run('node', [bin, '--help'])).stdout;
    expect(help).toContain('harden audit [PATH...]');
    expect((await run('node', [bin, 'audit', '--help'])).stdout).toContain('--fail-on LEVEL');
    // Every command has its own page, not the general one.
    for (const command of ['audit', 'fix', 'undo', 'paths', 'verify']) {
      expect((await run('node', [bin, command, '--help'])).stdout, command).toMatch(new RegExp(`^Usage: harden ${command}`));
    }
  });

  it('refuses an unknown command with exit 2 and a hint', async () => {
    const error = await run('node', [bin, 'frobnicate']).catch((e: {code: number; stderr: string}) => e);
    expect(error).toMatchObject({code: 2});
    expect((error as {stderr: string}).stderr).toBe('harden: unknown command "frobnicate"\n  run "harden --help" to see the commands\n');
  });

  it('without a terminal, the wizard says what to use instead (exit 2) and the demo shows the audit and fix preview', async () => {
    const wizard = await run('node', [bin], {}).catch((e: {code: number; stderr: string}) => e);
    expect(wizard).toMatchObject({code: 2});
    expect((wizard as {stderr: string}).stderr).toBe('harden: the wizard needs a terminal; use "harden audit" and "harden fix" in scripts\n');
    const demo = await run('node', [bin, 'demo']);
    expect(demo.stderr).toMatch(/^harden: the demo project is in \S+\nharden: no terminal, so no wizard/);
    expect(demo.stdout).toContain('read-only-rootfs');
    expect(demo.stdout).toContain('+++ b/compose.yaml');
  });
});
