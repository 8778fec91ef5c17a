import {readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {ContainerEngine, ContainerSummary} from '../../source/runtime/ports.js';
import {containerRunConfigs} from '../../source/runtime/runconfigs.js';

const inspect = JSON.parse(readFileSync('test/fixtures/inspect/nginx-plain.json', 'utf8')) as Array<{Name: string}>;
const changes = JSON.parse(readFileSync('test/fixtures/runconfig/nginx-plain/changes.json', 'utf8')) as unknown[];

/** An engine with running containers of these names, each the nginx-plain fixture under its name. */
function engineWith(names: string[]): ContainerEngine {
  const summaries: ContainerSummary[] = names.map((name, i) => ({id: `id${i}`, name, image: 'nginx:1.27', state: 'running', labels: {}}));
  return {
    listContainers: async () => summaries,
    inspectContainer: async (id: string) => {
      const copy = structuredClone(inspect);
      copy[0]!.Name = `/${names[Number(id.slice(2))]}`;
      return copy;
    },
    changes: async () => changes,
    inspectImage: async () => undefined,
  } as unknown as ContainerEngine;
}

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'harden-runconfigs-'));
});
afterAll(() => rm(cwd, {recursive: true, force: true}));

describe('containerRunConfigs', () => {
  it('gives every container its own three files, however alike their names', async () => {
    const long = 'x'.repeat(100);
    const {files, notes} = await containerRunConfigs(engineWith([`${long}a`, `${long}b`, 'Web', 'web']), cwd);
    expect(notes).toEqual([]);
    expect(files).toHaveLength(12);
    const names = files.map(f => f.file.toLowerCase());
    expect(new Set(names).size).toBe(12);
  });

  it('leaves out a container whose files another part of the fix already changes, and says so', async () => {
    const {files, notes} = await containerRunConfigs(engineWith(['web', 'db']), cwd, 'hardened', new Set(['hardened/web.compose.yaml']));
    expect(files.map(f => f.file)).toEqual(['hardened/db.run.sh', 'hardened/db.compose.yaml', 'hardened/db.container']);
    expect(notes).toEqual(['web: hardened/web.compose.yaml is changed by this fix already; its run configs are not written']);
  });
});
