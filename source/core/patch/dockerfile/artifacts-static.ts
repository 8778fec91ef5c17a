import {appDir, type ArtifactOutcome, type BuildContext, isRefusal, programName, resolveIn} from './artifacts.js';

/*
 * Static sites and shell builds: a script or generator writes files that a server in the
 * same image serves, so the runtime stage is that image again (busybox has no slimmer
 * sibling) with only the directory the server serves: `httpd -h DIR` for busybox httpd,
 * the directory argument of darkhttpd. When the command names no directory it serves the
 * WORKDIR, which is then copied whole; so does the `app-tree` level.
 */

/** The directory a static server command serves, as written, or undefined when it names none. */
function servedDir(words: readonly string[]): string | undefined {
  const program = programName(words[0] ?? '');
  if (program === 'httpd' || (program === 'busybox' && words[1] === 'httpd')) {
    const at = words.indexOf('-h');
    return at >= 0 ? words[at + 1] : undefined;
  }
  if (program === 'darkhttpd') return words[1] !== undefined && !words[1].startsWith('-') ? words[1] : undefined;
  return undefined;
}

export function staticArtifacts(ctx: BuildContext): ArtifactOutcome {
  const dir = appDir(ctx);
  const served = servedDir(ctx.entry?.words ?? []);
  if (ctx.level === 'minimal' && served !== undefined && !served.includes('$')) {
    const path = resolveIn(ctx.workdir, served);
    if (path !== '/' && path !== dir) {
      return {copies: [{sources: [path], to: path}], provided: [path], notes: [`only ${path}, which the server serves, is copied: the sources and build scripts stay in the builder`]};
    }
  }
  if (isRefusal(dir)) return dir;
  return {copies: [{sources: [dir], to: dir}], provided: [dir], notes: [`the whole ${dir} is copied${served === undefined ? ': the command names no directory it serves' : ' as built'}`]};
}
