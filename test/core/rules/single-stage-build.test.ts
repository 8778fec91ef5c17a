import {describe, expect, it} from 'vitest';
import {buildTool, singleStageBuild} from '../../../source/core/rules/single-stage-build.js';
import {composeSubject, dockerfile, dockerfileSubject, located, service, stage} from '../../support/facts.js';

const runs = (...values: string[]) => values.map((value, i) => located(value, 3 + i));

describe('buildTool', () => {
  it.each([
    ['npm ci --omit=dev', 'npm ci'],
    ['npm install', 'npm install'],
    ['npm run build', 'npm run build'],
    ['yarn install --frozen-lockfile', 'yarn install'],
    ['yarn', 'yarn'],
    ['corepack enable && pnpm install', 'pnpm install'],
    ['pip install --no-cache-dir -r requirements.txt', 'pip install'],
    ['python3 -m pip install .', 'python3 -m pip install'],
    ['apt-get update && apt-get install -y --no-install-recommends build-essential', 'apt-get install build-essential'],
    ['apk add --no-cache --virtual .build-deps gcc musl-dev', 'apk install gcc'],
    ['apt-get install -y libpq-dev=15.1', 'apt-get install libpq-dev'],
    ['dnf install -y openssl-devel', 'dnf install openssl-devel'],
    ['cd src && make && make install', 'make'],
    ['CGO_ENABLED=0 go build -o /app ./cmd/app', 'go build'],
    ['cargo build --release', 'cargo build'],
    ['./mvnw -B package', './mvnw'],
    ['./gradlew bootJar', './gradlew'],
    ['dotnet publish -c Release -o /out', 'dotnet publish'],
    ['composer install --no-dev', 'composer install'],
    ['bundle install', 'bundle install'],
    ['sudo gcc -o x x.c', 'gcc'],
    // Compilers, build scripts, custom npm scripts and generators (issue 14): builds the package-manager list missed.
    ['javac -cp "lib/*" -d classes src/main/java/com/acme/inventory/*.java', 'javac'],
    ['mkdir -p build/classes && javac -d build/classes $(find src -name *.java)', 'javac'],
    ['jar cf inventory.jar -C classes .', 'jar cf'],
    ['jar --create --file app.jar --main-class com.example.Main -C build/classes .', 'jar --create'],
    ['./build.sh && mkdir -p /var/lib/notes', './build.sh'],
    ['sh build.sh', 'sh build.sh'],
    ['sh /src/build.sh /usr/share/nginx/html', 'sh /src/build.sh'],
    ['/opt/app/build.sh', '/opt/app/build.sh'],
    ['bash scripts/build-site.sh --release', 'bash scripts/build-site.sh'],
    ['python build.py', 'python build.py'],
    ['python3 setup.py bdist_wheel', 'python3 setup.py bdist_wheel'],
    ['npm run lint', 'npm run lint'],
    ['npm run-script compile', 'npm run-script compile'],
    ['yarn run bundle', 'yarn run bundle'],
    ['npx tsc -p .', 'npx tsc'],
    ['tsc --outDir dist', 'tsc'],
    ['protoc --go_out=. api.proto', 'protoc'],
    ['hugo --minify', 'hugo'],
    ['./configure --prefix=/usr', './configure'],
  ])('%s -> %s', (run, tool) => {
    expect(buildTool(run)).toBe(tool);
  });

  it.each([
    'apt-get update && apt-get install -y curl ca-certificates',
    'apk add --no-cache tini',
    'mkdir -p /var/cache/make-things',
    'npm uninstall foo',
    'echo make',
    'npm start',
    'npm run',
    'sh start.sh',
    './docker-entrypoint.sh',
    'java -version',
    'python -c "import app"',
    // A check that a tool is there (the node images run `yarn --version`).
    'yarn --version',
    'gcc -v',
    'go version',
    // Build packages the same RUN removes again, as the official images do (corpus/docker-library).
    'apk add --no-cache --virtual .build-deps gcc musl-dev make && make -j4 && make install && apk del --no-network .build-deps',
    'apt-get install -y --no-install-recommends gcc libc6-dev && make && apt-get purge -y gcc libc6-dev',
    'savedAptMark="$(apt-mark showmanual)"; apt-get install -y --no-install-recommends dpkg-dev; make; apt-mark showmanual | xargs apt-mark auto > /dev/null; apt-mark manual $savedAptMark; if [ -n "$tempDir" ]; then apt-get purge -y --auto-remove; fi',
    'savedAptMark="$(apt-mark showmanual)"; mk-build-deps --install; make module; apt-mark auto \'.*\' > /dev/null; apt-get purge -y --auto-remove',
  ])('%s is not building, or ships nothing of it', run => {
    expect(buildTool(run)).toBeUndefined();
  });

  it.each([
    // The removal names something else, or purges only what was marked auto, which gcc was not.
    ['apk add gcc && make && apk del curl', 'apk install gcc'],
    ['apt-get install -y gcc && make && apt-get purge -y --auto-remove', 'apt-get install gcc'],
    // A compiler the base image has stays in it, whatever is removed after.
    ['make && apk del .build-deps', 'make'],
    // The app's own build ships even when the tools it needed go.
    ['apk add --virtual .build-deps gcc g++ && npm ci && apk del .build-deps', 'npm ci'],
    // The removal comes before the build.
    ['apk add gcc && apk del gcc && apk add make && make', 'apk install make'],
    ['if [ -f Makefile ]; then make; fi', 'make'],
  ])('%s still ships a build tool: %s', (run, tool) => {
    expect(buildTool(run)).toBe(tool);
  });
});

describe('single-stage-build', () => {
  it('names the tool and its line', () => {
    const subject = dockerfileSubject(dockerfile(stage('node:20', {runs: runs('apk add --no-cache tini', 'npm ci')})));
    const findings = singleStageBuild.check(subject);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({rule: 'single-stage-build', severity: 'medium', line: 4, fixable: true});
    expect(findings[0]!.message).toContain('npm ci (line 4)');
    expect(findings[0]!.message).toContain('runtime sibling node:20-slim');
    expect(findings[0]!.message).toContain('harden fix moves the build into a "builder" stage');
  });

  it.each([
    ['node:20', 'node:20-slim'],
    ['python:3.11', 'python:3.11-slim'],
    ['eclipse-temurin:17-jdk', 'eclipse-temurin:17-jre'],
  ])('FROM %s with nothing built is a build image: fixable, at the FROM line', (from, runtime) => {
    const subject = dockerfileSubject(dockerfile(stage(from, {line: 2})));
    const findings = singleStageBuild.check(subject);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({line: 2, fixable: true});
    expect(findings[0]!.message).toContain(`The only stage is FROM ${from} (line 2), a build image`);
    expect(findings[0]!.message).toContain(`its runtime sibling ${runtime}`);
  });

  it.each([
    ['golang:1.22', 'true', 'CGO_ENABLED=0 is not set'],
    ['maven:3.9', 'true', 'does not name the JDK'],
    ['ruby:3.3', 'bundle install', 'no rules yet for which files a ruby app needs'],
  ])('FROM %s: flagged, not fixable, and says why harden cannot', (from, run, why) => {
    const findings = singleStageBuild.check(dockerfileSubject(dockerfile(stage(from, {runs: runs(run)}))));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.fixable).toBe(false);
    expect(findings[0]!.message).toContain(why);
    expect(findings[0]!.message).toContain('harden fix cannot');
  });

  it('counts build packages removed only in a later RUN: the earlier layer ships them', () => {
    const subject = dockerfileSubject(dockerfile(stage('alpine:3.20', {runs: runs('apk add --virtual .build-deps gcc && make', 'apk del .build-deps')})));
    expect(singleStageBuild.check(subject)).toMatchObject([{line: 3}]);
  });

  it('gives the same detail to the same build at another line, and no line in it: the place has it', () => {
    const at = (line: number) => singleStageBuild.check(dockerfileSubject(dockerfile(stage('node:20', {line: 1, runs: [located('npm ci', line)]}))))[0]!;
    expect(at(4).detail).toBe('builds with npm ci on node:20; runtime sibling node:20-slim; harden fix splits it');
    expect(at(9).detail).toBe(at(4).detail);
    expect([at(4).line, at(9).line]).toEqual([4, 9]);
    expect(at(9).message).toContain('builds with npm ci (line 9) on node:20');
    const image = singleStageBuild.check(dockerfileSubject(dockerfile(stage('golang:1.22', {line: 2, runs: runs('true')}))));
    expect(image).toHaveLength(1);
    expect(image[0]!.detail).toMatch(/^FROM golang:1\.22 is a build image; harden fix cannot: /);
  });

  it('a CGO-free Go build is fixable: distroless/static runs it', () => {
    const facts = dockerfile(stage('golang:1.22', {runs: runs('CGO_ENABLED=0 go build -o /out/app .')}));
    expect(singleStageBuild.check(dockerfileSubject(facts))[0]).toMatchObject({line: 3, fixable: true});
  });

  it('a build on busybox is flagged and fixable: the static-site rewrite copies the built output', () => {
    const findings = singleStageBuild.check(dockerfileSubject(dockerfile(stage('busybox:latest', {runs: runs('sh build.sh')}))));
    expect(findings[0]).toMatchObject({line: 3, fixable: true});
    expect(findings[0]!.message).not.toContain('runtime sibling');
  });

  it.each([
    ['multi-stage build', dockerfile(stage('node:20', {runs: runs('npm ci')}), stage('node:20-slim', {runs: runs('npm ci --omit=dev')}))],
    ['no build tooling', dockerfile(stage('nginx:1.27', {runs: runs('apt-get install -y curl')}))],
    ['a slim base and nothing built', dockerfile(stage('node:20-slim', {runs: runs('mkdir -p /app/data')}))],
    ['a JRE base and nothing built', dockerfile(stage('eclipse-temurin:17-jre'))],
    ['busybox and nothing built', dockerfile(stage('busybox:latest', {runs: runs('mkdir -p /www')}))],
    ['an unresolved base', dockerfile(stage('${BASE}'))],
    ['FROM scratch', dockerfile(stage('scratch', {runs: runs('make')}))],
  ])('%s: none', (_name, facts) => {
    expect(singleStageBuild.check(dockerfileSubject(facts))).toEqual([]);
  });

  it('leaves compose services to the dockerfile target', () => {
    const facts = dockerfile(stage('node:20', {runs: runs('npm ci')}));
    expect(singleStageBuild.check(composeSubject(service({build: {dockerfile: 'Dockerfile', context: '.', line: 4}}), facts))).toEqual([]);
  });
});
