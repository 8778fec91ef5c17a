import {describe, expect, it} from 'vitest';
import type {ImageRef} from '../../../source/core/model/facts.js';
import {composeDefaults, isContainerName, isImageReference, parseImageRef} from '../../../source/core/parse/image-ref.js';

const digest = 'sha256:' + 'a'.repeat(64);

describe('parseImageRef', () => {
  const cases: Array<[string, ImageRef]> = [
    ['docker.io/library/nginx:1.25', {raw: 'docker.io/library/nginx:1.25', repository: 'nginx', tag: '1.25', unresolved: false, line: 7}],
    ['index.docker.io/bitnami/redis:7', {raw: 'index.docker.io/bitnami/redis:7', repository: 'bitnami/redis', tag: '7', unresolved: false, line: 7}],
    ['nginx', {raw: 'nginx', repository: 'nginx', unresolved: false, line: 7}],
    ['library/nginx', {raw: 'library/nginx', repository: 'nginx', unresolved: false, line: 7}],
    [`nginx@${digest}`, {raw: `nginx@${digest}`, repository: 'nginx', digest, unresolved: false, line: 7}],
    ['localhost:5000/app:1', {raw: 'localhost:5000/app:1', registry: 'localhost:5000', repository: 'app', tag: '1', unresolved: false, line: 7}],
    ['localhost/app', {raw: 'localhost/app', registry: 'localhost', repository: 'app', unresolved: false, line: 7}],
    [`ghcr.io/org/app:v1@${digest}`, {raw: `ghcr.io/org/app:v1@${digest}`, registry: 'ghcr.io', repository: 'org/app', tag: 'v1', digest, unresolved: false, line: 7}],
    // A port makes the first component a registry; the colon is not a tag.
    ['registry:5000/x', {raw: 'registry:5000/x', registry: 'registry:5000', repository: 'x', unresolved: false, line: 7}],
    // Without `.`, `:` or localhost the first component is a Docker Hub namespace.
    ['bitnami/redis:7.2', {raw: 'bitnami/redis:7.2', repository: 'bitnami/redis', tag: '7.2', unresolved: false, line: 7}],
    ['${BASE}', {raw: '${BASE}', repository: '${base}', unresolved: true, line: 7}],
    ['$BASE_IMAGE', {raw: '$BASE_IMAGE', repository: '$base_image', unresolved: true, line: 7}],
    ['node:${NODE_VERSION}', {raw: 'node:${NODE_VERSION}', repository: 'node', tag: '${NODE_VERSION}', unresolved: true, line: 7}],
    // Repositories are lower-cased; tags are case-sensitive and kept as written.
    ['Nginx:Latest', {raw: 'Nginx:Latest', repository: 'nginx', tag: 'Latest', unresolved: false, line: 7}],
    ['  alpine:3.20  ', {raw: 'alpine:3.20', repository: 'alpine', tag: '3.20', unresolved: false, line: 7}],
  ];
  it.each(cases)('%s', (raw, expected) => {
    expect(parseImageRef(raw, 7)).toEqual(expected);
  });

  it('keeps the registry host as written (upper case is not folded)', () => {
    expect(parseImageRef('GHCR.IO/Org/App:V1', 1)).toEqual({raw: 'GHCR.IO/Org/App:V1', registry: 'GHCR.IO', repository: 'org/app', tag: 'V1', unresolved: false, line: 1});
  });

  it('treats a template placeholder as unresolved, not as a repository name', () => {
    expect(parseImageRef('{{ .Values.image }}', 4).unresolved).toBe(true);
    expect(parseImageRef('repo/app:{{ .Chart.AppVersion }}', 4).unresolved).toBe(true);
  });
});

describe('composeDefaults', () => {
  it.each([
    ['postgres:${PG_TAG:-16}', 'postgres:16'],
    ['${REGISTRY-docker.io}/library/redis:${TAG:-7}', 'docker.io/library/redis:7'],
    ['ghcr.io/acme/app:${TAG:-}', 'ghcr.io/acme/app:'],
  ])('%s is %s when the variables are unset', (text, expected) => {
    expect(composeDefaults(text)).toBe(expected);
  });

  it.each([
    ['a variable with no default', 'postgres:${PG_TAG}'],
    ['a bare $VAR', 'postgres:$PG_TAG'],
    ['a nested default', 'app:${A:-${B}}'],
    ['an escaped dollar', 'app:$${A:-1}'],
    ['an error form', 'app:${A:?required}'],
    ['nothing to interpolate', 'postgres:16'],
    ['an empty string', ''],
  ])('gives nothing for %s', (_what, text) => {
    expect(composeDefaults(text)).toBeUndefined();
  });

  it('is linear on hostile input', () => {
    const text = '${A:-' + 'x'.repeat(200_000);
    const started = performance.now();
    expect(composeDefaults(text)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('isImageReference and isContainerName', () => {
  const cases: Array<[string, boolean, boolean]> = [
    // text, image reference, container name
    ['nginx', true, true],
    ['nginx:1.27', true, false],
    ['bitnami/redis:7.2', true, false],
    ['ghcr.io/org/app:v1', true, false],
    ['localhost:5000/app', true, false],
    [`nginx@${digest}`, true, false],
    [digest, true, false],
    ['0123456789ab', true, true],
    ['my_app-1', true, true],
    ['MyApp', false, true],
    ['Foo:bar', false, false],
    ['/nonexistent', false, false],
    ['./app', false, false],
    ['a//b', false, false],
    ['a/../b', false, false],
    ['app/Dockerfile', false, false],
    ['a b', false, false],
    ['x?y', false, false],
    ['', false, false],
    [`${'a'.repeat(256)}`, false, false],
  ];
  it.each(cases)('%s: image %s, container %s', (text, image, container) => {
    expect(isImageReference(text)).toBe(image);
    expect(isContainerName(text)).toBe(container);
  });
});
