import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {isRootUser} from '../../../../source/core/knowledge/well-known-images.js';
import {parseDockerfile} from '../../../../source/core/parse/dockerfile.js';
import {addUser, rewriteMultiStage} from '../../../../source/core/patch/dockerfile/index.js';
import {dockerfileUser} from '../../../../source/core/rules/effective.js';

/* The reference templates are what the rewrite aims at: they parse, and nothing is left to fix. */

const dir = 'templates/dockerfile';
const templates = readdirSync(dir).filter(name => name.endsWith('.Dockerfile')).sort();

describe('templates/dockerfile', () => {
  it('has one template per language', () => {
    expect(templates).toEqual(['go.Dockerfile', 'java.Dockerfile', 'node.Dockerfile', 'python.Dockerfile', 'static-nginx.Dockerfile']);
  });

  it.each(templates)('%s is multi-stage, runs as a numeric non-root user, and needs no fix', name => {
    const text = readFileSync(join(dir, name), 'utf8');
    const parsed = parseDockerfile(name, text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.facts!.stages.length).toBe(2);
    expect(parsed.facts!.stages[0]!.name).toBe('builder');
    const user = dockerfileUser(parsed.facts!)!.value;
    expect(isRootUser(user)).toBe(false);
    expect(user).toMatch(/^\d+:\d+$/);
    expect(rewriteMultiStage(name, text)).toEqual({ok: false, reason: 'already multi-stage'});
    expect(addUser(name, text)).toEqual({ok: false, reason: 'already multi-stage'});
  });
});
