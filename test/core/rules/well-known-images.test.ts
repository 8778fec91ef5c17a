import {describe, expect, it} from 'vitest';
import {imageDefaultUser, isNumericNonRoot, isRootUser, knownWriteHints, lookupImage, wellKnownImages} from '../../../source/core/knowledge/well-known-images.js';
import {image} from '../../support/facts.js';
import {parseCompose} from '../../../source/core/parse/compose.js';

const hintPaths = (raw: string, context: Parameters<typeof knownWriteHints>[1] = {}) => knownWriteHints(image(raw), context, 1).map(h => h.path);

describe('lookupImage', () => {
  it.each([
    ['nginx:1.27', 'nginx'],
    ['docker.io/library/nginx:1.27', 'nginx'],
    ['mirror.gcr.io/library/nginx', 'nginx'],
    ['public.ecr.aws/docker/library/postgres:16', 'postgres'],
    ['ghcr.io/nginxinc/nginx-unprivileged:1.27', 'nginx-unprivileged'],
    ['quay.io/keycloak/keycloak:26.0', 'keycloak'],
    ['docker.elastic.co/elasticsearch/elasticsearch:8.15.0', 'elasticsearch'],
    ['mcr.microsoft.com/dotnet/aspnet:8.0', 'dotnet aspnet'],
    ['gcr.io/distroless/static-debian12:nonroot', 'distroless'],
  ])('%s is %s', (raw, name) => {
    expect(lookupImage(image(raw))?.name).toBe(name);
  });

  it.each(['my-nginx', 'acme/nginx', 'nginx-proxy', 'bitnami/postgresql', '${BASE}'])('%s is not guessed', raw => {
    expect(lookupImage(image(raw))).toBeUndefined();
  });

  it('every repository appears once and every path is absolute or ~/ or {workdir}/', () => {
    const repos = wellKnownImages.flatMap(i => i.repositories);
    expect(new Set(repos).size).toBe(repos.length);
    for (const entry of wellKnownImages) for (const p of entry.paths) expect(p.path).toMatch(/^(\/|~\/|\{workdir\}\/)/);
  });
});

describe('users', () => {
  it.each([['root', true], ['0', true], ['0:0', true], ['root:root', true], [' root ', true], ['1000', false], ['10001:0', false], ['node', false]])('isRootUser(%s)', (u, root) => {
    expect(isRootUser(u)).toBe(root);
  });

  it.each([['1000', true], ['1000:1000', true], ['0', false], ['node', false], ['$UID', false]])('isNumericNonRoot(%s)', (u, expected) => {
    expect(isNumericNonRoot(u)).toBe(expected);
  });

  it.each([['grafana/grafana', '472'], ['nginxinc/nginx-unprivileged', '101'], ['node:20', 'root'], ['gcr.io/distroless/base-debian12:nonroot', '65532'], ['gcr.io/distroless/base-debian12', 'root'], ['example/x', undefined]])('default user of %s', (raw, user) => {
    expect(imageDefaultUser(image(raw))).toBe(user);
  });
});

describe('knownWriteHints', () => {
  it('nginx: /tmp only when non-root', () => {
    expect(hintPaths('nginx')).toEqual(['/var/cache/nginx', '/var/run']);
    expect(hintPaths('nginx', {user: '101'})).toEqual(['/var/cache/nginx', '/var/run', '/tmp']);
  });

  it('postgres data path follows the major version', () => {
    expect(hintPaths('postgres:16-alpine')).toContain('/var/lib/postgresql/data');
    expect(hintPaths('postgres:18')).toContain('/var/lib/postgresql');
    expect(hintPaths('postgres')).toContain('/var/lib/postgresql');
  });

  it('node: ~/.npm resolved from the user, skipped when npm_config_cache is set', () => {
    expect(hintPaths('node:20', {command: 'npm start'})).toEqual(['/tmp', '/root/.npm']);
    expect(hintPaths('node:20', {command: 'npm start', user: 'node'})).toEqual(['/tmp', '/home/node/.npm']);
    expect(hintPaths('node:20', {command: 'npm start', user: 'app'})).toEqual(['/tmp']);
    expect(hintPaths('node:20', {command: 'npm start', env: {npm_config_cache: '/tmp/.npm'}})).toEqual(['/tmp']);
    expect(hintPaths('node:20', {command: 'next start', workdir: '/app'})).toEqual(['/tmp', '/app/.next/cache']);
  });

  it('php apache variants need apache run dirs', () => {
    expect(hintPaths('php:8.3-fpm')).toEqual(['/tmp']);
    expect(hintPaths('php:8.3-apache')).toEqual(['/tmp', '/var/run/apache2', '/var/lock/apache2']);
  });

  it('aspnet DataProtection keys under the home of app or root', () => {
    expect(hintPaths('mcr.microsoft.com/dotnet/aspnet:8.0', {user: 'app'})).toEqual(['/tmp', '/home/app/.aspnet/DataProtection-Keys']);
    expect(hintPaths('mcr.microsoft.com/dotnet/aspnet:8.0', {env: {DOTNET_EnableDiagnostics: '0'}})).toEqual(['/root/.aspnet/DataProtection-Keys']);
  });

  it('hints carry source, mount, line and a cited why', () => {
    const [h] = knownWriteHints(image('grafana/grafana:11.2.0'), {}, 7);
    expect(h).toMatchObject({source: 'known-image', line: 7, path: '/tmp', mount: 'tmpfs'});
    expect(h!.evidence).toContain('grafana #20950');
  });
});

describe('compose defaults', () => {
  const interpolated = (raw: string) => {
    const ref = parseCompose('compose.yaml', `services:\n  db:\n    image: ${raw}\n`).facts!.services[0]!.image!;
    return ref;
  };

  it('judges postgres:${PG_TAG:-16} as postgres:16 and says so; a variable with no default stays unknown', () => {
    const ref = interpolated('postgres:${PG_TAG:-16}');
    expect(ref).toMatchObject({unresolved: true, assumed: 'postgres:16'});
    expect(lookupImage(ref)?.name).toBe('postgres');
    const hints = knownWriteHints(ref, {}, 3);
    expect(hints.map(h => h.path)).toContain('/var/lib/postgresql/data');
    expect(hints[0]!.evidence).toContain('well-known image postgres (image postgres:16, the default of postgres:${PG_TAG:-16})');
    const unknown = interpolated('postgres:${PG_TAG}');
    expect(unknown.assumed).toBeUndefined();
    expect(lookupImage(unknown)).toBeUndefined();
  });
});
