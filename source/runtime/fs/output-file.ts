import {isAbsolute, relative, resolve} from 'node:path';
import {writeFileAtomic} from './atomic-write.js';
import {confinedPath, isWithin, projectRoot} from './confine.js';

/**
 * Writes a file the person named (`audit --output`, `fix --plan-out`) or a report the wizard
 * makes (`harden-report.md`), atomically. Inside the project the path is held to the
 * project like every write (a `harden-report.md` that links to ~/.bashrc is refused);
 * outside it, the person chose the place, but a link there is not written through.
 */
export async function writeOutputFile(cwd: string, path: string, content: Uint8Array | string | Iterable<string>): Promise<string> {
  const root = await projectRoot(cwd);
  const absolute = resolve(root, path);
  const inside = isWithin(root, absolute) && absolute !== root;
  const target = inside ? await confinedPath(root, relative(root, absolute).split('\\').join('/'), 'inside') : absolute;
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  await writeFileAtomic(target, bytes, {links: 'refuse'});
  return target;
}

/** True when `path` (absolute or relative to `cwd`) is outside `cwd`. */
export function isOutside(cwd: string, path: string): boolean {
  const rel = relative(cwd, resolve(cwd, path));
  return rel.startsWith('..') || isAbsolute(rel);
}
