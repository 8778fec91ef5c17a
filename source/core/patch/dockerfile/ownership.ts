import {isRootUser} from '../../knowledge/well-known-images.js';
import {resolveIn, type BuildContext} from './artifacts.js';
import type {Placed} from './layout.js';

/*
 * What the build handed to a non-root user. COPY --from keeps the owner of what it copies
 * (moby #37123, fixed by moby PR #38599 in both builders), so a tree the build chowned to
 * `node` arrives in the runtime stage owned by uid 1000, which is also the runtime user:
 * the app could rewrite its own code. The minimal candidates take that back with
 * `--chown=0:0` and give the user only the directories it writes; the conservative one
 * keeps what the build meant.
 */

/** Who owns what after the build. */
export interface Ownership {
  /** The build made files a non-root user owns: a chown to one, COPY --chown, or a RUN after a non-root USER. */
  handedOut: boolean;
  /** Directories handed over whole (`chown -R user DIR`, `COPY --chown=user ... DIR`), absolute. */
  trees: string[];
}

export function ownershipOf(ctx: Pick<BuildContext, 'runs' | 'copies'>, kept: readonly Placed[]): Ownership {
  const trees: string[] = [];
  let handedOut = false;
  for (const copy of ctx.copies) {
    if (copy.chown === undefined || isRootUser(copy.chown.split(':')[0]!)) continue;
    handedOut = true;
    trees.push(copy.to.replace(/(.)\/$/, '$1'));
  }
  for (const run of ctx.runs) {
    for (const segment of run.segments) {
      const [tool, ...rest] = segment.words;
      if (tool !== 'chown') continue;
      const operands = rest.filter(w => !w.startsWith('-'));
      const owner = operands[0];
      if (owner === undefined || owner.includes('$') || isRootUser(owner.split(/[:.]/)[0]!)) continue;
      handedOut = true;
      if (rest.some(w => w === '-R' || w === '--recursive' || /^-[a-zA-Z]*R/.test(w))) {
        for (const target of operands.slice(1)) if (!/[$*?]/.test(target)) trees.push(resolveIn(run.placed.workdir, target));
      }
    }
  }
  // Anything a RUN makes after a non-root USER belongs to that user.
  let user: string | undefined;
  for (const p of kept) {
    if (p.keyword === 'USER') user = p.args.trim();
    else if (p.keyword === 'RUN' && user !== undefined && !isRootUser(user)) handedOut = true;
  }
  return {handedOut, trees: [...new Set(trees)]};
}

/** True when `path` is `tree` or inside it. */
export function within(path: string, tree: string): boolean {
  return path === tree || path.startsWith(tree === '/' ? '/' : `${tree}/`);
}
