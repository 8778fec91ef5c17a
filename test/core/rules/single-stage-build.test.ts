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
  ])('%s is not building', run => {
    expect(buildTool(run)).toBeUndefined();
  });
});

describe('single-stage-build', () => {
  it('names the tool and its line', () => {
    const subject = dockerfileSubject(dockerfile(stage('node:20', {runs: runs('apk add --no-cache tini', 'npm ci')})));
    const findings = singleStageBuild.check(subject);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({rule: 'single-stage-build', severity: 'medium', line: 4, fixable: false});
    expect(findings[0]!.message).toContain('npm ci (line 4)');
    expect(findings[0]!.message).toContain('COPY --from=build');
  });

  it.each([
    ['multi-stage build', dockerfile(stage('node:20', {runs: runs('npm ci')}), stage('node:20-slim', {runs: runs('npm ci --omit=dev')}))],
    ['no build tooling', dockerfile(stage('nginx:1.27', {runs: runs('apt-get install -y curl')}))],
    ['FROM scratch', dockerfile(stage('scratch', {runs: runs('make')}))],
  ])('%s: none', (_name, facts) => {
    expect(singleStageBuild.check(dockerfileSubject(facts))).toEqual([]);
  });

  it('leaves compose services to the dockerfile target', () => {
    const facts = dockerfile(stage('node:20', {runs: runs('npm ci')}));
    expect(singleStageBuild.check(composeSubject(service({build: {dockerfile: 'Dockerfile', context: '.', line: 4}}), facts))).toEqual([]);
  });
});
