import {Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node} from 'yaml';
import {baseOf, noNewPrivilegesWhy, noteLines, portSpec, preamble, readOnlyWhy, restartSpec, tmpfsSpec, writableWhy} from './format.js';
import type {RunConfig} from './model.js';
import {composeLiteral, printable, shQuote, yamlEscapes} from './quote.js';

/*
 * A compose file with the one hardened service. It is a new file, so the yaml library
 * renders it whole (STYLE.md forbids that only for the user's own files). Every value from
 * the container is a double-quoted scalar with `$` doubled against compose's
 * interpolation: the yaml library escapes what YAML needs, and nothing is left to YAML
 * 1.1's guesses (`on`, `0777`, `8080:80`) in docker compose's Go parser.
 */

/** A value from the container: double-quoted, `$` doubled. */
function quoted(value: string): Scalar {
  const scalar = new Scalar(composeLiteral(value));
  scalar.type = Scalar.QUOTE_DOUBLE;
  return scalar;
}

function seq(items: Node[]): YAMLSeq {
  const list = new YAMLSeq();
  list.items.push(...items);
  return list;
}

/** A map of fixed keys; the yaml library quotes a key only when YAML needs it. */
function map(entries: Array<[string, Node | boolean | undefined]>): YAMLMap {
  const result = new YAMLMap();
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    result.items.push(new Pair(new Scalar(key), typeof value === 'boolean' ? new Scalar(value) : value));
  }
  return result;
}

/** The pair whose key is `key`, to hang a comment on. */
function commentOn(body: YAMLMap, key: string, text: string): void {
  const pair = body.items.find(p => (p.key as Scalar).value === key);
  if (pair) (pair.key as Scalar).commentBefore = ` ${text}`;
}

/** The service's key: compose's service name when compose created the container, else the container name, as `[A-Za-z0-9._-]`. */
export function composeServiceName(config: RunConfig): string {
  const base = config.compose?.service ?? config.name;
  return base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'app';
}

/** A network name compose can declare as external. */
const networkName = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function networking(config: RunConfig): {mode?: Node; networks?: Node; top?: YAMLMap} {
  const network = config.network;
  if (network === undefined) return {};
  if (network === 'host' || network === 'none' || network.startsWith('container:') || !networkName.test(network)) return {mode: quoted(network)};
  return {networks: seq([quoted(network)]), top: map([[network, map([['external', true]])]])};
}

/** File name of the compose file: `<name>.compose.yaml`. */
export function composeFile(config: RunConfig): string {
  return `${baseOf(config)}.compose.yaml`;
}

/**
 * A compose file with one service that runs the container hardened: `read_only: true`,
 * `security_opt: [no-new-privileges:true]`, a `tmpfs:` entry or a named volume for each
 * directory it writes, and what the user started it with.
 */
export function composeService(config: RunConfig): string {
  const tmpfs: Node[] = [];
  const volumes: Node[] = [];
  const topVolumes = new YAMLMap();
  for (const mount of config.writable) {
    const node = mount.mount === 'tmpfs'
      ? quoted(tmpfsSpec(mount))
      : map([['type', new Scalar('volume')], ['source', quoted(mount.name)], ['target', quoted(mount.path)]]);
    node.commentBefore = ` ${writableWhy(mount)}`;
    (mount.mount === 'tmpfs' ? tmpfs : volumes).push(node);
    if (mount.mount === 'volume') topVolumes.items.push(new Pair(new Scalar(mount.name), map([['name', quoted(mount.name)]])));
  }
  for (const mount of config.mounts) {
    if (mount.kind === 'tmpfs') {
      tmpfs.push(quoted(tmpfsSpec(mount)));
      continue;
    }
    const source = mount.kind === 'bind' ? mount.source : mount.name;
    volumes.push(map([['type', new Scalar(mount.kind)], ['source', quoted(source)], ['target', quoted(mount.target)], ['read_only', mount.readOnly ? true : undefined]]));
    // It holds the original container's data: use it, never create an empty one.
    if (mount.kind === 'volume') topVolumes.items.push(new Pair(new Scalar(mount.name), map([['external', true]])));
  }
  const net = networking(config);
  const list = (values: readonly string[]) => (values.length > 0 ? seq(values.map(quoted)) : undefined);
  const body = map([
    ['image', quoted(config.image)],
    ['container_name', quoted(config.name)],
    ['user', config.user !== undefined ? quoted(config.user) : undefined],
    ['working_dir', config.workingDir !== undefined ? quoted(config.workingDir) : undefined],
    ['entrypoint', config.entrypoint !== undefined ? seq(config.entrypoint.map(quoted)) : undefined],
    ['command', config.command !== undefined ? seq(config.command.map(quoted)) : undefined],
    ['environment', list(config.env.map(e => `${e.name}=${e.value}`))],
    ['ports', list(config.ports.map(portSpec))],
    ['network_mode', net.mode],
    ['networks', net.networks],
    ['restart', config.restart !== undefined ? quoted(restartSpec(config.restart)) : undefined],
    ['read_only', true],
    ['security_opt', seq([new Scalar('no-new-privileges:true'), ...config.securityOpt.map(quoted)])],
    ['cap_add', list(config.capAdd)],
    ['cap_drop', list(config.capDrop)],
    ['tmpfs', tmpfs.length > 0 ? seq(tmpfs) : undefined],
    ['volumes', volumes.length > 0 ? seq(volumes) : undefined],
    ['labels', list(config.labels.map(l => `${l.name}=${l.value}`))],
  ]);
  commentOn(body, 'read_only', readOnlyWhy);
  commentOn(body, 'security_opt', noNewPrivilegesWhy);

  const doc = new Document();
  doc.contents = map([
    ['services', map([[composeServiceName(config), body]])],
    ['volumes', topVolumes.items.length > 0 ? topVolumes : undefined],
    ['networks', net.top],
  ]);
  const name = shQuote(printable(config.name));
  const header = [
    ...preamble(config),
    `Stop and remove the old container first (docker stop ${name} && docker rm ${name}),`,
    `then run: docker compose -f ${composeFile(config)} up -d`,
    ...(noteLines(config).length > 0 ? ['', ...noteLines(config)] : []),
  ];
  doc.commentBefore = header.map(line => (line === '' ? '' : ` ${line}`)).join('\n');
  // One line per value: JSON-style escapes (\n, \u0001), never folded.
  return yamlEscapes(doc.toString({lineWidth: 0, doubleQuotedAsJSON: true}));
}
