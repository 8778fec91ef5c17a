import table from '../../../templates/runtime-bases.json' with {type: 'json'};

/*
 * The table from build bases to runtime bases lives in templates/runtime-bases.json so
 * people can read and extend it; this module checks its shape once and gives it types.
 * A malformed table is a bug in harden-wizard, so the loader throws.
 */

/** Languages the rewrite knows; only {@link rewriteLanguages} have artifact rules (patch/dockerfile/artifacts*.ts). */
export type Language = 'node' | 'python' | 'go' | 'rust' | 'java' | 'dotnet' | 'ruby' | 'php' | 'static';

/**
 * Languages whose runtime files the rewrite can name. The single-stage-build rule calls its
 * finding fixable only for these, and the rewrite refuses the others, so the findings screen
 * never says "by hand" about a file `harden fix` rewrites (test/core/patch/dockerfile checks
 * this list against the rewrite's own table of rules).
 */
export const rewriteLanguages: ReadonlySet<Language> = new Set<Language>(['node', 'python', 'go', 'java', 'rust', 'dotnet', 'static']);
/** How a runtime base adds users and whether it has a shell to RUN anything. */
export type Family = 'debian' | 'alpine' | 'distroless' | 'scratch';

/** A non-root user: one the image has, or one the rewrite creates. */
export interface RuntimeUser {
  /** Login name; empty where the image has no /etc/passwd (scratch). */
  name: string;
  uid: number;
  gid: number;
  /** A real, writable home; never /nonexistent (RESEARCH.md: docker init's mistake). */
  home: string;
}

/** One rule of a builder: the first whose `tag` matches the builder's tag decides. */
export interface BuilderRule {
  /** Tested against the builder's tag, '' when it has none; named groups fill `{name}` in `image` and `refuse`. */
  tag: RegExp;
  /** Only when go build runs with CGO_ENABLED=0. */
  when?: 'cgo-disabled';
  /** The runtime base, a template: `{tag}` and the named groups of `tag`. */
  image?: string;
  /** Why no runtime base fits this tag, shown to the user. */
  refuse?: string;
  /** Said to the user when this rule is used. */
  note?: string;
}

/** A build base image and the runtime bases it maps to. */
export interface BuilderEntry {
  id: string;
  language: Language;
  /** Normalised names: `registry/repository`, Docker Hub without `library/`. */
  images: readonly string[];
  rules: readonly BuilderRule[];
  /** Directories build output lands in, relative to the project. */
  outputs: readonly string[];
  /** Where pip installs, with `{minor}` for the Python version (python only). */
  sitePackages?: string;
  /** What the runtime stage gets, in words. */
  copies: string;
}

/** What the rewrite must know of a runtime base. */
export interface RuntimeEntry {
  images: readonly string[];
  /** Only for tags matching this. */
  tag?: RegExp;
  family: Family;
  /** The image's own non-root user; absent: the rewrite creates `newUser`. */
  user?: RuntimeUser;
  /** Programs the image ships that CMD, ENTRYPOINT or HEALTHCHECK may run. */
  commands: readonly string[];
}

/** How a family adds a user and what it always has. */
export interface FamilyInfo {
  shell: boolean;
  commands: readonly string[];
  /** A shell command with `{name}`, `{uid}`, `{gid}`, `{home}`; absent where nothing can run. */
  createUser?: string;
}

/** The validated table. */
export interface RuntimeBases {
  newUser: RuntimeUser;
  families: Readonly<Record<Family, FamilyInfo>>;
  builders: readonly BuilderEntry[];
  runtimes: readonly RuntimeEntry[];
}

const languages: readonly Language[] = ['node', 'python', 'go', 'rust', 'java', 'dotnet', 'ruby', 'php', 'static'];
const familyNames: readonly Family[] = ['debian', 'alpine', 'distroless', 'scratch'];

/** Checks the parsed JSON of templates/runtime-bases.json and compiles its patterns. Throws on a malformed table. */
export function loadRuntimeBases(json: unknown): RuntimeBases {
  const root = object(json, 'table');
  const families = object(root['families'], 'families');
  const familyInfo = {} as Record<Family, FamilyInfo>;
  for (const name of familyNames) {
    const f = object(families[name], `families.${name}`);
    familyInfo[name] = {shell: f['shell'] === true, commands: strings(f['commands'], `families.${name}.commands`)};
    if (f['createUser'] !== undefined) familyInfo[name].createUser = string(f['createUser'], `families.${name}.createUser`);
  }
  const builders = array(root['builders'], 'builders').map((raw, i): BuilderEntry => {
    const b = object(raw, `builders[${i}]`);
    const language = string(b['language'], `builders[${i}].language`) as Language;
    if (!languages.includes(language)) throw new Error(`runtime-bases.json: builders[${i}].language "${language}" is unknown`);
    const entry: BuilderEntry = {
      id: string(b['id'], `builders[${i}].id`),
      language,
      images: strings(b['images'], `builders[${i}].images`),
      rules: array(b['rules'], `builders[${i}].rules`).map((r, j) => rule(object(r, `builders[${i}].rules[${j}]`), `builders[${i}].rules[${j}]`)),
      outputs: b['outputs'] === undefined ? [] : strings(b['outputs'], `builders[${i}].outputs`),
      copies: string(b['copies'], `builders[${i}].copies`),
    };
    if (b['sitePackages'] !== undefined) entry.sitePackages = string(b['sitePackages'], `builders[${i}].sitePackages`);
    return entry;
  });
  const runtimes = array(root['runtimes'], 'runtimes').map((raw, i): RuntimeEntry => {
    const r = object(raw, `runtimes[${i}]`);
    const family = string(r['family'], `runtimes[${i}].family`) as Family;
    if (!familyNames.includes(family)) throw new Error(`runtime-bases.json: runtimes[${i}].family "${family}" is unknown`);
    const entry: RuntimeEntry = {images: strings(r['images'], `runtimes[${i}].images`), family, commands: strings(r['commands'], `runtimes[${i}].commands`)};
    if (r['tag'] !== undefined) entry.tag = new RegExp(string(r['tag'], `runtimes[${i}].tag`));
    if (r['user'] !== undefined) entry.user = user(r['user'], `runtimes[${i}].user`);
    return entry;
  });
  return {newUser: user(root['newUser'], 'newUser'), families: familyInfo, builders, runtimes};
}

function rule(r: Record<string, unknown>, where: string): BuilderRule {
  const result: BuilderRule = {tag: new RegExp(string(r['tag'], `${where}.tag`))};
  if (r['when'] !== undefined) {
    if (r['when'] !== 'cgo-disabled') throw new Error(`runtime-bases.json: ${where}.when must be "cgo-disabled"`);
    result.when = 'cgo-disabled';
  }
  if (r['image'] !== undefined) result.image = string(r['image'], `${where}.image`);
  if (r['refuse'] !== undefined) result.refuse = string(r['refuse'], `${where}.refuse`);
  if (r['note'] !== undefined) result.note = string(r['note'], `${where}.note`);
  if ((result.image === undefined) === (result.refuse === undefined)) throw new Error(`runtime-bases.json: ${where} needs exactly one of image and refuse`);
  return result;
}

function user(raw: unknown, where: string): RuntimeUser {
  const u = object(raw, where);
  const number = (key: string) => {
    const value = u[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`runtime-bases.json: ${where}.${key} must be a whole number`);
    return value;
  };
  return {name: string(u['name'], `${where}.name`), uid: number('uid'), gid: number('gid'), home: string(u['home'], `${where}.home`)};
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`runtime-bases.json: ${where} must be an object`);
  return value as Record<string, unknown>;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`runtime-bases.json: ${where} must be an array`);
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`runtime-bases.json: ${where} must be a string`);
  return value;
}

function strings(value: unknown, where: string): string[] {
  return array(value, where).map((item, i) => string(item, `${where}[${i}]`));
}

/** The table shipped in templates/runtime-bases.json. */
export const runtimeBases: RuntimeBases = loadRuntimeBases(table);
