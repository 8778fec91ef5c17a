import {posix} from 'node:path';
import {LineCounter, type Node, type YAMLMap} from 'yaml';
import {readYaml} from './yaml-read.js';
import type {AuditError} from '../model/finding.js';
import type {ComposeFacts, ComposeService, ComposeTag, Located, MountFact, Parsed} from '../model/facts.js';
import {normalisePath} from '../paths.js';
import {composeDefaults, parseImageRef} from './image-ref.js';
import {loneCrAsLf} from './line-breaks.js';
import {asMap, composeTag, get, items, lineOf, locatedBool, locatedString, scalar, stringList, yamlErrors, type YamlContext} from './yaml-nodes.js';

/** Keys a service inherits from the service it `extends` in the same file when it does not set them. */
const inherited = ['image', 'build', 'read_only', 'user', 'privileged', 'command', 'pid', 'ipc', 'network_mode'];
/** Keys whose lists Compose merges along `extends`: the base's entries and the service's own. */
const merged = ['security_opt', 'cap_drop', 'cap_add', 'volumes', 'tmpfs', 'ports', 'expose'];

/**
 * Parses a compose file's services, with merge keys and same-file `extends` resolved. A key
 * tagged `!reset` is unset here (Compose sets it to its default); the tags themselves are kept
 * on the service, for merging an override over its base file (compose-merge.ts).
 */
export function parseCompose(file: string, text: string): Parsed<ComposeFacts> {
  const lines = new LineCounter();
  const source = loneCrAsLf(text);
  const doc = readYaml(source, {merge: true, lineCounter: lines, prettyErrors: true});
  const ctx: YamlContext = {doc, lines};
  const errors: AuditError[] = yamlErrors(file, ctx, source);
  if (errors.length > 0) return {facts: null, errors};
  if (doc.contents === null) return {facts: {file, services: []}, errors};
  const root = asMap(ctx, doc.contents);
  if (!root) {
    return {facts: null, errors: [{file, line: lineOf(ctx, doc.contents), message: 'not a compose file: the top level must be a mapping with a "services:" key'}]};
  }
  const servicesNode = get(ctx, root, 'services');
  if (servicesNode === undefined || scalar(ctx, servicesNode) === null) return {facts: {file, services: []}, errors};
  const services = asMap(ctx, servicesNode);
  if (!services) {
    return {facts: null, errors: [{file, line: lineOf(ctx, servicesNode), message: '"services:" must be a mapping of service names to their settings'}]};
  }
  const result: ComposeService[] = [];
  const removed: Array<Located<string>> = [];
  for (const pair of services.items) {
    const name = String(scalar(ctx, pair.key) ?? '');
    const body = asMap(ctx, pair.value);
    if (!name) continue;
    const tag = composeTag(ctx, pair.value);
    if (tag === 'reset') {
      removed.push({value: name, line: lineOf(ctx, pair.key as Node)});
      continue;
    }
    if (!body) {
      errors.push({file, line: lineOf(ctx, pair.key as Node), message: `service "${name}" must be a mapping of settings`});
      continue;
    }
    const chain = extendsChain(ctx, services, body);
    // A `!reset` value counts as absent: Compose drops it before it merges or extends.
    const value = (m: YAMLMap, key: string) => {
      const node = get(ctx, m, key);
      return composeTag(ctx, node) === 'reset' ? undefined : node;
    };
    const lookup = (key: string) => {
      const own = value(body, key);
      return own !== undefined || !inherited.includes(key) ? own : chain.slice(1).map(m => value(m, key)).find(n => n !== undefined);
    };
    // The service's own entries first: where two name the same mount target, its own wins.
    const lists = (key: string) => (merged.includes(key) ? chain : [body]).map(m => value(m, key)).filter((n): n is Node => n !== undefined);
    const service = readService(ctx, file, name, lineOf(ctx, pair.key as Node), lookup, lists);
    const tags = ownTags(ctx, body);
    if (tags.length > 0) service.tags = tags;
    if (tag === 'override') service.replaces = true;
    result.push(service);
  }
  const facts: ComposeFacts = {file, services: result};
  if (removed.length > 0) facts.removed = removed;
  return {facts, errors};
}

/** The service's own keys tagged `!reset` or `!override`, with the line of each key. */
function ownTags(ctx: YamlContext, body: YAMLMap): ComposeTag[] {
  const tags: ComposeTag[] = [];
  for (const pair of body.items) {
    const tag = composeTag(ctx, pair.value);
    const key = scalar(ctx, pair.key);
    if (tag && typeof key === 'string') tags.push({key, tag, line: lineOf(ctx, pair.key as Node)});
  }
  return tags;
}

/** The service, then the service it `extends` in this file, and so on (a cycle ends the chain; another file's base is not read). */
function extendsChain(ctx: YamlContext, services: YAMLMap, body: YAMLMap): YAMLMap[] {
  const chain: YAMLMap[] = [];
  let current: YAMLMap | undefined = body;
  while (current && !chain.includes(current)) {
    chain.push(current);
    const ext = get(ctx, current, 'extends');
    const base = locatedString(ctx, ext)?.value ?? (get(ctx, ext, 'file') === undefined ? locatedString(ctx, get(ctx, ext, 'service'))?.value : undefined);
    current = base === undefined ? undefined : asMap(ctx, get(ctx, services, base));
  }
  return chain;
}

function readService(ctx: YamlContext, file: string, name: string, line: number, lookup: (key: string) => Node | undefined, lists: (key: string) => Node[]): ComposeService {
  // First of each key wins; a Set keeps it linear on a hostile file with thousands of entries.
  const firstBy = <T>(values: T[], key: (value: T) => string) => {
    const seen = new Set<string>();
    return values.filter(v => !seen.has(key(v)) && (seen.add(key(v)), true));
  };
  const unique = <T extends {value: string}>(values: T[]) => firstBy(values, v => v.value);
  const mounts = lists('volumes').flatMap(n => volumeMounts(ctx, n)).concat(lists('tmpfs').flatMap(n => tmpfsMounts(ctx, n)));
  const service: ComposeService = {
    name,
    line,
    securityOpt: unique(lists('security_opt').flatMap(n => stringList(ctx, n))),
    capDrop: unique(lists('cap_drop').flatMap(n => stringList(ctx, n))),
    mounts: firstBy(mounts, m => m.target),
  };
  const image = locatedString(ctx, lookup('image'));
  if (image) {
    service.image = parseImageRef(image.value, image.line);
    const assumed = service.image.unresolved ? composeDefaults(image.value) : undefined;
    if (assumed !== undefined) service.image.assumed = assumed;
  }
  const build = buildDockerfile(ctx, file, lookup('build'));
  if (build) service.build = build;
  const readOnly = locatedBool(ctx, lookup('read_only'));
  if (readOnly) service.readOnly = readOnly;
  const user = locatedString(ctx, lookup('user'));
  if (user) service.user = user;
  const privileged = locatedBool(ctx, lookup('privileged'));
  if (privileged) service.privileged = privileged;
  const capAdd = unique(lists('cap_add').flatMap(n => stringList(ctx, n)));
  if (capAdd.length > 0) service.capAdd = capAdd;
  for (const [key, prop] of [['pid', 'pid'], ['ipc', 'ipc'], ['network_mode', 'networkMode']] as const) {
    const value = locatedString(ctx, lookup(key));
    if (value) service[prop] = value;
  }
  const ports = [...lists('ports'), ...lists('expose')].flatMap(n => items(ctx, n).length > 0 ? items(ctx, n) : [n]).flatMap(n => containerPort(ctx, n));
  if (ports.length > 0) service.ports = ports;
  const commandNode = lookup('command');
  const command = stringList(ctx, commandNode);
  if (command.length > 0) {
    service.command = {value: command.map(c => c.value).join(' '), line: command[0]!.line};
    const argv = commandArgv(ctx, commandNode!, command.map(c => c.value));
    if (argv) service.command.argv = argv;
  }
  return service;
}

/** The container port of a `ports:` or `expose:` entry: `80`, `8080:80`, `127.0.0.1:8080:80/tcp`, `8000-8010`, or `{target: 80}`. */
function containerPort(ctx: YamlContext, node: Node): Located<number>[] {
  const spec = locatedString(ctx, node) ?? locatedString(ctx, get(ctx, node, 'target'));
  const port = Number(/(\d+)(?:-\d+)?(?:\/\w+)?$/.exec(spec?.value ?? '')?.[1]);
  return spec && port > 0 ? [{value: port, line: spec.line}] : [];
}

/** The argv of `command:`: a list as written; a string split into words, unless quotes or escapes need shell rules. */
function commandArgv(ctx: YamlContext, node: Node, words: string[]): string[] | undefined {
  if (items(ctx, node).length > 0) return words;
  const text = words[0] ?? '';
  return /["'\\$`]/.test(text) ? undefined : text.split(/\s+/).filter(Boolean);
}

function buildDockerfile(ctx: YamlContext, file: string, node: Node | undefined): ComposeService['build'] {
  if (node === undefined) return undefined;
  const short = locatedString(ctx, node);
  const context = short?.value ?? locatedString(ctx, get(ctx, node, 'context'))?.value ?? '.';
  const dockerfile = short ? undefined : locatedString(ctx, get(ctx, node, 'dockerfile'))?.value;
  // A remote context (git URL) or an inline Dockerfile has no file of ours to read.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@') || (!short && get(ctx, node, 'dockerfile_inline'))) return undefined;
  const dir = posix.dirname(file);
  const base = posix.isAbsolute(context) ? context : posix.join(dir, context);
  const path = dockerfile !== undefined && dockerfile.startsWith('/') ? dockerfile : posix.join(base, dockerfile ?? 'Dockerfile');
  const target = short ? undefined : locatedString(ctx, get(ctx, node, 'target'))?.value;
  return {dockerfile: posix.normalize(path), context: posix.normalize(base), line: lineOf(ctx, node), ...(target ? {target: target.toLowerCase()} : {})};
}

function volumeMounts(ctx: YamlContext, node: Node | undefined): MountFact[] {
  const mounts: MountFact[] = [];
  for (const item of items(ctx, node)) {
    const line = lineOf(ctx, item);
    const short = locatedString(ctx, item);
    if (short) {
      const mount = shortVolume(short.value, line);
      if (mount) mounts.push({...mount, key: 'volumes', short: true});
      continue;
    }
    const target = locatedString(ctx, get(ctx, item, 'target'))?.value;
    if (!target?.startsWith('/')) continue;
    const type = String(scalar(ctx, get(ctx, item, 'type')) ?? 'volume');
    const kind = type === 'bind' || type === 'tmpfs' || type === 'volume' ? type : 'other';
    const source = kind === 'bind' ? locatedString(ctx, get(ctx, item, 'source'))?.value : undefined;
    mounts.push({target: normalisePath(target), kind, readOnly: locatedBool(ctx, get(ctx, item, 'read_only'))?.value === true, line, key: 'volumes', ...(source === undefined ? {} : {source})});
  }
  return mounts;
}

/** `target`, `source:target` or `source:target:mode`; a Windows drive letter is part of the source. */
export function shortVolume(spec: string, line: number): MountFact | undefined {
  let parts = spec.split(':');
  if (parts.length > 1 && /^[a-zA-Z]$/.test(parts[0]!) && /^[\\/]/.test(parts[1]!)) parts = [`${parts[0]}:${parts[1]}`, ...parts.slice(2)];
  const [first, second, mode] = parts;
  const source = parts.length === 1 ? undefined : first;
  const target = parts.length === 1 ? first : second;
  if (!target?.startsWith('/')) return undefined;
  const bind = source !== undefined && /^[./~\\]|^[a-zA-Z]:/.test(source);
  const readOnly = (mode ?? '').split(',').includes('ro');
  return {target: normalisePath(target), kind: bind ? 'bind' : 'volume', readOnly, line, ...(bind ? {source} : {})};
}

function tmpfsMounts(ctx: YamlContext, node: Node | undefined): MountFact[] {
  return stringList(ctx, node)
    .map(entry => ({...entry, value: entry.value.split(':')[0]!}))
    .filter(entry => entry.value.startsWith('/'))
    .map(entry => ({target: normalisePath(entry.value), kind: 'tmpfs' as const, readOnly: false, line: entry.line, key: 'tmpfs' as const}));
}

