import {posix} from 'node:path';
import {installedPackages, programs, type Argv} from './command.js';
import {type BuildContext, type ArtifactPlan, programName, refusal, type Refusal} from './artifacts.js';
import type {Placed} from './layout.js';

/*
 * Checks that the runtime stage has what the app needs beyond its own files: system
 * packages the build installed, and the programs CMD, ENTRYPOINT and HEALTHCHECK run
 * (a HEALTHCHECK with curl on node:20 breaks on node:20-slim, which has no curl).
 */

/** Packages that only build: compilers, headers-free tools, fetchers. Anything else may be needed at run time. */
const buildOnly = /^(build-essential|build-base|gcc|g\+\+|cpp|make|cmake|ninja-build|clang|llvm|binutils|git|pkg-config|pkgconf|autoconf|automake|libtool|bison|flex|swig|nasm|yasm|patch|file|ca-certificates|curl|wget|gnupg2?|unzip|xz-utils|bzip2|openssh-client|python3|python-is-python3|g\+\+-multilib|protobuf-compiler)$/;
const devPackage = /-(dev|devel)$|^(musl-dev|linux-headers)$/;

/** Refuses when the builder installs system packages the runtime stage would lack. */
export function checkPackages(ctx: BuildContext, staticBinary: boolean): Refusal | undefined {
  for (const run of ctx.runs) {
    for (const segment of run.segments) {
      const installed = installedPackages(segment);
      if (!installed) continue;
      for (const name of installed.packages) {
        if (devPackage.test(name)) {
          if (staticBinary || /^(musl-dev|linux-headers|libc6-dev|linux-libc-dev)$/.test(name)) continue;
          return refusal(`the build installs ${name} (${installed.tool}, line ${run.placed.line}): code linked against it needs its runtime library in the runtime stage, which the rewrite cannot name; add that package to the runtime stage by hand`, run.placed.line);
        }
        if (!buildOnly.test(name) && !name.includes('$')) {
          return refusal(`the build installs ${name} (${installed.tool}, line ${run.placed.line}), which the app may run or load at run time, and ${ctx.runtimeImage} does not have it; install it in the runtime stage by hand`, run.placed.line);
        }
      }
    }
  }
  return undefined;
}

const shellBuiltins = new Set(['cd', 'exec', 'echo', 'test', '[', 'true', 'false', 'export', 'set', 'exit', 'printf', 'sleep', 'kill', 'trap', 'wait', ':']);
const pathDirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Refuses when a moved CMD, ENTRYPOINT or HEALTHCHECK runs something the runtime stage will not have. */
export function checkPrograms(ctx: BuildContext, plan: ArtifactPlan, commands: ReadonlyArray<{placed: Placed; argv: Argv}>): Refusal | undefined {
  for (const {placed, argv} of commands) {
    if (argv.shell && !ctx.runtime.shell && !argv.plain) {
      return refusal(`${placed.keyword} (line ${placed.line}) needs a shell, and ${ctx.runtimeImage} has none; write it in exec form (["program", "arg"])`, placed.line);
    }
    for (const program of programs(argv)) {
      if (!available(ctx, plan, program)) {
        return refusal(`${placed.keyword} (line ${placed.line}) runs ${program}, which ${ctx.runtimeImage} does not have and the build output does not include`, placed.line);
      }
    }
  }
  return undefined;
}

function available(ctx: BuildContext, plan: ArtifactPlan, program: string): boolean {
  if (program.includes('$')) return true; // a variable: nothing to check
  const covered = (path: string) => plan.provided.some(p => path === p || path.startsWith(`${p}/`));
  if (program.includes('/')) {
    const path = posix.normalize(program.startsWith('/') ? program : posix.join(ctx.workdir ?? '/', program));
    if (covered(path)) return true;
    return pathDirs.includes(posix.dirname(path)) && ctx.runtime.commands.has(programName(path));
  }
  if (ctx.runtime.commands.has(program)) return true;
  if (ctx.runtime.shell && shellBuiltins.has(program)) return true;
  // ENV PATH=/opt/venv/bin:$PATH puts copied programs on the search path.
  const searched = (ctx.env['PATH'] ?? '').split(':').filter(dir => dir.startsWith('/'));
  return [...searched, ...pathDirs].some(dir => covered(posix.join(dir, program)));
}
