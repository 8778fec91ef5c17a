import type {Analysis} from '../core/audit.js';
import type {WritableRequest} from '../core/plan/writable.js';
import type {ContainerEngine} from './ports.js';
import {discoverPaths} from './shadow.js';
import {targetFromSubject} from './targets/resolve.js';

/**
 * `fix --discover`: runs every compose service and Kubernetes container that can be
 * built or has a local image, and returns the paths each wrote, by target id, for the
 * planner. A target that cannot run here is reported through `onProblem` and left to
 * the static table.
 */
export async function discoverAll(engine: ContainerEngine, analysis: Analysis, cwd: string, onProgress: (line: string) => void, onProblem: (line: string) => void, signal?: AbortSignal): Promise<Map<string, WritableRequest[]>> {
  const found = new Map<string, WritableRequest[]>();
  for (const subject of analysis.subjects) {
    if (subject.kind !== 'compose-service' && subject.kind !== 'k8s-container') continue;
    const label = `${subject.target.file}:${subject.kind === 'k8s-container' ? subject.container.name : subject.target.name}`;
    try {
      const target = targetFromSubject(subject, label, cwd);
      onProgress(`discovering what ${label} writes`);
      const paths = await discoverPaths(engine, target, {durationSeconds: 3, readyTimeoutMs: 60_000, onProgress, ...(signal ? {signal} : {})});
      found.set(subject.target.id, paths.map(p => ({path: p.path, mount: p.mount, evidence: `seen when it ran: ${p.evidence.slice(0, 3).join(', ')}`})));
    } catch (error) {
      onProblem(`could not run ${label}: ${(error as Error).message.split('\n')[0]}; its paths come from the files only`);
    }
  }
  return found;
}
