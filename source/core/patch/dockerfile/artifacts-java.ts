import {posix} from 'node:path';
import {appDir, type ArtifactOutcome, type BuildContext, isRefusal, programName, refusal, resolveIn} from './artifacts.js';
import {sourceTreeNote} from './artifacts-compiled.js';

/*
 * Java: what the java command line names, at the same paths so CMD runs unchanged: the jar
 * of `java -jar`, and each class-path entry of `-cp`/`-classpath`/`--class-path` (a jar, a
 * directory of classes, or `lib/*`, which is lib/ whole). Whatever built it (Maven, Gradle,
 * javac and jar in a RUN, ./build.sh), the command names the output; a runtime on the JRE
 * sibling needs nothing else of the build. The `app-tree` level copies the whole WORKDIR
 * instead, which also holds a jar the command finds by a pattern.
 */

/** Options of the java launcher that take the next word as their value. */
const valueOptions = new Set(['-cp', '-classpath', '--class-path', '-p', '--module-path', '--add-modules', '-m', '--module', '-splash']);

/** The jar and class-path entries a java command line names, or why they cannot be read. */
function javaInputs(words: readonly string[]): {paths: string[]; pattern?: string} | undefined {
  const java = words.findIndex(w => programName(w) === 'java');
  if (java < 0) return undefined;
  const paths: string[] = [];
  for (let i = java + 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-jar') {
      const jar = words[i + 1];
      if (jar === undefined) return undefined;
      if (/[*?[$]/.test(jar)) return {paths, pattern: jar};
      return {paths: [...paths, jar]};
    }
    const inline = /^--class-path=(.*)$/.exec(word)?.[1];
    if (word === '-cp' || word === '-classpath' || word === '--class-path' || inline !== undefined) {
      const value = inline ?? words[++i] ?? '';
      for (const entry of value.split(':').filter(Boolean)) {
        // `lib/*` is every jar in lib/; any other pattern is left to the whole-WORKDIR level.
        if (/\/\*$|^\*$/.test(entry)) paths.push(entry === '*' ? '.' : entry.slice(0, -2));
        else if (/[*?[$]/.test(entry)) return {paths, pattern: entry};
        else paths.push(entry);
      }
      continue;
    }
    if (valueOptions.has(word)) i++;
    else if (!word.startsWith('-')) return paths.length > 0 ? {paths} : undefined; // the main class
  }
  return paths.length > 0 ? {paths} : undefined;
}

export function javaArtifacts(ctx: BuildContext): ArtifactOutcome {
  const words = ctx.entry?.words ?? [];
  const inputs = javaInputs(words);
  if (ctx.level !== 'minimal' || inputs === undefined || inputs.pattern !== undefined) {
    const dir = appDir(ctx);
    const why = inputs === undefined
      ? `CMD does not run java -jar or java -cp, so which jar to copy is unknown (its name is in ${ctx.builderEntry.id === 'gradle' ? 'build.gradle' : 'pom.xml'}); run the app with java -jar target/app.jar`
      : inputs.pattern !== undefined ? `CMD runs java with ${inputs.pattern}, a pattern the runtime stage cannot copy by name; name the jar (finalName in pom.xml, archiveFileName in Gradle)` : '';
    if (ctx.level === 'minimal') return refusal(why);
    if (isRefusal(dir)) return refusal(why || dir.refuse);
    const outside = inputs?.paths.map(p => resolveIn(dir, p)).filter(p => p !== dir && !p.startsWith(`${dir}/`)) ?? [];
    const copies = [{sources: [dir], to: dir}, ...outside.map(p => ({sources: [p], to: p}))];
    return {copies, provided: [dir, ...outside], notes: [`the whole ${dir} is copied as built${why ? `: ${why}` : ''}`]};
  }
  const paths = [...new Set(inputs.paths.map(p => resolveIn(ctx.workdir, p)))];
  if (paths.includes(ctx.workdir ?? '/')) return refusal('the class path is the whole WORKDIR (".")');
  return {
    copies: paths.map(path => ({sources: [path], to: path})),
    provided: paths,
    notes: [sourceTreeNote(paths.map(p => posix.relative(ctx.workdir ?? '/', p) || p).join(', '), ctx.workdir)],
  };
}
