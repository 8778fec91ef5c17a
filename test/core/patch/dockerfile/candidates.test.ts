import {describe, expect, it} from 'vitest';
import {rewriteLanguages} from '../../../../source/core/knowledge/runtime-bases.js';
import {nodeMajor} from '../../../../source/core/patch/dockerfile/artifacts-node.js';
import {plainProbe} from '../../../../source/core/patch/dockerfile/health.js';
import {parseArgv} from '../../../../source/core/patch/dockerfile/command.js';
import {rewriteCandidates, rewriteMultiStage, type RewriteCandidate} from '../../../../source/core/patch/dockerfile/index.js';
import {artifactLanguages} from '../../../../source/core/patch/dockerfile/prepare.js';

/*
 * rewriteCandidates: every rewrite of a file, most minimal first, for the step that proves
 * them on an engine; and what each level copies, who owns it, and how a HEALTHCHECK the
 * runtime cannot run is asked again.
 */

const lines = (...l: string[]) => l.join('\n') + '\n';

function candidates(text: string): RewriteCandidate[] {
  const result = rewriteCandidates('Dockerfile', text);
  if (!result.ok) throw new Error(result.reason);
  return result.candidates;
}

/** The runtime stage's text: what follows its header comment. */
function runtimeStage(candidate: RewriteCandidate): string {
  return candidate.text.slice(candidate.text.indexOf('# harden: runtime stage'));
}

describe('rewriteCandidates', () => {
  const typescript = lines('FROM node:20', 'WORKDIR /app', 'COPY package*.json ./', 'RUN npm ci', 'COPY . .', 'RUN npm run build', 'CMD ["node", "dist/server.js"]');

  it('orders minimal, app-tree, conservative, each a whole verified text', () => {
    const [minimal, tree, conservative] = candidates(typescript);
    expect([minimal?.level, tree?.level, conservative?.level]).toEqual(['minimal', 'app-tree', 'conservative']);
    expect(runtimeStage(minimal!)).toContain('COPY --from=builder /app/dist /app/dist\n');
    expect(runtimeStage(tree!)).toContain('COPY --from=builder /app /app\n');
    expect(tree!.text).toContain('RUN npm prune --omit=dev\n');
    // Conservative keeps devDependencies: a dependency the app loads by mistake from devDependencies still works.
    expect(conservative!.text).not.toContain('npm prune');
    expect(conservative!.notes.join('\n')).toContain('devDependencies included (no prune)');
  });

  it('rewriteMultiStage is the first candidate', () => {
    const first = candidates(typescript)[0]!;
    expect(rewriteMultiStage('Dockerfile', typescript)).toEqual({ok: true, ...first});
  });

  it('leaves out a level whose text is the same as a more minimal one', () => {
    const plain = lines('FROM python:3.12', 'WORKDIR /app', 'COPY . .', 'CMD ["python", "app.py"]');
    expect(candidates(plain).map(c => c.level)).toEqual(['minimal']);
  });

  it('starts at app-tree, saying why, when the minimal set cannot be named', () => {
    const wildcard = lines('FROM maven:3.9-eclipse-temurin-21', 'WORKDIR /app', 'COPY . .', 'RUN mvn -B package', 'CMD java -jar target/*.jar');
    const result = rewriteCandidates('Dockerfile', wildcard);
    if (!result.ok) throw new Error(result.reason);
    expect(result.candidates.map(c => c.level)).toEqual(['app-tree']);
    expect(result.skipped).toEqual([{level: 'minimal', reason: expect.stringMatching(/java with target\/\*\.jar, a pattern/)}]);
    expect(result.candidates[0]!.notes[0]).toMatch(/^no minimal rewrite: CMD runs java with target\/\*\.jar/);
    expect(runtimeStage(result.candidates[0]!)).toContain('COPY --from=builder /app /app\n');
  });

  it('refuses with the minimal level\'s reason when no level can be made', () => {
    const maven = lines('FROM maven:3.9-eclipse-temurin-21', 'WORKDIR /app', 'COPY . .', 'RUN mvn -B package', 'CMD ["mvn", "spring-boot:run"]');
    expect(rewriteCandidates('Dockerfile', maven)).toMatchObject({ok: false, reason: expect.stringMatching(/CMD does not run java -jar or java -cp/)});
  });

  it('holds the languages with artifact rules to the ones the rule calls fixable', () => {
    expect([...artifactLanguages].sort()).toEqual([...rewriteLanguages].sort());
  });
});

describe('Java: what the java command line names', () => {
  it.each([
    ['java -jar', '["java", "-jar", "app.jar"]', ['/app/app.jar']],
    ['a class path of a jar and lib/*', '["java", "-cp", "inventory.jar:lib/*", "com.acme.App"]', ['/app/inventory.jar', '/app/lib']],
    ['--class-path= and a classes directory', '["java", "--class-path=build/classes", "com.acme.App"]', ['/app/build/classes']],
    ['options before -jar', '["java", "-Xmx256m", "-Dfile.encoding=UTF-8", "-jar", "/opt/app/app.jar"]', ['/opt/app/app.jar']],
  ])('%s', (_name, cmd, paths) => {
    const text = lines('FROM eclipse-temurin:17-jdk', 'WORKDIR /app', 'COPY . .', 'RUN javac -d build/classes $(find src -name "*.java") && jar cf app.jar -C build/classes .', `CMD ${cmd}`);
    const stage = runtimeStage(candidates(text)[0]!);
    expect(stage).toContain('FROM eclipse-temurin:17-jre\n');
    for (const path of paths) expect(stage).toContain(`COPY --from=builder ${path} ${path}\n`);
    expect(stage.match(/^COPY /gm)).toHaveLength(paths.length);
  });

  it('keeps a wget HEALTHCHECK: eclipse-temurin has wget and curl', () => {
    const text = lines('FROM eclipse-temurin:17-jdk', 'WORKDIR /app', 'COPY . .', 'RUN ./build.sh', 'HEALTHCHECK CMD wget -q --spider http://localhost:8080/ || exit 1', 'CMD ["java", "-jar", "app.jar"]');
    expect(runtimeStage(candidates(text)[0]!)).toContain('HEALTHCHECK CMD wget -q --spider http://localhost:8080/ || exit 1\n');
  });
});

describe('HEALTHCHECK on a runtime without wget or curl', () => {
  it.each([
    ['wget --spider', 'wget --no-verbose --tries=1 --spider http://localhost:8080/health || exit 1', {program: 'wget', url: 'http://localhost:8080/health', failOnError: true}],
    ['curl -fsS', 'curl -fsS http://localhost:5000/healthz || exit 1', {program: 'curl', url: 'http://localhost:5000/healthz', failOnError: true}],
    ['plain curl takes any answer', 'curl -s -o /dev/null http://127.0.0.1/', {program: 'curl', url: 'http://127.0.0.1/', failOnError: false}],
    ['exec form', '["CMD-SHELL-NOT", "x"]', undefined],
    ['a pipe into grep', 'curl -fs http://localhost/ | grep ok', undefined],
    ['HTTPS', 'curl -fk https://localhost/', undefined],
    ['a POST', 'curl -f -X POST http://localhost/', undefined],
    ['a variable', 'wget -q --spider http://localhost:$PORT/', undefined],
  ])('%s', (_name, command, probe) => {
    expect(plainProbe(parseArgv(command))).toEqual(probe);
  });

  it('asks with node on node:20-slim, keeping the options and the line break', () => {
    const text = lines('FROM node:20', 'WORKDIR /app', 'COPY . .', 'HEALTHCHECK --interval=5s --retries=3 \\', '  CMD wget -q --spider http://localhost:8080/health || exit 1', 'CMD ["node", "index.js"]');
    const stage = runtimeStage(candidates(text)[0]!);
    expect(stage).toContain([
      '# harden: node:20-slim has no wget: the same GET of http://localhost:8080/health, made by node',
      'HEALTHCHECK --interval=5s --retries=3 \\',
      `  CMD ["node", "-e", "require('http').get('http://localhost:8080/health', r => process.exit(r.statusCode < 400 ? 0 : 1)).on('error', () => process.exit(1))"]`,
    ].join('\n'));
  });

  it('asks with python on python:3.11-slim', () => {
    const text = lines('FROM python:3.11', 'WORKDIR /app', 'COPY . .', 'HEALTHCHECK CMD ["curl", "-f", "http://localhost:5000/healthz"]', 'CMD ["python", "app.py"]');
    expect(runtimeStage(candidates(text)[0]!)).toContain(`HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:5000/healthz')"]\n`);
  });
});

describe('npm prune', () => {
  it.each([
    ['node:14', 'npm prune --production'],
    ['node:14.21.3-bullseye', 'npm prune --production'],
    ['node:12-alpine', 'npm prune --production'],
    ['node:fermium', 'npm prune --production'],
    ['node:16', 'npm prune --omit=dev'],
    ['node:20', 'npm prune --omit=dev'],
    ['node:lts', 'npm prune --omit=dev'],
    ['node', 'npm prune --omit=dev'],
  ])('%s: %s (npm 6, in node 14 and older, has no --omit)', (from, prune) => {
    const text = lines(`FROM ${from}`, 'WORKDIR /app', 'COPY . .', 'RUN npm ci', 'CMD ["node", "index.js"]');
    expect(candidates(text)[0]!.text).toContain(`\nRUN ${prune}\n`);
  });

  it.each([['14', 14], ['lts-gallium', 16], ['hydrogen-alpine', 18], ['current', undefined], ['', undefined]])('nodeMajor(%j) is %j', (tag, major) => {
    expect(nodeMajor(tag)).toBe(major);
  });

  it('prunes as root when the build ends as another user', () => {
    const text = lines('FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci', 'USER node', 'CMD ["node", "index.js"]');
    expect(candidates(text)[0]!.text).toContain('USER node\n\n# harden: keep only production dependencies for the runtime stage\nUSER root\nRUN npm prune --omit=dev\n');
  });
});

describe('ownership', () => {
  const chowned = lines('FROM node:20', 'WORKDIR /home/node/app', 'COPY . .', 'RUN npm ci', 'RUN mkdir -p data && chown -R node:node /home/node/app', 'USER node', 'CMD ["node", "server.js"]');

  it('minimal: the app is root\'s, only the directory the app writes is the user\'s', () => {
    const stage = runtimeStage(candidates(chowned)[0]!);
    expect(stage).toContain('COPY --from=builder --chown=0:0 /home/node/app /home/node/app\n');
    expect(stage).toContain('RUN mkdir -p /home/node/app/data && chown 1000:1000 /home/node/app/data\n');
  });

  it('conservative: the tree the build handed to its user stays the user\'s', () => {
    const conservative = candidates(chowned).find(c => c.level === 'conservative')!;
    expect(runtimeStage(conservative)).toContain('COPY --from=builder --chown=1000:1000 /home/node/app /home/node/app\n');
  });

  it('COPY --chown to a user the runtime recreates: root\'s at minimal, the runtime user\'s at conservative', () => {
    const text = lines('FROM python:3.11', 'RUN useradd --create-home appuser', 'WORKDIR /home/appuser/app', 'COPY --chown=appuser:appuser . .', 'USER appuser', 'CMD ["python", "server.py"]');
    const all = candidates(text);
    expect(runtimeStage(all[0]!)).toContain('COPY --from=builder --chown=0:0 /home/appuser/app /home/appuser/app\n');
    expect(runtimeStage(all.at(-1)!)).toContain('COPY --from=builder --chown=10001:10001 /home/appuser/app /home/appuser/app\n');
    // The user comes first: WORKDIR inside its home would otherwise make that home root's.
    expect(runtimeStage(all[0]!)).toMatch(/\nRUN groupadd [^\n]* appuser\nWORKDIR \/home\/appuser\/app\n/);
  });

  it('no --chown when the build handed nothing out', () => {
    const text = lines('FROM node:20', 'WORKDIR /app', 'COPY . .', 'CMD ["node", "index.js"]');
    expect(candidates(text)[0]!.text).not.toContain('--chown');
  });
});

describe('what the command line names', () => {
  it('a file it reads ships with the build output', () => {
    const text = lines('FROM node:20', 'WORKDIR /app', 'COPY package*.json ./', 'RUN npm ci', 'COPY src ./src', 'COPY config/ ./config/', 'RUN npm run build', 'CMD ["node", "dist/main.js", "--config", "config/prod.json"]');
    const stage = runtimeStage(candidates(text)[0]!);
    expect(stage).toContain('COPY --from=builder /app/dist /app/dist\n');
    expect(stage).toContain('COPY --from=builder /app/config/prod.json /app/config/prod.json\n');
  });

  it('a file nothing in the build makes is named in a note, not copied', () => {
    const text = lines('FROM node:20', 'WORKDIR /app', 'COPY package*.json ./', 'RUN npm ci', 'COPY src ./src', 'RUN npm run build', 'CMD ["node", "dist/main.js", "/app/secrets/key.pem"]');
    const [minimal] = candidates(text);
    expect(minimal!.text).not.toContain('key.pem /app');
    expect(minimal!.notes.join('\n')).toContain('the command line names /app/secrets/key.pem, which nothing in the build is known to make');
  });

  it('an output option\'s directory is the runtime user\'s', () => {
    const text = lines('FROM python:3.11', 'WORKDIR /app', 'COPY . .', 'CMD ["python", "-m", "etl", "--input", "input/orders.csv", "--output", "out/summary.json"]');
    expect(runtimeStage(candidates(text)[0]!)).toContain('RUN mkdir -p /app/out && chown 10001:10001 /app/out\n');
  });

  it('a directory the build makes that the command names a path in is the runtime user\'s', () => {
    const text = lines('FROM python:3.11', 'WORKDIR /app', 'COPY . .', 'RUN mkdir -p db', 'CMD ["python", "app.py", "db/app.sqlite3"]');
    expect(runtimeStage(candidates(text)[0]!)).toContain('RUN mkdir -p /app/db && chown 10001:10001 /app/db\n');
  });
});

describe('static sites on busybox', () => {
  it('copies only what httpd serves, onto busybox again, as nobody', () => {
    const text = lines('FROM busybox:1.36', 'WORKDIR /site', 'COPY . .', 'RUN sh build.sh', 'CMD ["httpd", "-f", "-p", "8080", "-h", "/site/public"]');
    const [minimal, tree] = candidates(text);
    expect(minimal!.runtimeBase).toBe('busybox:1.36');
    expect(minimal!.user).toBe('65534:65534');
    expect(runtimeStage(minimal!)).toContain('COPY --from=builder /site/public /site/public\n');
    expect(runtimeStage(tree!)).toContain('COPY --from=builder /site /site\n');
    expect(minimal!.notes.join('\n')).toContain('busybox has no slimmer sibling');
  });
});
