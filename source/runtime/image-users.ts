import type {Analysis} from '../core/audit.js';
import {externalImage} from '../core/rules/effective.js';
import type {ContainerEngine} from './ports.js';

/*
 * Issue 15: "where the image's user is known to be non-root (... the engine's image config
 * ...), set runAsNonRoot and the numeric runAsUser". The user of each image a root-user
 * finding is about, that no Dockerfile here builds and that is on this machine. Nothing is
 * pulled; no engine, or an image it does not have, simply adds nothing.
 */
export async function engineImageUsers(analysis: Analysis, connect: () => Promise<ContainerEngine>): Promise<Map<string, string>> {
  const flagged = new Set(analysis.report.findings.filter(f => f.rule === 'root-user').map(f => f.target));
  const refs = new Set<string>();
  for (const subject of analysis.subjects) {
    if ((subject.kind !== 'compose-service' && subject.kind !== 'k8s-container') || subject.dockerfile || !flagged.has(subject.target.id)) continue;
    const image = externalImage(subject);
    if (image && !image.raw.includes('$')) refs.add(image.raw);
  }
  const users = new Map<string, string>();
  if (refs.size === 0) return users;
  let engine: ContainerEngine;
  try {
    engine = await connect();
  } catch {
    return users;
  }
  for (const ref of refs) {
    const inspect = (await engine.inspectImage(ref).catch(() => undefined)) as {Config?: {User?: unknown}} | undefined;
    const user = inspect?.Config?.User;
    if (typeof user === 'string' && user.trim() !== '') users.set(ref, user.trim());
  }
  return users;
}
