/**
 * A compose service with `build.target` builds that stage, not the last one (issue 14): the
 * audit judges the stage it builds, `fix` puts the USER there, and a re-audit agrees. A
 * single-stage file whose only stage a service builds by name is not rewritten: the service
 * would then build the builder.
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {harden} from '../support/cli.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, {recursive: true, force: true});
});

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'harden-target-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const multiStage = [
  'FROM node:20 AS builder',
  'WORKDIR /app',
  'COPY . .',
  'RUN npm ci && npm run build',
  'CMD ["node", "dist/server.js"]',
  '',
  '# the image for production',
  'FROM node:20-slim',
  'WORKDIR /app',
  'COPY --from=builder /app/dist ./dist',
  'USER node',
  'CMD ["node", "dist/server.js"]',
  '',
].join('\n');

const compose = (target: string) => ['services:', '  web:', '    build:', '      context: .', `      target: ${target}`, '    read_only: true', '    tmpfs: [/tmp]', ''].join('\n');

const rootUser = (json: string) => (JSON.parse(json) as {findings: Array<{rule: string; target: string}>}).findings.filter(f => f.rule === 'root-user');

describe('compose build.target', () => {
  it('judges the stage the service builds: its USER is not the last stage\'s', async () => {
    const dir = await project({'Dockerfile': multiStage, 'compose.yaml': compose('builder')});
    const audit = await harden(['audit', '--format', 'json', '.'], dir);
    const found = rootUser(audit.stdout);
    expect(found.map(f => f.target)).toEqual(['compose-service:compose.yaml#web']);
    // Without the target, the last stage's USER node is what runs.
    const whole = await project({'Dockerfile': multiStage, 'compose.yaml': compose('builder').replace('      target: builder\n', '')});
    expect(rootUser((await harden(['audit', '--format', 'json', '.'], whole)).stdout)).toEqual([]);
  });

  it('fix puts the USER in the targeted stage, keeps every other line, and a re-audit finds no root user', async () => {
    const dir = await project({'Dockerfile': multiStage, 'compose.yaml': compose('builder')});
    const fix = await harden(['fix', '--yes', '--no-run', '--only', 'root-user', '.'], dir);
    expect(fix.code, fix.stderr).toBe(0);
    expect(fix.stdout.replace(/\n\s+/g, ' ')).toContain('stage "builder", which compose.yaml service "web" builds (build.target), runs as');
    const after = await readFile(join(dir, 'Dockerfile'), 'utf8');
    const lines = after.split('\n');
    const user = lines.findIndex(l => l.startsWith('USER '));
    const builderEnd = lines.indexOf('# the image for production');
    expect(user).toBeGreaterThan(0);
    expect(user).toBeLessThan(builderEnd);
    // The builder's CMD comes after its USER; nothing of the original is lost.
    expect(lines.indexOf('CMD ["node", "dist/server.js"]')).toBeGreaterThan(user);
    for (const line of multiStage.split('\n')) expect(after).toContain(line);
    expect(rootUser((await harden(['audit', '--format', 'json', '.'], dir)).stdout)).toEqual([]);
    const again = await harden(['fix', '--yes', '--no-run', '--only', 'root-user', '.'], dir);
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toBe(after);
    expect(again.code).toBe(0);
  });

  it('adds the USER at the end of a targeted stage that has no CMD, before the next stage', async () => {
    const noCmd = multiStage.replace('RUN npm ci && npm run build\nCMD ["node", "dist/server.js"]\n', 'RUN npm ci && npm run build\n');
    const dir = await project({'Dockerfile': noCmd, 'compose.yaml': compose('builder')});
    const fix = await harden(['fix', '--yes', '--no-run', '--only', 'root-user', '.'], dir);
    expect(fix.code, fix.stderr).toBe(0);
    const after = await readFile(join(dir, 'Dockerfile'), 'utf8');
    expect(after).toMatch(/RUN npm ci && npm run build\n(?:.*\n)*?USER \S+\n\n# the image for production\nFROM node:20-slim/);
  });

  it('does not rewrite a single-stage file whose only stage a service builds by name, and says why', async () => {
    const single = ['FROM node:20 AS builder', 'WORKDIR /app', 'COPY . .', 'RUN npm ci', 'CMD ["node", "server.js"]', ''].join('\n');
    const dir = await project({'Dockerfile': single, 'compose.yaml': compose('builder'), 'package.json': '{}\n', 'server.js': '\n'});
    const fix = await harden(['fix', '--yes', '--no-run', '--only', 'single-stage-build', '.'], dir);
    expect(fix.stdout.replace(/\n\s+/g, ' ')).toContain('compose.yaml service "web" builds stage "builder" (build.target), which would become the builder');
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toBe(single);
  });
});
