import {containerFacts} from '../core/discover/container.js';
import type {AuditError} from '../core/model/finding.js';
import type {ContainerFacts} from '../core/model/facts.js';
import type {ContainerEngine} from './ports.js';

/** Label on everything the tool itself starts: those are not the user's containers to audit. */
const ownLabel = 'harden-wizard.managed';

/**
 * The engine's containers as facts: inspect, filesystem changes and the image's user.
 * A container that vanishes while being read (removed meanwhile) is reported, not fatal.
 */
export async function readContainers(engine: ContainerEngine, all: boolean): Promise<{containers: ContainerFacts[]; errors: AuditError[]}> {
  const containers: ContainerFacts[] = [];
  const errors: AuditError[] = [];
  for (const summary of await engine.listContainers(all)) {
    if (summary.labels[ownLabel] === 'true') continue;
    try {
      const inspect = await engine.inspectContainer(summary.id);
      const image = (inspect as {Image?: string}).Image;
      const [changes, imageInspect] = await Promise.all([engine.changes(summary.id), image ? engine.inspectImage(image) : undefined]);
      const facts = containerFacts(inspect, changes, imageInspect);
      if ('error' in facts) errors.push({file: `container:${summary.name}`, line: 0, message: facts.error});
      else containers.push(facts);
    } catch (error) {
      errors.push({file: `container:${summary.name}`, line: 0, message: `could not read it: ${(error as Error).message.split('\n')[0]}`});
    }
  }
  return {containers, errors};
}
