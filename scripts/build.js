// Bundles the CLI with esbuild: our code and its npm dependencies in one ESM bundle, split at
// the dynamic import() of each command and step, so `harden --help` and `--version` load only
// node built-ins and each dependency loads with the step that needs it (yaml with the audit,
// Ink and React with the wizard). Loading Ink and React from node_modules took 420 ms, from
// the bundle 115 ms: Node resolves and links hundreds of small ESM files otherwise. The audit
// gains from bundling yaml as ES modules (see yamlAsEsm).
import {build} from 'esbuild';
import {readFile, rm} from 'node:fs/promises';
import {fileURLToPath, pathToFileURL} from 'node:url';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * Left to node_modules (all are dependencies, or theirs), each for a reason:
 * - dockerode and tar-fs: engine steps only; they pull in ssh2 (optional native addons
 *   cpu-features and sshcrypto.node), gRPC and protobufjs, 850 kB minified, against the
 *   package's 1 MB budget (test/integrations/package.test.ts), for a load that a container
 *   build or run dwarfs.
 * - dockerfile-ast: read only for Dockerfiles the line scanner leaves to it (createRequire
 *   in core/parse/dockerfile-view.ts), 85 kB.
 * - yoga-layout: Ink's layout engine, WebAssembly compiled at load; bundling its 125 kB
 *   saved 7 ms.
 * - ws and react-devtools-core: Ink's dev tools, imported only when DEV=true.
 */
const external = ['dockerode', 'tar-fs', 'dockerfile-ast', 'yoga-layout', 'ws', 'react-devtools-core'];

/**
 * yaml as ES modules: its package gives Node the CommonJS build, which esbuild wraps so that
 * every call into it (isScalar, isMap, ... on each node of each file) goes through a getter
 * of the module namespace. Its ES module build (the one the package names for browsers) is
 * the same code: only a warning goes to console.warn instead of process.emitWarning, and a
 * !!binary scalar reads as a Uint8Array (Buffer is one). Bundled as ES modules, the calls are
 * plain function calls: the audit of the bench's 3,000 files took 15% less time (2.75 s
 * against 3.22 s, medians of 8 runs taken in turn), with the same output byte for byte.
 */
const yamlAsEsm = {
  name: 'yaml-as-esm',
  setup(build) {
    const entry = fileURLToPath(new URL('../node_modules/yaml/browser/dist/index.js', import.meta.url));
    build.onResolve({filter: /^yaml$/}, () => ({path: entry}));
  },
};

/** The esbuild options, also for test/cli/startup.test.ts, which checks what each chunk holds. */
export const buildOptions = {
  entryPoints: ['source/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  plugins: [yamlAsEsm],
  // Minified to fit the package budget. Not keepNames: it re-labels every closure as it is made
  // and cost 7% of a 9,000-file audit; errors carry their own names (UserError, BuildFailed).
  minify: true,
  // Non-ASCII text (box drawing, arrows, dashes) as UTF-8, not \uXXXX escapes: 6 bytes each became 2 or 3, about 15 kB of the budget.
  charset: 'utf8',
  sourcemap: false,
  logLevel: 'warning',
  // CommonJS dependencies (React, debug, ...) call require() for node built-ins; an ESM bundle has none of its own.
  banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"},
  define: {HARDEN_VERSION: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"'},
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // Emptied first: chunks of earlier builds would otherwise be shipped (their names change with every build).
  await rm('dist', {recursive: true, force: true});
  await build(buildOptions);
}
