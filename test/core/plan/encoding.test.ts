import {describe, expect, it} from 'vitest';
import {analyzeFiles, type LoadedFile} from '../../../source/core/audit.js';
import type {FileType} from '../../../source/core/discover/classify.js';
import {pinReferences} from '../../../source/core/patch/pin/index.js';
import {buildPlan} from '../../../source/core/plan/build.js';
import {decodeText} from '../../../source/core/parse/text.js';
import {encodeUtf8} from '../../../source/core/parse/utf8.js';

/*
 * Issue 13 item 9: files whose bytes are not all UTF-8, and files whose line breaks are lone
 * CRs, through the same audit and planner `harden fix` uses. Every case is real bytes; the
 * check is on the bytes the writer would write (BOM + encodeUtf8(text)).
 */

const options = {writable: [], capDrop: false};
const bomBytes = [0xef, 0xbb, 0xbf];

/** A file's lines with `{}` where the odd bytes go. */
const sources: Record<string, {file: string; type: FileType; lines: string[]}> = {
  dockerfile: {
    file: 'Dockerfile',
    type: 'dockerfile',
    lines: ['# build stage {}', 'FROM node:20 AS build', 'LABEL maintainer="Ren{}"', 'WORKDIR /app', 'COPY . .', 'RUN npm ci && npm run build', 'FROM node:20-slim', 'COPY --from=build /app/dist /app', 'CMD ["node", "/app/index.js"]'],
  },
  compose: {
    file: 'compose.yaml',
    type: 'compose',
    lines: ['services:', '  web:', '    # caf{}', '    image: nginx:1.27', '    labels:', '      owner: "Ren{}"'],
  },
  kubernetes: {
    file: 'deploy.yaml',
    type: 'yaml',
    lines: ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  annotations:', '    owner: "Ren{}"', 'spec:', '  template:', '    spec:', '      # caf{}', '      containers:', '      - name: web', '        image: nginx:1.27'],
  },
};

/** The odd bytes, each a case. */
const oddities: Record<string, number[]> = {
  'a Latin-1 é': [0xe9],
  'a truncated sequence (E2 82)': [0xe2, 0x82],
  'an overlong "/" (C0 AF)': [0xc0, 0xaf],
  'an encoded surrogate (ED A0 80)': [0xed, 0xa0, 0x80],
  'valid UTF-8 é (the fast path)': [0xc3, 0xa9],
};

function bytesOf(lines: string[], odd: number[], eol: string, options: {bom?: boolean; tail?: number[]} = {}): Uint8Array {
  const out: number[] = options.bom ? [...bomBytes] : [];
  for (const line of lines) {
    const [head, ...rest] = line.split('{}');
    out.push(...new TextEncoder().encode(head));
    for (const part of rest) out.push(...odd, ...new TextEncoder().encode(part));
    out.push(...new TextEncoder().encode(eol));
  }
  out.push(...(options.tail ?? []));
  return Uint8Array.from(out);
}

function load(file: string, type: FileType, bytes: Uint8Array): LoadedFile {
  const decoded = decodeText(bytes);
  if (!decoded.ok) throw new Error(decoded.message);
  return {file, type, text: decoded.text, bom: decoded.bom, sha256: 'x'};
}

function fix(loaded: LoadedFile) {
  const analysis = analyzeFiles([loaded], {version: 'test'});
  const plan = buildPlan({analysis, files: [loaded], cwd: '/project', version: 'test'}, options);
  return {analysis, plan, patch: plan.files.find(f => f.file === loaded.file)};
}

/** The bytes the writer writes for a patch. */
function written(bom: boolean, text: string): Uint8Array {
  return Uint8Array.from([...(bom ? bomBytes : []), ...encodeUtf8(text)]);
}

/** Lines of bytes, split after each break (`\r\n`, `\n` or a lone `\r`), as latin1 strings: byte-exact. */
function byteLines(bytes: Uint8Array): string[] {
  return Buffer.from(bytes).toString('latin1').match(/[^\r\n]*(\r\n|\r|\n|$)/g)!.filter(l => l !== '');
}

function isSubsequence(needles: readonly string[], haystack: readonly string[]): boolean {
  let at = 0;
  for (const item of haystack) if (at < needles.length && item === needles[at]) at++;
  return at === needles.length;
}

/** The findings a plan set out to fix that a re-audit of its output still has. */
function unfixed(plan: ReturnType<typeof fix>['plan'], again: ReturnType<typeof fix>['analysis']): string[] {
  const fixed = new Set(plan.targets.flatMap(t => t.changes.map(c => c.rule)));
  expect(fixed.size).toBeGreaterThan(0);
  return again.report.findings.filter(f => fixed.has(f.rule)).map(f => `${f.line} ${f.rule}`);
}

describe('a fix keeps bytes that are not UTF-8 in the lines it does not touch', () => {
  const cases = Object.entries(sources).flatMap(([kind, source]) =>
    Object.entries(oddities).flatMap(([odd, bytes]) => [
      {name: `${kind}, ${odd}, LF`, source, bytes: bytesOf(source.lines, bytes, '\n')},
      {name: `${kind}, ${odd}, CRLF`, source, bytes: bytesOf(source.lines, bytes, '\r\n')},
      {name: `${kind}, ${odd}, BOM`, source, bytes: bytesOf(source.lines, bytes, '\n', {bom: true})},
      {name: `${kind}, ${odd}, at the very end without a line break`, source, bytes: bytesOf(source.lines, bytes, '\n', {tail: [0x23, 0x20, ...bytes]})},
    ]),
  );

  it.each(cases)('$name', ({source, bytes}) => {
    const loaded = load(source.file, source.type, bytes);
    const {analysis, plan, patch} = fix(loaded);
    expect(analysis.report.errors).toEqual([]);
    expect(patch, 'the fix changes the file').toBeDefined();
    const out = written(patch!.bom, patch!.text);

    // Every original line is still there, byte for byte and in order; the BOM too.
    const before = byteLines(bytes);
    const after = byteLines(out);
    expect(isSubsequence(before, after)).toBe(true);
    expect(out.subarray(0, 3).every((b, i) => b === bomBytes[i])).toBe(loaded.bom === true);
    // New lines end as the file's lines do.
    const eol = bytes.includes(0x0d) ? '\r\n' : '\n';
    for (const line of after) if (/[\r\n]$/.test(line)) expect(line.endsWith(eol) && !line.slice(0, -eol.length).includes('\r')).toBe(true);

    // Fixed, and a second fix changes nothing.
    const again = fix(load(source.file, source.type, out));
    expect(unfixed(plan, again.analysis)).toEqual([]);
    expect(again.plan.files).toEqual([]);
  });

  it('shows the odd bytes in finding messages as \\xNN', () => {
    const compose = sources['compose']!;
    const loaded = load(compose.file, compose.type, bytesOf(['services:', '  web:', '    image: caf{}/web:1.0'], [0xe9], '\n'));
    const {analysis} = fix(loaded);
    const messages = analysis.report.findings.map(f => f.message).join('\n');
    expect(messages).not.toMatch(/[\uD800-\uDFFF]/);
    expect(messages).toContain('caf\\xe9/web:1.0');
  });
});

describe('lone CR line breaks (classic Mac OS)', () => {
  it.each(['compose', 'kubernetes'])('%s: the same findings as the LF file; the fix keeps CR endings, re-audits clean and is idempotent', kind => {
    const source = sources[kind]!;
    const lf = load(source.file, source.type, bytesOf(source.lines, [0xe9], '\n'));
    const cr = load(source.file, source.type, bytesOf(source.lines, [0xe9], '\r'));
    const fromLf = fix(lf);
    const fromCr = fix(cr);
    expect(fromCr.analysis.report.errors).toEqual([]);
    const key = (f: {rule: string; line: number; target: string; message: string}) => `${f.line} ${f.rule} ${f.target} ${f.message}`;
    expect(fromCr.analysis.report.findings.map(key)).toEqual(fromLf.analysis.report.findings.map(key));
    expect(fromCr.analysis.report.findings.length).toBeGreaterThan(0);

    const out = written(false, fromCr.patch!.text);
    expect(out.includes(0x0a)).toBe(false);
    // The same text as the LF fix, with CR for every line break.
    expect(Buffer.from(out).toString('latin1')).toBe(Buffer.from(written(false, fromLf.patch!.text)).toString('latin1').replaceAll('\n', '\r'));

    const again = fix(load(source.file, source.type, out));
    expect(unfixed(fromCr.plan, again.analysis)).toEqual([]);
    expect(again.plan.files).toEqual([]);
  });

  it('kubernetes: a PVC manifest the fix creates takes the CR endings too', () => {
    const source = sources['kubernetes']!;
    const loaded = load(source.file, source.type, bytesOf(source.lines.map(l => l.replace('nginx:1.27', 'postgres:16')), [0xe9], '\r'));
    const {plan} = fix(loaded);
    const created = plan.files.filter(f => f.created);
    expect(created.length).toBeGreaterThan(0);
    for (const file of created) expect(file.text).not.toContain('\n');
  });

  it('mixed endings: each untouched line keeps its own, new lines take the most common', () => {
    const text = 'services:\r  web:\n    # one\r    image: nginx:1.27\r';
    const {patch} = fix({file: 'compose.yaml', type: 'compose', text, bom: false, sha256: 'x'});
    const lines = patch!.text.match(/[^\r\n]*(\r\n|\r|\n|$)/g)!.filter(l => l !== '');
    expect(lines.slice(0, 4)).toEqual(['services:\r', '  web:\n', '    # one\r', '    image: nginx:1.27\r']);
    expect(lines.slice(4).every(l => l.endsWith('\r'))).toBe(true);
  });

  it('Dockerfile: refused with a located error, since docker build does not break lines at a lone CR', () => {
    const source = sources['dockerfile']!;
    const loaded = load(source.file, source.type, bytesOf(source.lines, [0xe9], '\r'));
    const {analysis, plan} = fix(loaded);
    expect(analysis.report.errors).toEqual([{file: 'Dockerfile', line: 1, message: expect.stringMatching(/^a lone CR .* docker build breaks lines only at LF .*: save the file with LF line endings$/)}]);
    expect(plan.files).toEqual([]);
    // In a file of LF lines, the line of the first lone CR.
    const mixed = fix({file: 'Dockerfile', type: 'dockerfile', text: 'FROM node:20\nRUN true\rUSER root\n', bom: false});
    expect(mixed.analysis.report.errors.map(e => e.line)).toEqual([2]);
  });
});

describe('--pin-digests on such files', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const digests = new Map([['nginx:1.27', digest]]);

  it.each([
    ['compose with CR line breaks and a Latin-1 comment', 'compose' as const, 'services:\r  web:\r    # caf\uDCE9\r    image: nginx:1.27\r'],
    ['a manifest with CR line breaks', 'yaml' as const, 'apiVersion: v1\rkind: Pod\rmetadata:\r  name: web\rspec:\r  containers:\r  - name: web\r    image: nginx:1.27\r'],
    ['a Dockerfile with a truncated sequence in a comment', 'dockerfile' as const, '# \uDCE2\uDC82\nFROM nginx:1.27\n'],
  ])('%s: only the reference changes', (_name, type, text) => {
    const result = pinReferences('file', type, text, digests);
    expect(result).toMatchObject({ok: true, unresolved: []});
    expect(result.ok && result.text).toBe(text.replace('nginx:1.27', `nginx:1.27@${digest}`));
  });

  it('refuses a Dockerfile with lone CRs, located', () => {
    expect(pinReferences('Dockerfile', 'dockerfile', 'FROM nginx:1.27\rUSER app\r', digests)).toEqual({ok: false, error: {file: 'Dockerfile', line: 1, message: expect.stringContaining('a lone CR')}});
  });
});
