// Bundles the CLI with esbuild. Code splitting keeps each command in its own chunk,
// so `harden --help` and `--version` never load yaml, dockerfile-ast, Ink or dockerode.
import {build} from 'esbuild';
import {readFile} from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['source/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: false,
  logLevel: 'warning',
  define: {HARDEN_VERSION: JSON.stringify(pkg.version)},
});
