import {posix} from 'node:path';
import type {Segment} from './command.js';
import {afterCdReason, appDir, type ArtifactOutcome, type BuildContext, findAll, isRefusal, programName, refusal, resolveIn} from './artifacts.js';

/*
 * Node: the runtime stage gets package*.json, node_modules and the build output. The
 * production node_modules come from the builder after `npm prune --omit=dev` (npm 7 and
 * later; npm 6, which node:14 and older ship, knows only `--production`): prune only
 * deletes, so it needs no registry (an `npm ci --omit=dev` in the runtime stage would,
 * and it would also need the npm cache and the lockfile there). yarn has no offline
 * prune, so its node_modules are copied as they are. `mkdir -p node_modules` after the
 * prune: npm creates no node_modules for an app without dependencies, and COPY fails on a
 * missing source. yarn (Plug'n'Play may have no node_modules at all) gets the whole directory.
 *
 * The build output is the first directory of the file CMD runs (`node dist/server.js`)
 * when a build script ran and that directory is a known output (dist, build, .next, out,
 * lib). Without a build, or when CMD runs a script (`npm start`) whose target is in
 * package.json (which the core does not read), the whole app directory is copied: that
 * is always right, and still leaves the toolchain and devDependencies behind. The
 * `app-tree` level always copies the whole directory; `conservative` also skips the prune,
 * for apps that load a devDependency at run time.
 */

type Manager = 'npm' | 'yarn' | 'pnpm';

function installOf(segment: Segment): Manager | undefined {
  const [tool, ...rest] = segment.words;
  const verb = rest.find(w => !w.startsWith('-'));
  if (rest.some(w => w === '-g' || w === '--global') || (tool === 'yarn' && verb === 'global')) return undefined;
  if (tool === 'npm' && (verb === 'ci' || verb === 'install' || verb === 'i')) return 'npm';
  if (tool === 'pnpm' && (verb === 'install' || verb === 'i')) return 'pnpm';
  if (tool === 'yarn' && (verb === undefined || verb === 'install')) return 'yarn';
  return undefined;
}

function isBuild(segment: Segment): boolean {
  const [tool, ...rest] = segment.words;
  const verbs = rest.filter(w => !w.startsWith('-'));
  if (tool === 'npm') return (verbs[0] === 'run' || verbs[0] === 'run-script') && /build/.test(verbs[1] ?? '');
  if (tool === 'yarn' || tool === 'pnpm') return /build/.test(verbs[0] === 'run' ? (verbs[1] ?? '') : (verbs[0] ?? ''));
  return false;
}

/** Majors of the Node.js LTS code names a tag may use (`node:fermium`, `node:lts-fermium`). */
const codeNames: Readonly<Record<string, number>> = {argon: 4, boron: 6, carbon: 8, dubnium: 10, erbium: 12, fermium: 14, gallium: 16, hydrogen: 18, iron: 20, jod: 22};

/** The Node.js major a node image tag names, or undefined (`lts`, `latest`, none). */
export function nodeMajor(tag: string): number | undefined {
  const number = /^(\d+)(\.|-|$)/.exec(tag)?.[1];
  if (number !== undefined) return Number(number);
  const name = /^(?:lts-)?([a-z]+)(-|$)/.exec(tag)?.[1];
  return name === undefined ? undefined : codeNames[name];
}

/** The prune that keeps production dependencies: npm 6 (node 14 and older) has no --omit. */
function pruneFor(manager: Manager, tag: string): string | undefined {
  if (manager === 'npm') return (nodeMajor(tag) ?? Infinity) <= 14 ? 'npm prune --production' : 'npm prune --omit=dev';
  return manager === 'pnpm' ? 'pnpm prune --prod' : undefined;
}

/** Node's flags that take a value as the next word. */
const valueFlags = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--env-file', '--title']);

/** The script `node` runs, or undefined (`-e`, `npm start`, not node at all). */
function entryScript(words: readonly string[]): string | undefined {
  if (!['node', 'nodejs'].includes(programName(words[0] ?? ''))) return undefined;
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-e' || word === '--eval' || word === '-p' || word === '--print' || word === '-') return undefined;
    if (valueFlags.has(word)) i++;
    else if (!word.startsWith('-')) return word;
  }
  return undefined;
}

export function nodeArtifacts(ctx: BuildContext): ArtifactOutcome {
  const dir = appDir(ctx);
  if (isRefusal(dir)) return dir;
  const installs = findAll(ctx, s => installOf(s) !== undefined);
  const install = installs[0];
  if (install?.afterCd) return afterCdReason(install.segment.words.join(' '), install);
  const manager = install ? installOf(install.segment) : undefined;
  if (install && install.placed.workdir !== dir) {
    return refusal(`${manager} installs in ${install.placed.workdir ?? '/'} (line ${install.placed.line}) but the final WORKDIR is ${dir}, so where package.json and node_modules are is unclear`, install.placed.line);
  }
  const builds = findAll(ctx, isBuild);
  const notes: string[] = [];
  const script = ctx.entry ? entryScript(ctx.entry.words) : undefined;
  const output = script === undefined ? undefined : posix.relative(dir, resolveIn(dir, script)).split('/')[0];
  // yarn: Plug'n'Play keeps dependencies in .pnp.cjs and .yarn/, not node_modules, so the whole directory goes.
  const useOutput = ctx.level === 'minimal' && (manager === 'npm' || manager === 'pnpm') && builds.length > 0 && output !== undefined && ctx.builderEntry.outputs.includes(output);

  const tailRun = manager && ctx.level !== 'conservative' ? pruneFor(manager, ctx.groups['tag'] ?? '') : undefined;
  if (manager && manager !== 'yarn' && ctx.level === 'conservative') notes.push('node_modules is copied as installed, devDependencies included (no prune), for an app that loads one at run time');
  if (manager === 'yarn') notes.push(`the whole ${dir} is copied (sources included): yarn has no offline prune, and Plug'n'Play keeps dependencies outside node_modules; set NODE_ENV=production before yarn install to leave devDependencies out`);
  const provided: string[] = [];
  const copies = [];
  if (useOutput) {
    copies.push({sources: [posix.join(dir, 'package*.json')], to: `${dir}/`});
    copies.push({sources: [posix.join(dir, 'node_modules')], to: posix.join(dir, 'node_modules')});
    copies.push({sources: [posix.join(dir, output)], to: posix.join(dir, output)});
    provided.push(posix.join(dir, 'package.json'), posix.join(dir, 'node_modules'), posix.join(dir, output));
    notes.push(`only ${output}/, package*.json and node_modules are copied from ${dir}: add any other file the app reads at run time (views, public assets, config)`);
  } else {
    copies.push({sources: [dir], to: dir});
    provided.push(dir);
    if (ctx.level !== 'minimal') notes.push(`the whole ${dir} is copied as built`);
    else if (builds.length > 0 && manager !== 'yarn') {
      const why = script === undefined ? `CMD runs ${ctx.entry?.words.slice(0, 2).join(' ') ?? 'nothing'}, whose target is in package.json` : `CMD runs ${script}, which is not in a known build output directory (${ctx.builderEntry.outputs.join(', ')})`;
      notes.push(`the whole ${dir} is copied (sources included): ${why}; name the build output to ship less`);
    }
  }
  const plan = {copies, provided, notes};
  if (!tailRun) return plan;
  const run = useOutput ? `${tailRun} && mkdir -p node_modules` : tailRun;
  return {...plan, tail: {comment: '# harden: keep only production dependencies for the runtime stage', run}};
}
