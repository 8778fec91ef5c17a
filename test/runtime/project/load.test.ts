import {describe, expect, it} from 'vitest';
import {analyzeFiles, ProjectAudit, type LoadedFile} from '../../../source/core/audit.js';
import type {FileSystem} from '../../../source/runtime/ports.js';
import {loadProject, scanProject} from '../../../source/runtime/project/load.js';
import {nodeFileSystem} from '../../../source/runtime/fs/node-fs.js';

/** An in-memory tree whose reads finish in reverse order of their start, to prove results come back in discovery order. */
function memoryFs(files: Record<string, string>): FileSystem & {reads: number; maxInFlight: number} {
  let inFlight = 0;
  const fs = {
    reads: 0,
    maxInFlight: 0,
    async list(dir: string) {
      const names = new Map<string, 'file' | 'directory'>();
      for (const path of Object.keys(files)) {
        if (!path.startsWith(dir + '/')) continue;
        const [first, ...rest] = path.slice(dir.length + 1).split('/');
        names.set(first!, rest.length > 0 ? 'directory' : 'file');
      }
      return [...names].map(([name, kind]) => ({name, kind}));
    },
    async stat(path: string) {
      if (path in files) return {kind: 'file' as const, size: files[path]!.length};
      if (Object.keys(files).some(p => p.startsWith(path + '/'))) return {kind: 'directory' as const, size: 0};
      throw Object.assign(new Error('no such file'), {code: 'ENOENT'});
    },
    realpath: async (path: string) => path,
    async read(path: string) {
      fs.reads++;
      fs.maxInFlight = Math.max(fs.maxInFlight, ++inFlight);
      // Later files answer sooner.
      await new Promise(resolve => setTimeout(resolve, 40 - Math.min(39, fs.reads)));
      inFlight--;
      if (path.endsWith('unreadable/Dockerfile')) throw Object.assign(new Error('denied'), {code: 'EACCES'});
      return new TextEncoder().encode(files[path]!);
    },
  };
  return fs;
}

const tree: Record<string, string> = {};
for (let i = 0; i < 60; i++) tree[`/p/svc-${String(i).padStart(2, '0')}/Dockerfile`] = `FROM node:${i}\nRUN npm ci\n`;
tree['/p/unreadable/Dockerfile'] = '';
tree['/p/k8s/deploy.yaml'] = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{name: web, image: nginx}]}}}\n';

describe('scanProject', () => {
  it('hands each file on in discovery order, reading several at a time, without a sha256', async () => {
    const fs = memoryFs(tree);
    const seen: LoadedFile[] = [];
    const {errors} = await scanProject(fs, ['.'], '/p', 1 << 20, file => seen.push(file));
    expect(errors).toEqual([]);
    const loaded = await loadProject(memoryFs(tree), ['.'], '/p', 1 << 20);
    expect(seen.map(f => f.file)).toEqual(loaded.files.map(f => f.file));
    expect(seen.map(f => f.file)).toEqual([...seen.map(f => f.file)].sort());
    expect(fs.maxInFlight).toBeGreaterThan(1);
    expect(fs.maxInFlight).toBeLessThanOrEqual(32);
    expect(seen.every(f => f.sha256 === undefined)).toBe(true);
    expect(loaded.files.filter(f => f.text !== undefined).every(f => /^[0-9a-f]{64}$/.test(f.sha256!))).toBe(true);
    expect(seen.find(f => f.file === 'unreadable/Dockerfile')).toEqual({file: 'unreadable/Dockerfile', type: 'dockerfile', error: 'permission denied; check the file mode'});
  });

  it('fed into a ProjectAudit gives the report analyzeFiles gives on the loaded files', async () => {
    const audit = new ProjectAudit({version: 't'});
    await scanProject(memoryFs(tree), ['.'], '/p', 1 << 20, file => audit.add(file));
    const loaded = await loadProject(memoryFs(tree), ['.'], '/p', 1 << 20);
    expect(audit.finish()).toEqual(analyzeFiles(loaded.files, {version: 't'}));
  });

  it('audits the fixture projects as loadProject and analyzeFiles do', async () => {
    for (const dir of ['test/fixtures/projects', 'templates/demo']) {
      const audit = new ProjectAudit({version: 't'});
      const scanned = await scanProject(nodeFileSystem, ['.'], dir, 1 << 22, file => audit.add(file));
      const loaded = await loadProject(nodeFileSystem, ['.'], dir, 1 << 22);
      expect(scanned.errors).toEqual(loaded.errors);
      const streamed = audit.finish().report;
      expect(streamed.targets.length).toBeGreaterThan(0);
      expect(streamed).toEqual(analyzeFiles(loaded.files, {version: 't'}).report);
    }
  });
});
