import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {parseImageRef} from '../../../../source/core/parse/image-ref.js';
import {chooseRuntime, describeRuntime, loadRuntimeBases, runtimeBases} from '../../../../source/core/patch/dockerfile/index.js';

const table = JSON.parse(readFileSync('templates/runtime-bases.json', 'utf8')) as Record<string, unknown>;

function choose(image: string, cgoDisabled = false) {
  const ref = parseImageRef(image, 1);
  const name = image.replace(/@.*$/, '').replace(/:[^:/]*$/, '');
  const tag = ref.tag;
  return chooseRuntime(runtimeBases, ref, {rawName: name, ...(tag === undefined ? {} : {rawTag: tag}), cgoDisabled});
}

describe('templates/runtime-bases.json', () => {
  it('loads as shipped and equals what the core imports', () => {
    expect(loadRuntimeBases(table)).toEqual(runtimeBases);
  });

  it.each([
    ['node:20', 'node:20-slim'],
    ['node:20.11.1-bookworm', 'node:20.11.1-bookworm-slim'],
    ['node:lts', 'node:lts-slim'],
    ['node', 'node:slim'],
    ['node:latest', 'node:slim'],
    ['node:20-alpine3.19', 'node:20-alpine3.19'],
    ['node:22-slim', 'node:22-slim'],
    ['docker.io/library/node:20', 'node:20-slim'],
    ['python:3.12', 'python:3.12-slim'],
    ['python:3.12.4-bookworm', 'python:3.12.4-slim-bookworm'],
    ['python:3.11-alpine3.20', 'python:3.11-alpine3.20'],
    ['python:3.12-slim-bookworm', 'python:3.12-slim-bookworm'],
    ['maven:3.9-eclipse-temurin-21', 'eclipse-temurin:21-jre'],
    ['maven:3.9.9-eclipse-temurin-17-alpine', 'eclipse-temurin:17-jre-alpine'],
    ['gradle:8.10-jdk21', 'eclipse-temurin:21-jre'],
    ['gradle:8-jdk17-alpine', 'eclipse-temurin:17-jre-alpine'],
    ['eclipse-temurin:21-jdk', 'eclipse-temurin:21-jre'],
    ['eclipse-temurin:21.0.4_7-jdk-noble', 'eclipse-temurin:21.0.4_7-jre-noble'],
    ['openjdk:17', 'eclipse-temurin:17-jre'],
    ['golang:1.22-bookworm', 'gcr.io/distroless/base-debian12:nonroot'],
    ['rust:1.80-bookworm', 'gcr.io/distroless/cc-debian12:nonroot'],
    ['rust:1.80-alpine3.20', 'alpine:3.20'],
    ['mcr.microsoft.com/dotnet/sdk:8.0', 'mcr.microsoft.com/dotnet/aspnet:8.0'],
    ['mcr.microsoft.com/dotnet/sdk:8.0-alpine', 'mcr.microsoft.com/dotnet/aspnet:8.0-alpine'],
    ['ruby:3.3', 'ruby:3.3-slim'],
    ['php:8.3-cli', 'php:8.3-fpm'],
    // busybox has no slimmer sibling: the runtime stage is busybox itself, without the sources.
    ['busybox:latest', 'busybox:latest'],
    ['busybox:1.36', 'busybox:1.36'],
  ])('%s -> %s', (builder, runtime) => {
    const choice = choose(builder);
    if (!choice.ok) throw new Error(choice.reason);
    expect(choice.resolved).toBe(runtime);
  });

  it('a CGO-free Go build runs on distroless/static whatever the tag', () => {
    for (const tag of ['1.22', '1.22-alpine', '1.23-bookworm']) {
      const choice = choose(`golang:${tag}`, true);
      expect(choice.ok && choice.resolved).toBe('gcr.io/distroless/static-debian12:nonroot');
    }
  });

  it.each([
    ['python:3', /Python minor version/],
    ['python:3.12-windowsservercore', /Windows/],
    ['golang:1.22', /CGO_ENABLED=0 is not set/],
    ['golang:1.22-alpine', /musl/],
    ['maven:3.9', /JDK/],
    ['composer:2', /PHP version/],
    ['alpine:3.20', /no runtime base is known/],
  ])('%s is refused: %s', (builder, reason) => {
    const choice = choose(builder);
    expect(choice.ok).toBe(false);
    if (!choice.ok) expect(choice.reason).toMatch(reason);
  });

  it('keeps an ARG tag and the registry as written, drops a digest with a note', () => {
    const ref = parseImageRef('docker.io/library/node:20', 1);
    const argTag = chooseRuntime(runtimeBases, ref, {rawName: 'docker.io/library/node', rawTag: '${NODE_VERSION}', cgoDisabled: false});
    expect(argTag.ok && argTag.written).toBe('docker.io/library/node:${NODE_VERSION}-slim');
    // A mirror's library/node is another repository: matched by exact name only, like the well-known image table.
    expect(choose('mirror.example.com/library/node:20').ok).toBe(false);
    const pinned = choose('node:20@sha256:' + 'a'.repeat(64));
    expect(pinned.ok && pinned.resolved).toBe('node:20-slim');
    expect(pinned.ok && pinned.notes.join()).toMatch(/pinned by digest; the runtime base node:20-slim is not/);
  });

  it('describes runtime bases: family, own user, commands', () => {
    expect(describeRuntime(runtimeBases, 'node:20-slim')).toMatchObject({family: 'debian', user: {name: 'node', uid: 1000, home: '/home/node'}, shell: true, known: true});
    expect(describeRuntime(runtimeBases, 'node:20-alpine').family).toBe('alpine');
    expect(describeRuntime(runtimeBases, 'gcr.io/distroless/static-debian12:nonroot')).toMatchObject({family: 'distroless', shell: false, user: {uid: 65532}});
    expect(describeRuntime(runtimeBases, 'scratch')).toMatchObject({family: 'scratch', shell: false, user: {uid: 65532}});
    expect(describeRuntime(runtimeBases, 'mcr.microsoft.com/dotnet/aspnet:8.0').user?.uid).toBe(1654);
    expect(describeRuntime(runtimeBases, 'mcr.microsoft.com/dotnet/aspnet:6.0').user).toBeUndefined();
    expect(describeRuntime(runtimeBases, 'python:3.12-slim').commands.has('python')).toBe(true);
    expect(describeRuntime(runtimeBases, 'example.com/own/base:1')).toMatchObject({family: 'debian', known: false});
  });

  it('never gives a created user the /nonexistent home (docker init\'s mistake)', () => {
    expect(runtimeBases.newUser.home).toBe('/home/app');
    for (const family of Object.values(runtimeBases.families)) expect(family.createUser ?? '').not.toContain('nonexistent');
    for (const runtime of runtimeBases.runtimes) expect(runtime.user?.home ?? '/').not.toContain('nonexistent');
  });

  it.each([
    [{...table, builders: 'x'}, /builders must be an array/],
    [{...table, newUser: {name: 'app', uid: -1, gid: 1, home: '/home/app'}}, /newUser.uid must be a whole number/],
    [{...table, builders: [{id: 'x', language: 'cobol', images: [], rules: [], copies: ''}]}, /language "cobol" is unknown/],
    [{...table, builders: [{id: 'x', language: 'node', images: [], rules: [{tag: '.*'}], copies: ''}]}, /exactly one of image and refuse/],
    [{...table, runtimes: [{images: [], family: 'windows', commands: []}]}, /family "windows" is unknown/],
  ])('a malformed table is a bug: %#', (json, message) => {
    expect(() => loadRuntimeBases(json)).toThrow(message);
  });
});
