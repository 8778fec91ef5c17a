import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseDockerfile} from '../../../source/core/parse/dockerfile.js';
import {singleStageBuild} from '../../../source/core/rules/single-stage-build.js';
import {dockerfileSubject} from '../../support/facts.js';

/*
 * single-stage-build on the official images' own Dockerfiles (../shared/corpus, SOURCES.md).
 * They install build packages, build, and remove the packages in the same RUN, so nothing of
 * the toolchain ships: 98 of their 132 Dockerfiles were flagged, 20 are now. The ones still
 * flagged keep a -dev package or run pip install after the build.
 */

const corpus = '../shared/corpus/docker-library';
const ci = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';

function check(path: string) {
  const facts = parseDockerfile(path, readFileSync(join(corpus, path), 'utf8')).facts!;
  return singleStageBuild.check(dockerfileSubject(facts));
}

if (!existsSync(corpus)) {
  describe('single-stage-build on the official images', () => {
    if (ci) it('needs the corpus in CI', () => expect.fail(`${corpus} is missing; CI must run the corpus test`));
    else it.skip(`skipped: ${corpus} is absent (it holds the shared real-world Dockerfiles)`, () => {});
  });
} else {
  describe('single-stage-build on the official images', () => {
    it.each([
      // apk add --virtual .build-deps ... && apk del --no-network .build-deps
      'redis/7.2/alpine/Dockerfile',
      'postgres/16/alpine3.23/Dockerfile',
      // apt-mark showmanual | xargs apt-mark auto, then `then apt-get purge -y --auto-remove`
      'postgres/16/bookworm/Dockerfile',
      // build dependencies from mk-build-deps, removed by the same idiom
      'nginx/stable/debian-otel/Dockerfile',
      // `yarn --version` checks that yarn is there
      'node/22/bookworm/Dockerfile',
      'nginx/stable/debian/Dockerfile',
    ])('%s removes what it builds with in the same RUN: no finding', path => {
      expect(check(path)).toEqual([]);
    });

    it.each([
      // Keeps libbluetooth-dev, as the full images mean to.
      ['python/3.12/bookworm/Dockerfile', 'builds with apt-get install libbluetooth-dev on buildpack-deps:bookworm'],
      // pip3 install after the build tools are gone still installs in the image.
      ['python/3.11/slim-trixie/Dockerfile', 'builds with pip3 install on debian:trixie-slim'],
    ])('%s still ships a build: %s', (path, detail) => {
      const findings = check(path);
      expect(findings).toHaveLength(1);
      expect(findings[0]!.detail).toMatch(new RegExp(`^${detail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')};`));
    });
  });
}
