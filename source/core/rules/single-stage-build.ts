import type {Located, Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {finding} from './effective.js';
import type {Rule} from './rule.js';

/*
 * A build toolchain left in the runtime image is more to patch and more for an
 * attacker to use; a multi-stage build ships only the artifacts. Hadolint has no such
 * rule (RESEARCH.md). Not fixable: a rewrite must be verified by building it (Shipwright
 * found over a quarter of Dockerfiles do not build), which is a human's review.
 */

/** Command-line patterns that mean "building", with the tool family they belong to. */
const tools: ReadonlyArray<readonly [string, RegExp]> = [
  ['npm install', /^npm\s+(?:\S+\s+)*?(?:install|i|ci|run\s+build)\b/],
  ['yarn install', /^yarn(?:\s+-\S+)*(?:\s+(?:install|build|run\s+build)\b|\s*$)/],
  ['pnpm install', /^pnpm\s+(?:\S+\s+)*?(?:install|i|ci|build|run\s+build)\b/],
  ['pip install', /^(?:python3?\s+-m\s+)?pip3?\s+install\b/],
  ['gcc', /^(?:gcc|g\+\+|cc|c\+\+|clang)\b/],
  ['make', /^(?:make|cmake)\b/],
  ['go build', /^go\s+(?:build|install)\b/],
  ['cargo build', /^cargo\s+(?:build|install)\b/],
  ['maven', /^(?:mvn|\.\/mvnw)\b/],
  ['gradle', /^(?:gradle|\.\/gradlew)\b/],
  ['dotnet publish', /^dotnet\s+(?:publish|build|restore)\b/],
  ['composer install', /^composer\s+(?:install|update|require)\b/],
  ['bundle install', /^bundle\s+install\b/],
];

const packageInstall = /^(?:apt-get|apt|apk|yum|dnf|microdnf)\s+(?:\S+\s+)*?(?:install|add)\b(.*)$/;
const buildPackage = /^(?:gcc|g\+\+|clang|make|cmake|build-essential|build-base|musl-dev|autoconf|automake|libtool|pkg-config|pkgconf|golang|rust|cargo|maven|gradle|[a-z0-9.+_-]+-(?:dev|devel))$/;

/** The first build tool a RUN uses, or undefined. */
export function buildTool(run: string): string | undefined {
  for (const raw of run.split(/&&|\|\||;|\||\n/)) {
    const segment = raw.trim().replace(/^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:sudo\s+)?/, '');
    for (const [, pattern] of tools) {
      // Name the command as the author wrote it ("npm ci", "./gradlew"), not the family.
      const match = pattern.exec(segment);
      if (match) return match[0].trim().replace(/\s+/g, ' ');
    }
    const install = packageInstall.exec(segment);
    if (install) {
      const found = install[1]!.split(/\s+/).map(p => p.replace(/[=<>].*$/, '')).find(p => buildPackage.test(p));
      if (found) return `${segment.split(/\s+/)[0]} install ${found}`;
    }
  }
  return undefined;
}

export const singleStageBuild: Rule = {
  id: 'single-stage-build',
  severity: 'medium',
  title: 'Single-stage build ships its build tools',
  why: 'Compilers, package managers and sources left in the runtime image are more code to patch and more tools for an attacker, and they make the image larger than the app needs.',
  fix: 'Split the Dockerfile into a build stage and a minimal runtime stage that copies only the artifacts (COPY --from=build).',
  fixable: false,
  check(subject: Subject): Finding[] {
    if (subject.kind !== 'dockerfile') return [];
    const stages = subject.dockerfile.stages;
    if (stages.length !== 1 || stages[0]!.from === null) return [];
    let hit: {tool: string; run: Located<string>} | undefined;
    for (const run of stages[0]!.runs) {
      const tool = buildTool(run.value);
      if (tool) {
        hit = {tool, run};
        break;
      }
    }
    if (!hit) return [];
    return [finding(singleStageBuild, subject, hit.run.line,
      `The only stage builds with ${hit.tool} (line ${hit.run.line}), so the toolchain and sources ship in the runtime image and are there for an attacker to use; move the build into a "FROM ... AS build" stage and COPY --from=build only the artifacts into a slim runtime stage.`)];
  },
};
