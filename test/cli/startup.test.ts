import {execFile} from 'node:child_process';
import {readFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {promisify} from 'node:util';
import {build, type Metafile} from 'esbuild';
import {describe, expect, it} from 'vitest';

const run = promisify(execFile);
const bin = 'bin/harden.js';

/**
 * Static imports of a bundle file and, transitively, of the chunks it imports. The bundle is
 * minified (several statements to a line), so imports are found anywhere, not line by line;
 * `import(` (dynamic) and `import.meta` do not match.
 */
async function staticImports(file: string, seen = new Set<string>()): Promise<Set<string>> {
  const text = await readFile(file, 'utf8');
  for (const match of text.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{},\s]*?\bfrom\s*)?["']([^"']+)["']/g)) {
    const specifier = match[1]!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    if (specifier.startsWith('.')) await staticImports(join(dirname(file), specifier), seen);
  }
  return seen;
}

/** The bundle as scripts/build.js makes it, in memory, with esbuild's account of what each chunk holds. */
async function bundleMeta(): Promise<Metafile> {
  const {buildOptions} = await import('../../scripts/build.js');
  const result = await build({...buildOptions, write: false, metafile: true, logLevel: 'silent'});
  return result.metafile;
}

/** Every input bundled into the chunk of `entry` and the chunks it imports statically; and the externals they import statically. */
function closure(meta: Metafile, entry: string): {inputs: string[]; externals: string[]} {
  const output = Object.keys(meta.outputs).find(out => meta.outputs[out]!.entryPoint === entry);
  if (!output) throw new Error(`no chunk for ${entry}`);
  const inputs = new Set<string>();
  const externals = new Set<string>();
  const queue = [output];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const out = queue.pop()!;
    if (seen.has(out)) continue;
    seen.add(out);
    for (const input of Object.keys(meta.outputs[out]!.inputs)) inputs.add(input);
    for (const imported of meta.outputs[out]!.imports) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external) externals.add(imported.path);
      else queue.push(imported.path);
    }
  }
  return {inputs: [...inputs], externals: [...externals]};
}

const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];

describe('start-up', () => {
  it('loads only node built-ins before a command runs', async () => {
    const imports = [...(await staticImports('dist/cli.js'))];
    expect(imports.filter(s => s.startsWith('./chunk-')).length).toBeGreaterThan(0);
    expect(imports.filter(s => !s.startsWith('.') && !s.startsWith('node:'))).toEqual([]);
  });

  it('bundles each dependency into the chunk of the step that needs it', async () => {
    const meta = await bundleMeta();
    const packages = (entry: string) => [...new Set(closure(meta, entry).inputs.map(packageOf).filter(p => p !== undefined))].sort();
    // --help and --version: our own code only.
    expect(packages('source/cli.ts')).toEqual([]);
    expect(closure(meta, 'source/cli.ts').externals.filter(s => !s.startsWith('node:'))).toEqual([]);
    // The audit: yaml, and none of Ink, React or the engine.
    const audit = packages('source/commands/audit.ts');
    expect(audit).toContain('yaml');
    expect(audit.filter(p => /^(ink|react|react-reconciler|@inkjs\/ui|yoga-layout|dockerode|diff)$/.test(p))).toEqual([]);
    expect(closure(meta, 'source/commands/audit.ts').externals.filter(s => !s.startsWith('node:'))).toEqual([]);
    // yaml as ES modules, not its CommonJS build behind esbuild's getters (scripts/build.js: yamlAsEsm).
    const yamlFiles = closure(meta, 'source/commands/audit.ts').inputs.filter(input => packageOf(input) === 'yaml');
    expect(yamlFiles.length).toBeGreaterThan(0);
    expect(yamlFiles.filter(input => !input.includes('node_modules/yaml/browser/dist/'))).toEqual([]);
    // The wizard draws its first frame with Ink and React alone: yaml, the audit and the engine load with the scan.
    expect(packages('source/commands/wizard.ts').filter(p => /^(ink|react|yaml|dockerode)$/.test(p))).toEqual([]);
    const ui = packages('source/app/run-wizard.tsx');
    expect(ui).toEqual(expect.arrayContaining(['ink', 'react']));
    expect(ui.filter(p => /^(yaml|dockerode|dockerfile-ast)$/.test(p))).toEqual([]);
    expect(closure(meta, 'source/app/run-wizard.tsx').externals.filter(s => !s.startsWith('node:'))).toEqual(['yoga-layout']);
    // The engine's client and dockerfile-ast stay in node_modules, and nothing loads them before a step asks.
    const bundled = new Set(Object.values(meta.outputs).flatMap(o => Object.keys(o.inputs)).map(packageOf));
    for (const name of ['dockerode', 'ssh2', 'tar-fs', 'dockerfile-ast']) expect(bundled.has(name), name).toBe(false);
    for (const entry of ['source/cli.ts', 'source/commands/audit.ts']) {
      expect(closure(meta, entry).externals, entry).not.toContain('dockerode');
    }
  }, 60_000);

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
