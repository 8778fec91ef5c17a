import {DockerfileParser} from 'dockerfile-ast';
import {isScalar, LineCounter, parseAllDocuments, parseDocument, type Node, type Scalar} from 'yaml';
import type {AuditError} from '../../model/finding.js';
import {parseCompose} from '../../parse/compose.js';
import {podSpecPath, parseKubernetes} from '../../parse/kubernetes.js';
import {asMap, get, items, scalar, type YamlContext} from '../../parse/yaml-nodes.js';

/*
 * Where the image references of a file are written, as text ranges that can be replaced
 * in place. A reference that cannot be edited safely carries the reason instead of a range;
 * `scratch`, stage names and the tags of images a compose service builds are not listed.
 */

/** One written image reference. */
export interface Site {
  /** The reference as written (YAML: the scalar's value). */
  ref: string;
  /** 1-based line. */
  line: number;
  /** The characters to replace, and the quote the scalar is written with. */
  range?: {start: number; end: number; quote: '' | '"' | "'"};
  /** Why it is left alone (and reported). */
  problem?: string;
}

export type Located = {ok: true; sites: Site[]} | {ok: false; error: AuditError};

/** dockerfile-ast positions count `\r\n`, `\n` and a lone `\r` as line breaks. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) starts.push(i + 1);
  }
  return starts;
}

export function dockerfileSites(file: string, text: string): Located {
  const parsed = DockerfileParser.parse(text);
  const starts = lineStarts(text);
  const offset = (p: {line: number; character: number}) => Math.min((starts[p.line] ?? text.length) + p.character, text.length);
  const stages = new Set<string>();
  const sites: Site[] = [];
  for (const from of parsed.getFROMs()) {
    const image = from.getImage();
    const range = from.getImageRange();
    const stage = from.getBuildStage()?.toLowerCase();
    if (image !== null && range !== null) {
      const lower = image.toLowerCase();
      const line = range.start.line + 1;
      if (lower !== 'scratch' && !stages.has(lower)) {
        const start = offset(range.start);
        const end = offset(range.end);
        if (image.includes('$')) {
          sites.push({ref: image, line, problem: `set by a build argument that harden cannot resolve to one image; give the ARG a default pinned by digest (name:tag@sha256:...) or pass a pinned value from CI`});
        } else if (text.slice(start, end) !== image) {
          sites.push({ref: image, line, problem: 'written across lines; pin it by hand'});
        } else {
          sites.push({ref: image, line, range: {start, end, quote: ''}});
        }
      }
    }
    if (stage) stages.add(stage);
  }
  return {ok: true, sites};
}

/** A scalar's source text must be its value (with its quotes), or it is not edited. */
function scalarSite(ctx: YamlContext, text: string, node: Scalar): Site {
  const ref = String(node.value);
  const line = ctx.lines.linePos(node.range![0]).line;
  if (ref.includes('$')) return {ref, line, problem: 'depends on a variable harden cannot resolve; make sure it always holds a reference pinned by digest (name:tag@sha256:...)'};
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') return {ref, line, problem: 'written as a block scalar; pin it by hand'};
  const quote = node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : '';
  const [start, end] = node.range!;
  if (text.slice(start, end) !== `${quote}${ref}${quote}`) return {ref, line, problem: 'written with YAML escapes, a tag or an anchor; pin it by hand'};
  return {ref, line, range: {start, end, quote}};
}

function imageScalar(ctx: YamlContext, node: unknown): Scalar | undefined {
  if (!isScalar(node) || node.range === undefined || node.range === null) return undefined;
  const value = scalar(ctx, node);
  return value === undefined || value === null ? undefined : node;
}

export function composeSites(file: string, text: string): Located {
  const parsed = parseCompose(file, text);
  if (parsed.errors.length > 0) return {ok: false, error: parsed.errors[0]!};
  const lines = new LineCounter();
  // parseCompose just read the text without errors; yaml's own duplicate-key check is quadratic in a map's keys.
  const doc = parseDocument(text, {merge: true, lineCounter: lines, uniqueKeys: false});
  const ctx: YamlContext = {doc, lines};
  const services = asMap(ctx, get(ctx, doc.contents, 'services'));
  if (!services) return {ok: true, sites: []};
  const built = new Map<Scalar, string>();
  const pulled: Array<{name: string; node: Scalar}> = [];
  for (const pair of services.items) {
    const name = String(scalar(ctx, pair.key) ?? '');
    const body = asMap(ctx, pair.value);
    const node = imageScalar(ctx, get(ctx, body, 'image'));
    if (!body || !node) continue;
    // With `build:`, `image:` names what the build is tagged as; a tag cannot carry a digest.
    if (get(ctx, body, 'build') !== undefined) built.set(node, name);
    else pulled.push({name, node});
  }
  const seen = new Set<Scalar>();
  const sites: Site[] = [];
  for (const {node} of pulled) {
    if (seen.has(node)) continue;
    seen.add(node);
    const builder = built.get(node);
    const site = scalarSite(ctx, text, node);
    sites.push(builder === undefined ? site : {ref: site.ref, line: site.line, problem: `the same YAML node is the tag service "${builder}" builds; pin it by hand`});
  }
  return {ok: true, sites};
}

export function kubernetesSites(file: string, text: string): Located {
  const parsed = parseKubernetes(file, text);
  if (parsed.errors.length > 0) return {ok: false, error: parsed.errors[0]!};
  const lines = new LineCounter();
  // parseKubernetes just read the text without errors; yaml's own duplicate-key check is quadratic in a map's keys.
  const docs = parseAllDocuments(text, {merge: true, lineCounter: lines, uniqueKeys: false});
  const sites: Site[] = [];
  const seen = new Set<Scalar>();
  for (const doc of Array.isArray(docs) ? docs : []) {
    const ctx: YamlContext = {doc, lines};
    const root = asMap(ctx, doc.contents);
    if (!root) continue;
    const objects: Node[] = scalar(ctx, get(ctx, root, 'kind')) === 'List' ? items(ctx, get(ctx, root, 'items')) : [root];
    for (const object of objects) {
      const kind = scalar(ctx, get(ctx, object, 'kind'));
      const path = typeof kind === 'string' ? podSpecPath[kind] : undefined;
      if (!path || !scalar(ctx, get(ctx, object, 'apiVersion'))) continue;
      let spec: Node | undefined = object;
      for (const key of path) spec = get(ctx, spec, key);
      for (const key of ['initContainers', 'containers']) {
        for (const container of items(ctx, get(ctx, spec, key))) {
          const node = imageScalar(ctx, get(ctx, container, 'image'));
          if (!node || seen.has(node)) continue;
          seen.add(node);
          sites.push(scalarSite(ctx, text, node));
        }
      }
    }
  }
  return {ok: true, sites};
}
