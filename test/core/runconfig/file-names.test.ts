import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import type {FileChangeFact} from '../../../source/core/model/facts.js';
import {fileBase} from '../../../source/core/runconfig/format.js';
import {runConfigFiles, runConfigFromInspect, withUniqueFileBases, type RunConfig} from '../../../source/core/runconfig/index.js';

/*
 * Two containers must never share a generated file or a new volume: `harden fix --containers`
 * found two names alike in their first 100 characters, planned two patches for each file and
 * wrote nothing at all.
 */

const inspect = JSON.parse(readFileSync('test/fixtures/inspect/nginx-plain.json', 'utf8')) as Array<{Name: string}>;
const changes = JSON.parse(readFileSync('test/fixtures/runconfig/nginx-plain/changes.json', 'utf8')) as FileChangeFact[];

function configNamed(name: string): RunConfig {
  const copy = structuredClone(inspect);
  copy[0]!.Name = `/${name}`;
  const config = runConfigFromInspect(copy, changes);
  if ('error' in config) throw new Error(config.error);
  return config;
}

const long = 'x'.repeat(100);

describe('generated file names', () => {
  it.each([
    ['web', 'web'],
    ['my_app.v2', 'my_app.v2'],
    ['x'.repeat(100), 'x'.repeat(100)],
    ['../../etc/cron.d/x', 'etc-cron.d-x'],
  ])('%s gives %s', (name, base) => {
    expect(fileBase(name)).toBe(base);
  });

  it('cuts a long name to 100 characters ending in a hash of the whole name', () => {
    const [a, b] = [fileBase(`${long}a`), fileBase(`${long}b`)];
    expect(a).toHaveLength(100);
    expect(a).toMatch(/^x{91}-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(fileBase(`${long}a`)).toBe(a);
  });

  it('gives two long names alike in their first 100 characters their own files, volumes and texts', () => {
    const configs = withUniqueFileBases([configNamed(`${long}a`), configNamed(`${long}b`)]);
    const files = configs.flatMap(c => runConfigFiles(c));
    expect(new Set(files.map(f => f.file)).size).toBe(6);
    const volumes = configs.map(c => c.writable.filter(w => w.mount === 'volume').map(w => w.name));
    expect(volumes[0]!.length).toBeGreaterThan(0);
    expect(volumes[0]!.some(v => volumes[1]!.includes(v))).toBe(false);
    // Each script names its own file in its "then run" line.
    for (const file of files.filter(f => f.file.endsWith('.run.sh'))) expect(file.text).toContain(`sh ${file.file.replace(/^hardened\//, '')}`);
  });

  it('numbers names that still give one base, ignoring case, and keeps the first as it is', () => {
    const configs = withUniqueFileBases([configNamed('Web'), configNamed('web'), configNamed('web-2'), configNamed('WEB')]);
    expect(configs.map(c => runConfigFiles(c, '')[0]!.file)).toEqual(['Web.run.sh', 'web-3.run.sh', 'web-2.run.sh', 'WEB-4.run.sh']);
    const all = configs.flatMap(c => runConfigFiles(c).map(f => f.file.toLowerCase()));
    expect(new Set(all).size).toBe(all.length);
  });
});
