import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {FilePatch} from '../core/model/plan.js';
import {runConfigFiles, runConfigFromInspect} from '../core/runconfig/index.js';
import type {ContainerEngine} from './ports.js';

/**
 * `fix --containers`: for each running container (not the tool's own), a hardened
 * `docker run` script, compose file and Quadlet unit under `dir`, as file patches for the
 * same writer and undo as every fix. The containers themselves are never touched.
 */
export async function containerRunConfigs(engine: ContainerEngine, cwd: string, dir = 'hardened'): Promise<{files: FilePatch[]; notes: string[]}> {
  const files: FilePatch[] = [];
  const notes: string[] = [];
  for (const summary of await engine.listContainers(false)) {
    if (summary.labels['harden-wizard.managed'] === 'true') continue;
    try {
      const inspect = await engine.inspectContainer(summary.id);
      const image = (inspect as {Image?: string}).Image;
      const [changes, imageInspect] = await Promise.all([engine.changes(summary.id), image ? engine.inspectImage(image) : undefined]);
      const config = runConfigFromInspect(inspect, changes, imageInspect);
      if ('error' in config) {
        notes.push(`${summary.name}: ${config.error}`);
        continue;
      }
      for (const file of runConfigFiles(config, dir)) {
        const current = await readFile(join(cwd, file.file)).catch(() => undefined);
        if (current === undefined) files.push({file: file.file, bom: false, text: file.text, created: true});
        else if (current.toString('utf8') !== file.text) {
          files.push({file: file.file, sha256: createHash('sha256').update(current).digest('hex'), bom: false, text: file.text, created: false});
        }
      }
    } catch (error) {
      notes.push(`${summary.name}: could not read it: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return {files, notes};
}
