import {runtimeBases} from '../knowledge/runtime-bases.js';
import {rewriteSupport, type RewriteSupport} from '../knowledge/runtime-choice.js';
import type {DockerfileFacts, Located, Stage, Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {finding} from './effective.js';
import type {Rule} from './rule.js';

/*
 * A build toolchain left in the runtime image is more to patch and more for an attacker
 * to use; a multi-stage build ships only the artifacts. Hadolint has no such rule
 * (RESEARCH.md). Two signals: a RUN that builds (a package manager, a compiler, a build
 * script, a generator), and a base image that is a build image with a slimmer runtime
 * sibling in templates/runtime-bases.json (node:20 carries gcc and headers even when
 * nothing is built). Fixable where the rewrite handles the base (`rewriteSupport`, the
 * answer the rewrite itself uses), so reports and the wizard say what `harden fix` does.
 */

/** Command-line patterns that mean "building", with the tool family they belong to. */
const tools: ReadonlyArray<readonly [string, RegExp]> = [
  ['npm install', /^npm\s+(?:\S+\s+)*?(?:install|i|ci|run(?:-script)?\s+[^\s-]\S*)(?=\s|$)/],
  ['yarn install', /^yarn(?:\s+-\S+)*(?:\s+(?:install|build|run\s+\S+)\b|\s*$)/],
  ['pnpm install', /^pnpm\s+(?:\S+\s+)*?(?:install|i|ci|build|run\s+\S+)(?=\s|$)/],
  ['pip install', /^(?:python3?\s+-m\s+)?pip3?\s+install\b/],
  ['gcc', /^(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+)\b/],
  ['make', /^(?:make|cmake|\.\/configure)(?=\s|$)/],
  ['go build', /^go\s+(?:build|install)\b/],
  ['cargo build', /^cargo\s+(?:build|install)\b/],
  ['rustc', /^rustc\b/],
  ['maven', /^(?:mvn|(?:\.\/|sh\s+)mvnw)\b/],
  ['gradle', /^(?:gradle|(?:\.\/|sh\s+)gradlew)\b/],
  ['javac', /^(?:javac|kotlinc|scalac)(?=\s|$)/],
  ['jar', /^jar\s+(?:-?[ctu][a-zA-Z]*|--create|--update)(?=\s|$)/],
  ['dotnet publish', /^dotnet\s+(?:publish|build|restore)\b/],
  ['composer install', /^composer\s+(?:install|update|require)\b/],
  ['bundle install', /^bundle\s+install\b/],
  ['tsc', /^(?:npx\s+(?:--\S+\s+)*)?(?:tsc|webpack|vite\s+build|rollup|esbuild|parcel\s+build|next\s+build|ng\s+build|gatsby\s+build)(?=\s|$)/],
  ['generator', /^(?:protoc|hugo|jekyll\s+build|zola\s+build|mkdocs\s+build|sphinx-build|sass|asciidoctor)(?=\s|$)/],
  // A script named for building, run directly or by a shell or Python: ./build.sh, sh scripts/build.sh, sh /src/build.sh, python build.py.
  ['build script', /^(?:(?:sh|bash|dash|ash|python3?)\s+(?:-\S+\s+)*)?(?:\.\/|\/)?(?:[\w.-]+\/)*[\w.-]*(?:build|compile|generate|bundle)[\w.-]*\.(?:sh|bash|py)(?=\s|$)|^(?:sh|bash)\s+(?:\.\/|\/)?(?:[\w.-]+\/)*(?:build|compile|generate)[\w.-]*(?=\s|$)/],
  ['python setup.py', /^python3?\s+(?:setup\.py\s+(?:build|bdist\S*|sdist|install)|-m\s+build)(?=\s|$)/],
];

const packageInstall = /^(?:apt-get|apt|apk|yum|dnf|microdnf)\s+(?:\S+\s+)*?(?:install|add)\b(.*)$/;
const buildPackage = /^(?:gcc|g\+\+|clang|make|cmake|build-essential|build-base|musl-dev|autoconf|automake|libtool|pkg-config|pkgconf|golang|rust|cargo|maven|gradle|[a-z0-9.+_-]+-(?:dev|devel))$/;

/** `yarn --version`, `gcc -v`, `go version`: a check that the tool is there, not a build. */
const probe = /^\S+\s+(?:--version|-v|-V|--help|-h|version)$/;

/** Removing packages: `apk del .build-deps`, `apt-get purge -y --auto-remove`, `dnf remove`. */
const packageRemoval = /^(?:apk\s+del|(?:apt-get|apt)\s+(?:\S+\s+)*?(?:purge|remove|autoremove)|(?:yum|dnf|microdnf)\s+(?:\S+\s+)*?(?:remove|erase|autoremove))(?=\s|$)/;

/** Tools that are packages a RUN can remove again, unlike an app's own build (npm ci, pip install). */
const removableTools = new Set(['gcc', 'make']);

/** The words of an install or removal that name packages: `--virtual .build-deps` and `-t NAME` name the group. */
function packageWords(segment: string): string[] {
  return segment.split(/\s+/).slice(1).filter(w => !w.startsWith('-') || w === '--virtual' || w === '-t').map(w => w.replace(/[=<>].*$/, '').replace(/^['"]|['"]$/g, ''));
}

/**
 * The first build tool a RUN uses, or undefined. Build packages that the same RUN removes
 * again do not ship, nor do the compilers they brought: the official images install
 * `.build-deps`, build, and `apk del .build-deps` (or `apt-mark auto` and `apt-get purge
 * --auto-remove`) in one layer. A compiler the base image has, and an app's own build
 * (npm ci, pip install), ship whatever is removed after them.
 */
export function buildTool(run: string): string | undefined {
  let removable: string | undefined;
  const installed = new Set<string>();
  let autoMarked = false;
  const savesManual = /\bapt-mark\s+showmanual\b/.test(run);
  for (const raw of run.split(/&&|\|\||;|\||\n/)) {
    // Past the shell's keywords and groups (`then apt-get purge`, `{ make`), assignments, sudo and exec.
    const segment = raw.trim().replace(/^(?:(?:then|do|else)\s+|[{(]\s*)*(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:sudo\s+)?(?:exec\s+)?/, '');
    if (probe.test(segment)) continue;
    if (/^(?:xargs\s+(?:-\S+\s+)*)?apt-mark\s+auto\b/.test(segment)) autoMarked = true;
    if (packageRemoval.test(segment)) {
      const removes = packageWords(segment).some(w => installed.has(w)) || (autoMarked && /(?:--auto-remove|autoremove)(?=\s|$)/.test(segment));
      if (removes && removable !== undefined) {
        removable = undefined;
        installed.clear();
      }
      continue;
    }
    let matched = false;
    for (const [family, pattern] of tools) {
      // Name the command as the author wrote it ("npm ci", "./gradlew"), not the family.
      const match = pattern.exec(segment);
      if (!match) continue;
      const tool = match[0].trim().replace(/\s+/g, ' ');
      // Whatever this RUN installs, however (mk-build-deps, a variable), goes again after `apt-mark showmanual`'s idiom.
      if (!removableTools.has(family) || (installed.size === 0 && !savesManual)) return tool;
      removable ??= tool;
      matched = true;
      break;
    }
    const install = matched ? null : packageInstall.exec(segment);
    if (install) {
      const words = packageWords(segment);
      const found = words.find(p => buildPackage.test(p));
      if (found) {
        removable ??= `${segment.split(/\s+/)[0]} install ${found}`;
        for (const w of words) installed.add(w);
        const group = words.findIndex(w => w === '--virtual' || w === '-t');
        if (group >= 0 && words[group + 1]) installed.add(words[group + 1]!);
      }
    }
  }
  return removable;
}

/** True when go would build with CGO_ENABLED=0, as far as the facts tell. */
function cgoDisabled(stage: Stage): boolean {
  return stage.env.some(e => e.key === 'CGO_ENABLED' && e.value === '0') || stage.runs.some(r => /(^|\s)CGO_ENABLED=0(\s|$)/.test(r.value));
}

/** Languages whose build images are toolchains whatever their tag (golang, rust, maven, the .NET SDK). */
const toolchainOnly = new Set(['go', 'rust', 'dotnet']);

/**
 * The base is a build image: the table maps it to another runtime base (node:20 -> node:20-slim,
 * eclipse-temurin:17-jdk -> 17-jre), or it is a pure toolchain for which no runtime fits yet.
 */
function buildBase(support: RewriteSupport): boolean {
  if (support.ok) return !support.same;
  return support.builder !== undefined && (toolchainOnly.has(support.builder.language) || support.builder.id === 'maven' || support.builder.id === 'gradle');
}

/** The runtime base the multi-stage rewrite moves this Dockerfile to, when the rule finds it and the rewrite handles it. */
export function rewriteRuntime(dockerfile: DockerfileFacts): string | undefined {
  const stage = dockerfile.stages[0];
  if (dockerfile.stages.length !== 1 || !stage?.from || stage.from.unresolved) return undefined;
  const support = rewriteSupport(runtimeBases, stage.from, cgoDisabled(stage));
  if (!support.ok || (!stage.runs.some(run => buildTool(run.value)) && !buildBase(support))) return undefined;
  return support.runtime;
}

export const singleStageBuild: Rule = {
  id: 'single-stage-build',
  severity: 'medium',
  title: 'Single-stage build ships its build tools',
  why: 'Compilers, package managers and sources left in the runtime image are more code to patch and more tools for an attacker, and they make the image larger than the app needs.',
  fix: 'Split the Dockerfile into a build stage and a minimal runtime stage that copies only the artifacts (COPY --from=build); harden fix does it where templates/runtime-bases.json knows the base image.',
  fixable: true,
  check(subject: Subject): Finding[] {
    if (subject.kind !== 'dockerfile') return [];
    const stages = subject.dockerfile.stages;
    const stage = stages[0];
    if (stages.length !== 1 || !stage?.from) return [];
    let hit: {tool: string; run: Located<string>} | undefined;
    for (const run of stage.runs) {
      const tool = buildTool(run.value);
      if (tool) {
        hit = {tool, run};
        break;
      }
    }
    const from = stage.from;
    const support = from.unresolved ? {ok: false as const, reason: `${from.raw} depends on an ARG with no default`} : rewriteSupport(runtimeBases, from, cgoDisabled(stage));
    const onBuildBase = !from.unresolved && buildBase(support);
    if (!hit && !onBuildBase) return [];
    const fixable = support.ok;
    const sibling = support.ok && !support.same ? `; its runtime sibling ${support.runtime} runs the app without them` : '';
    const how = fixable
      ? 'harden fix moves the build into a "builder" stage and copies only what the app runs into a runtime stage that does not run as root.'
      : `move the build into a "FROM ... AS build" stage and COPY --from=build only the artifacts into a slim runtime stage (harden fix cannot: ${support.reason}).`;
    const what = hit ? `builds with ${hit.tool} (line ${hit.run.line}) on ${from.raw}` : `FROM ${from.raw} (line ${stage.line}) is a build image`;
    const message = hit
      ? `The only stage ${what}, so the toolchain and sources ship in the runtime image and are there for an attacker to use${sibling}; ${how}`
      : `The only stage is FROM ${from.raw} (line ${stage.line}), a build image: its compilers, headers and package tools ship with the app and are there for an attacker to use${sibling}; ${how}`;
    const runtime = support.ok && !support.same ? `; runtime sibling ${support.runtime}` : '';
    // No line in the detail: the finding's place gives it, and the same build at another line is the same case.
    const same = hit ? `builds with ${hit.tool} on ${from.raw}` : `FROM ${from.raw} is a build image`;
    const detail = `${same}${runtime}; ${fixable ? 'harden fix splits it' : `harden fix cannot: ${support.reason}`}`;
    return [{...finding(singleStageBuild, subject, hit ? hit.run.line : stage.line, message, {detail}), fixable}];
  },
};
