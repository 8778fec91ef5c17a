import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {FilePatch} from '../core/model/plan.js';
import {runConfigFiles, runConfigFromInspect, withUniqueFileBases, type RunConfig} from '../core/runconfig/index.js';
import type {ContainerEngine} from './ports.js';

/**
 * `fix --containers`: for each running container (not the tool's own), a hardened
 * `docker run` script, compose file and Quadlet unit under `dir`, as file patches for the
 * same writer and undo as every fix. The containers themselves are never touched.
 */
export async function containerRunConfigs(engine: ContainerEngine, cwd: string, dir = 'hardened', planned: ReadonlySet<string> = new Set()): Promise<{files: FilePatch[]; notes: string[]}> {
  const configs: RunConfig[] = [];
  const notes: string[] = [];
  for (const summary of await engine.listContainers(false)) {
    if (summary.labels['harden-wizard.managed'] === 'true') continue;
    try {
      const inspect = await engine.inspectContainer(summary.id);
      const image = (inspect as {Image?: string}).Image;
      const [changes, imageInspect] = await Promise.all([engine.changes(summary.id), image ? engine.inspectImage(image) : undefined]);
      const config = runConfigFromInspect(inspect, changes, imageInspect);
      if ('error' in config) notes.push(`${summary.name}: ${config.error}`);
      else configs.push(config);
    } catch (error) {
      notes.push(`${summary.name}: could not read it: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const files: FilePatch[] = [];
  // Names alike in their first 100 characters, or in all but case, get files of their own.
  for (const config of withUniqueFileBases(configs)) {
    const generated = runConfigFiles(config, dir);
    const clash = generated.find(file => planned.has(file.file));
    if (clash) {
      notes.push(`${config.name}: ${clash.file} is changed by this fix already; its run configs are not written`);
      continue;
    }
    for (const file of generated) {
      const current = await readFile(join(cwd, file.file)).catch(() => undefined);
      if (current === undefined) files.push({file: file.file, bom: false, text: file.text, created: true});
      else if (current.toString('utf8') !== file.text) {
        files.push({file: file.file, sha256: createHash('sha256').update(current).digest('hex'), bom: false, text: file.text, created: false});
      }
    }
  }
  return {files, notes};
}
