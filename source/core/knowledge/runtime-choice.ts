import type {ImageRef} from '../model/facts.js';
import {parseImageRef} from '../parse/image-ref.js';
import {rewriteLanguages, type BuilderEntry, type Family, type RuntimeBases, type RuntimeUser} from './runtime-bases.js';

/** The runtime base picked for a builder, or why there is none. */
export type RuntimeChoice =
  | {
      ok: true;
      builder: BuilderEntry;
      /** The FROM text to write (keeps the builder's `${ARG}` tag and registry prefix). */
      written: string;
      /** The same with ARGs resolved, as the parser will read it back. */
      resolved: string;
      /** Named groups of the rule that matched, e.g. `minor` for Python. */
      groups: Readonly<Record<string, string>>;
      notes: string[];
    }
  | {ok: false; reason: string};

/** The normalised name tables match on: `registry/repository`, Docker Hub without `library/`. */
export function imageName(ref: ImageRef): string {
  return ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
}

/** The builder entry for an image, if the table knows it. */
export function builderFor(bases: RuntimeBases, ref: ImageRef): BuilderEntry | undefined {
  const name = imageName(ref);
  return bases.builders.find(b => b.images.includes(name));
}

/**
 * The runtime base for `ref` from the table. `rawTag` is the tag as written (it may be
 * `${NODE_VERSION}`); a `{tag}`-only template keeps it, so the runtime stage follows the
 * same ARG. The registry prefix as written is kept when the runtime is the same image.
 */
export function chooseRuntime(bases: RuntimeBases, ref: ImageRef, context: {rawName: string; rawTag?: string; cgoDisabled: boolean}): RuntimeChoice {
  const builder = builderFor(bases, ref);
  if (!builder) return {ok: false, reason: `no runtime base is known for ${ref.raw} (templates/runtime-bases.json): pass one`};
  const tag = ref.tag ?? '';
  for (const rule of builder.rules) {
    if (rule.when === 'cgo-disabled' && !context.cgoDisabled) continue;
    const match = rule.tag.exec(tag);
    if (!match) continue;
    const groups: Record<string, string> = {tag};
    for (const [key, value] of Object.entries(match.groups ?? {})) groups[key] = value ?? '';
    const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
    if (rule.refuse) return {ok: false, reason: fill(rule.refuse, groups)};
    const resolved = fill(rule.image!, groups);
    const rawGroups = {...groups, tag: context.rawTag ?? tag};
    let written = fill(rule.image!, rawGroups);
    const target = parseImageRef(resolved, ref.line);
    if (imageName(target) === imageName(ref) && target.tag !== undefined) {
      written = `${context.rawName}:${parseImageRef(written, ref.line).tag}`;
    }
    const notes = rule.note ? [fill(rule.note, groups)] : [];
    if (ref.digest) notes.push(`${ref.raw} is pinned by digest; the runtime base ${resolved} is not: pin it too (docker buildx imagetools inspect ${resolved})`);
    return {ok: true, builder, written, resolved, groups, notes};
  }
  return {ok: false, reason: `no rule in templates/runtime-bases.json matches the tag "${tag}" of ${ref.raw}`};
}

/** What the rewrite knows of a runtime base: family, own user, commands. */
export interface RuntimeInfo {
  family: Family;
  /** The image's own non-root user, if it has one. */
  user?: RuntimeUser;
  /** Programs CMD, ENTRYPOINT and HEALTHCHECK may run: the image's and its family's. */
  commands: ReadonlySet<string>;
  shell: boolean;
  createUser?: string;
  /** False when the table does not know the image and the family is a guess. */
  known: boolean;
}

/** Looks a runtime base up in the table; an unknown image is taken for a Debian-like one with a shell. */
export function describeRuntime(bases: RuntimeBases, image: string): RuntimeInfo {
  const ref = image.trim().toLowerCase() === 'scratch' ? undefined : parseImageRef(image, 0);
  const name = ref ? imageName(ref) : 'scratch';
  const tag = ref?.tag ?? '';
  const entry = bases.runtimes.find(r => r.images.some(i => (i.endsWith('*') ? name.startsWith(i.slice(0, -1)) : i === name)) && (!r.tag || r.tag.test(tag)));
  const family: Family = entry?.family ?? (/alpine/.test(tag) ? 'alpine' : 'debian');
  const info = bases.families[family];
  const result: RuntimeInfo = {family, commands: new Set([...(entry?.commands ?? []), ...info.commands]), shell: info.shell, known: entry !== undefined};
  if (entry?.user) result.user = entry.user;
  if (info.createUser) result.createUser = info.createUser;
  return result;
}

/** Whether `harden fix` can rewrite a single-stage build on an image, and onto which runtime base. */
export type RewriteSupport =
  | {
      ok: true;
      builder: BuilderEntry;
      /** The runtime base the table picks, as the parser reads it. */
      runtime: string;
      /** The runtime base is the builder's own image (node:20-slim, busybox): the rewrite saves the build, not the base. */
      same: boolean;
    }
  | {ok: false; reason: string; builder?: BuilderEntry};

/**
 * The one answer to "can the rewrite handle this base?": the single-stage-build rule marks its
 * finding fixable by it, and the rewrite refuses with its reason, so a report never says "by
 * hand" about a file `harden fix` rewrites, nor the other way round.
 */
export function rewriteSupport(bases: RuntimeBases, ref: ImageRef, cgoDisabled: boolean): RewriteSupport {
  const builder = builderFor(bases, ref);
  if (!builder) return {ok: false, reason: `no runtime base is known for ${ref.raw} (templates/runtime-bases.json), so neither are the files to copy`};
  if (!rewriteLanguages.has(builder.language)) {
    return {ok: false, builder, reason: `the rewrite has no rules yet for which files a ${builder.language} app needs at run time; split the stages by hand`};
  }
  const choice = chooseRuntime(bases, ref, {rawName: imageName(ref), ...(ref.tag === undefined ? {} : {rawTag: ref.tag}), cgoDisabled});
  if (!choice.ok) return {ok: false, builder, reason: choice.reason};
  const runtime = parseImageRef(choice.resolved, ref.line);
  return {ok: true, builder, runtime: choice.resolved, same: imageName(runtime) === imageName(ref) && (runtime.tag ?? 'latest') === (ref.tag ?? 'latest')};
}
