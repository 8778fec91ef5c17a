import {canonicalPath, isForbiddenWritable, normalisePath, suggestMount} from '../../core/paths.js';
import type {MountType} from './state.js';

/** A typed path, judged as `--writable` judges it: shown while typing, checked again on enter. */
export type PathCheck = {ok: true; path: string; mount: MountType} | {ok: false; message: string};

/** Checks a path typed on the paths screen; `listed` are the paths the target shows already. */
export function checkWritablePath(text: string, listed: readonly string[]): PathCheck {
  const typed = text.trim();
  if (typed === '') return {ok: false, message: 'type an absolute path, such as /var/cache/app'};
  if (!typed.startsWith('/')) return {ok: false, message: 'the path must be absolute, such as /var/cache/app'};
  if (/\s/.test(typed)) return {ok: false, message: 'no spaces in a mount path'};
  const path = normalisePath(typed);
  if (isForbiddenWritable(path)) return {ok: false, message: `${canonicalPath(path)} must never be writable`};
  if (listed.some(p => canonicalPath(p) === canonicalPath(path))) return {ok: false, message: `${path} is listed already`};
  return {ok: true, path, mount: suggestMount(path)};
}
