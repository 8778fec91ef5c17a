import {rewriteMultiStage, type RewriteOptions} from './rewrite.js';

/** One rewrite of a single-stage Dockerfile, and how far it goes in cutting what it copies. */
export interface RewriteCandidate {
  text: string;
  runtimeBase: string;
  user: string;
  notes: string[];
  /** `minimal` copies only what the app is known to need; later ones keep more, to be safe. */
  level: string;
}

/**
 * The rewrites to try, most minimal first: the proof by running writes the first that does what
 * the original does. Pure; the same options give the same list, so the runtime (which proves)
 * and the planner (which writes) agree on what candidate N is.
 */
export function rewriteCandidates(file: string, text: string, options: RewriteOptions = {}): {ok: true; candidates: RewriteCandidate[]} | {ok: false; reason: string; line?: number} {
  const rewrite = rewriteMultiStage(file, text, options);
  if (!rewrite.ok) return rewrite;
  return {ok: true, candidates: [{text: rewrite.text, runtimeBase: rewrite.runtimeBase, user: rewrite.user, notes: rewrite.notes, level: 'minimal'}]};
}
