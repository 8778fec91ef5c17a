import {describe, expect, it} from 'vitest';
import {classify, classifyExplicit, skippedDirectories} from '../../../source/core/discover/classify.js';

describe('classify', () => {
  it.each([
    ['Dockerfile', 'dockerfile'],
    ['dockerfile', 'dockerfile'],
    ['DOCKERFILE', 'dockerfile'],
    ['Containerfile', 'dockerfile'],
    ['api.Dockerfile', 'dockerfile'],
    ['web.dockerfile', 'dockerfile'],
    ['base.Containerfile', 'dockerfile'],
    ['Dockerfile.prod', 'dockerfile'],
    ['Dockerfile.alpine', 'dockerfile'],
    ['Containerfile.dev', 'dockerfile'],
    ['Dockerfile-dev', 'dockerfile'],
    ['Dockerfile_prod', 'dockerfile'],
    ['containerfile-ci', 'dockerfile'],
    ['Dockerfile-dev.dockerignore', undefined],
    ['Dockerfiles', undefined],
    ['Dockerfile-', undefined],
    ['Dockerfile.dockerignore', undefined],
    ['Dockerfile.template', undefined],
    ['Dockerfile.j2', undefined],
    ['Dockerfile.md', undefined],
    ['Dockerfile.orig', undefined],
    ['Dockerfile.swp', undefined],
    ['.dockerignore', undefined],
    ['Makefile', undefined],
    ['README.md', undefined],
    ['compose.yaml', 'compose'],
    ['compose.yml', 'compose'],
    ['compose.override.yml', 'compose'],
    ['docker-compose.yml', 'compose'],
    ['docker-compose.yaml', 'compose'],
    ['docker-compose.prod.yml', 'compose'],
    ['docker-compose.override.yaml', 'compose'],
    ['docker-compose-dev.yml', 'compose'],
    ['compose-dev.yaml', 'compose'],
    ['Docker-Compose.YML', 'compose'],
    ['composer.yaml', 'yaml'],
    ['docker-composer.yml', 'yaml'],
    ['composer.json', undefined],
    ['deploy.yaml', 'yaml'],
    ['values.yml', 'yaml'],
    ['Dockerfile.yaml', 'yaml'],
  ] as const)('%s -> %s', (name, expected) => {
    expect(classify(name)).toBe(expected);
  });
});

describe('classifyExplicit', () => {
  it.each([
    ['Dockerfile', 'dockerfile'],
    ['compose.yaml', 'compose'],
    ['deploy.yml', 'yaml'],
    ['manifest.json', 'yaml'],
    ['build.conf', 'dockerfile'],
    ['Dockerfile.template', 'dockerfile'],
  ] as const)('a file named on the command line, %s, is %s', (name, expected) => {
    expect(classifyExplicit(name)).toBe(expected);
  });
});

describe('skippedDirectories', () => {
  it.each(['node_modules', '.git', 'vendor', '.venv', '.harden'])('skips %s', name => {
    expect(skippedDirectories.has(name)).toBe(true);
  });
  it.each(['src', 'deploy', 'docker', '.github'])('walks %s', name => {
    expect(skippedDirectories.has(name)).toBe(false);
  });
});
