import {flagValue, type Segment} from './command.js';
import {afterCdReason, type ArtifactOutcome, type BuildContext, findAll, programName, refusal, resolveIn} from './artifacts.js';

/*
 * Compiled languages ship one file or directory, at the same path as in the builder so
 * CMD runs unchanged: Go's `go build -o X`, the binary a Rust CMD runs, the `dotnet
 * publish -o` directory (Java: artifacts-java.ts). The name of an output not written in
 * the Dockerfile is in go.mod, pom.xml or Cargo.toml, which the core does not read: then
 * the rewrite says so instead of guessing.
 */

export const sourceTreeNote = (what: string, dir: string | undefined) =>
  `only ${what} is copied: files it reads at run time from ${dir ?? 'the build context'} (templates, static assets, config) are not; embed them or COPY them`;

export function goArtifacts(ctx: BuildContext): ArtifactOutcome {
  const isGo = (verb: string) => (s: Segment) => programName(s.words[0] ?? '') === 'go' && s.words[1] === verb;
  const builds = findAll(ctx, isGo('build'));
  if (builds.length === 0) {
    const install = findAll(ctx, isGo('install'))[0];
    if (install) return refusal(`go install (line ${install.placed.line}) names the binary after the package, which the rewrite cannot see; use go build -o /out/app`, install.placed.line);
    return refusal('no go build in the Dockerfile, so there is no binary to copy');
  }
  const outputs: string[] = [];
  for (const build of builds) {
    if (build.afterCd) return afterCdReason('go build', build);
    const out = flagValue(build.segment.words, ['-o']);
    if (!out) return refusal(`go build without -o (line ${build.placed.line}) names the binary after the module, which the rewrite cannot see; add -o /out/app`, build.placed.line);
    if (out.includes('$')) return refusal(`go build -o ${out} (line ${build.placed.line}) depends on a variable`, build.placed.line);
    outputs.push(resolveIn(build.placed.workdir, out) + (out.endsWith('/') ? '/' : ''));
  }
  const unique = [...new Set(outputs)];
  return {
    copies: unique.map(path => ({sources: [path], to: path})),
    provided: unique.map(path => path.replace(/\/$/, '')),
    notes: [sourceTreeNote(unique.join(' and '), ctx.workdir)],
  };
}

export function rustArtifacts(ctx: BuildContext): ArtifactOutcome {
  const cargo = (verb: string) => (s: Segment) => programName(s.words[0] ?? '') === 'cargo' && s.words[1] === verb;
  const install = findAll(ctx, cargo('install'))[0];
  if (install) return refusal(`cargo install (line ${install.placed.line}) puts the binary in ~/.cargo/bin under the crate's name, which the rewrite cannot see; use cargo build --release and run ./target/release/<name>`, install.placed.line);
  if (findAll(ctx, cargo('build')).length === 0) return refusal('no cargo build in the Dockerfile, so there is no binary to copy');
  const program = ctx.entry?.words[0];
  if (!program || !program.includes('/') || program.includes('$')) {
    return refusal(`CMD runs ${program ?? 'nothing'}, not a path to the built binary (like ./target/release/app), so which file to copy is unknown`);
  }
  const path = resolveIn(ctx.workdir, program);
  return {copies: [{sources: [path], to: path}], provided: [path], notes: [sourceTreeNote(path, ctx.workdir)]};
}

export function dotnetArtifacts(ctx: BuildContext): ArtifactOutcome {
  const publish = findAll(ctx, s => programName(s.words[0] ?? '') === 'dotnet' && s.words[1] === 'publish')[0];
  if (!publish) return refusal('no dotnet publish in the Dockerfile, so there is no output to copy');
  if (publish.afterCd) return afterCdReason('dotnet publish', publish);
  const out = flagValue(publish.segment.words, ['-o', '--output']);
  if (!out || out.includes('$')) return refusal(`dotnet publish without a literal -o (line ${publish.placed.line}) writes under bin/<configuration>/<framework>/publish, which the rewrite cannot see; add -o /app/publish`, publish.placed.line);
  const path = resolveIn(publish.placed.workdir, out);
  return {copies: [{sources: [path], to: path}], provided: [path], notes: [sourceTreeNote(path, ctx.workdir)]};
}
