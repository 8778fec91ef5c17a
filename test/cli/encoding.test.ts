import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {hashTree} from '../support/tree.js';
import {harden} from '../support/cli.js';

/*
 * Issue 13 item 9 through the built CLI (`node scripts/build.js` first): files with bytes
 * that are not UTF-8, and files with lone CR line breaks, written as real bytes to a
 * scratch project; `harden fix --yes` must keep every line it does not touch byte for byte,
 * a second fix must change nothing, and `harden undo` must give every byte back.
 */

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, {recursive: true, force: true});
});

/** Lines with `{}` where the given bytes go, joined with `eol`, as bytes. */
function bytesOf(lines: readonly string[], odd: readonly number[], eol: string, bom = false): Buffer {
  const parts: Buffer[] = bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
  for (const line of lines) parts.push(Buffer.concat(line.split('{}').flatMap((piece, i) => (i === 0 ? [Buffer.from(piece)] : [Buffer.from(odd), Buffer.from(piece)]))), Buffer.from(eol));
  return Buffer.concat(parts);
}

const dockerfile = ['# build stage, caf{}', 'FROM node:20 AS build', 'LABEL maintainer="Ren{}"', 'WORKDIR /app', 'COPY . .', 'RUN npm ci && npm run build', 'FROM node:20-slim', 'COPY --from=build /app/dist /app', 'CMD ["node", "/app/index.js"]'];
const compose = ['services:', '  web:', '    # caf{}', '    image: nginx:1.27', '    labels:', '      owner: "Ren{}"'];
const manifest = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  annotations:', '    owner: "Ren{}"', 'spec:', '  template:', '    spec:', '      # caf{}', '      containers:', '      - name: web', '        image: nginx:1.27'];

const latin1 = [0xe9];
const truncated = [0xe2, 0x82];
const overlong = [0xc0, 0xaf];
const surrogate = [0xed, 0xa0, 0x80];

interface Project {
  name: string;
  files: Record<string, Buffer>;
  /** The line ending every line of the output must have. */
  eol: '\n' | '\r\n' | '\r';
}

const projects: Project[] = [
  {name: 'Latin-1, LF', eol: '\n', files: {Dockerfile: bytesOf(dockerfile, latin1, '\n'), 'compose.yaml': bytesOf(compose, latin1, '\n'), 'k8s/deploy.yaml': bytesOf(manifest, latin1, '\n')}},
  {
    name: 'truncated, overlong and encoded-surrogate sequences, and a byte at the very end',
    eol: '\n',
    files: {
      Dockerfile: bytesOf(dockerfile, truncated, '\n'),
      'compose.yaml': Buffer.concat([bytesOf(compose, overlong, '\n'), Buffer.from('# '), Buffer.from(latin1)]),
      'k8s/deploy.yaml': bytesOf(manifest, surrogate, '\n'),
    },
  },
  {name: 'BOM and Latin-1', eol: '\n', files: {Dockerfile: bytesOf(dockerfile, latin1, '\n', true), 'compose.yaml': bytesOf(compose, latin1, '\n', true), 'k8s/deploy.yaml': bytesOf(manifest, latin1, '\n', true)}},
  {name: 'CRLF and Latin-1', eol: '\r\n', files: {Dockerfile: bytesOf(dockerfile, latin1, '\r\n'), 'compose.yaml': bytesOf(compose, latin1, '\r\n'), 'k8s/deploy.yaml': bytesOf(manifest, latin1, '\r\n')}},
  {name: 'CR-only compose file and manifest, Latin-1', eol: '\r', files: {'compose.yaml': bytesOf(compose, latin1, '\r'), 'k8s/deploy.yaml': bytesOf(manifest, latin1, '\r')}},
  {name: 'valid UTF-8 (the fast path)', eol: '\n', files: {Dockerfile: bytesOf(dockerfile, [0xc3, 0xa9], '\n'), 'compose.yaml': bytesOf(compose, [0xc3, 0xa9], '\n'), 'k8s/deploy.yaml': bytesOf(manifest, [0xc3, 0xa9], '\n')}},
];

async function scratch(files: Record<string, Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'harden-encoding-'));
  dirs.push(dir);
  for (const [file, bytes] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), {recursive: true});
    await writeFile(join(dir, file), bytes);
  }
  return dir;
}

/** Lines of bytes, each with its line break, as latin1 strings: byte-exact. */
function byteLines(bytes: Buffer): string[] {
  return bytes.toString('latin1').match(/[^\r\n]*(\r\n|\r|\n|$)/g)!.filter(l => l !== '');
}

function isSubsequence(needles: readonly string[], haystack: readonly string[]): boolean {
  let at = 0;
  for (const item of haystack) if (at < needles.length && item === needles[at]) at++;
  return at === needles.length;
}

/** Findings the fix sets out to fix (compose root-user needs --user). */
const fixedRules = (f: {rule: string; file: string}) =>
  ['read-only-rootfs', 'privilege-escalation', 'writable-path-unmounted'].includes(f.rule) || (f.rule === 'root-user' && f.file === 'Dockerfile');

describe('harden fix on files that are not all UTF-8, or end lines with a lone CR', () => {
  it.each(projects)('$name: untouched lines byte for byte, fixed, idempotent, undone exactly', async ({files, eol}) => {
    const dir = await scratch(files);
    const original = await hashTree(dir);

    const audit = await harden(['audit', '--format', 'json', '--fail-on', 'none'], dir);
    const findings = (JSON.parse(audit.stdout) as {findings: Array<{rule: string; file: string}>; errors: unknown[]});
    expect(findings.errors).toEqual([]);
    expect(findings.findings.filter(fixedRules).length).toBeGreaterThan(0);

    const first = await harden(['fix', '--yes'], dir);
    expect(first.code, first.stderr).toBe(0);
    for (const [file, before] of Object.entries(files)) {
      expect(first.stdout).toContain(`wrote ${file}`);
      const after = await readFile(join(dir, file));
      expect(isSubsequence(byteLines(before), byteLines(after)), file).toBe(true);
      for (const line of byteLines(after).slice(0, -1)) expect(/\r\n$|\r$|\n$/.exec(line)?.[0], `${file}: ${JSON.stringify(line)}`).toBe(eol);
      expect(after.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(before.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])));
    }

    const reaudit = await harden(['audit', '--format', 'json', '--fail-on', 'none'], dir);
    const left = JSON.parse(reaudit.stdout) as {findings: Array<{rule: string; file: string}>; errors: unknown[]};
    expect(left.errors).toEqual([]);
    expect(left.findings.filter(fixedRules)).toEqual([]);

    const fixed = await hashTree(dir);
    const second = await harden(['fix', '--yes'], dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Nothing to change/);
    expect(await hashTree(dir)).toEqual(fixed);

    const undo = await harden(['undo'], dir);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await hashTree(dir)).toEqual(original);
  }, 60_000);

  it('shows the bytes as \\xNN in the diff, the text report and JSON messages, never as U+FFFD', async () => {
    const dir = await scratch({'compose.yaml': bytesOf(['services:', '  web:', '    # caf{}', '    image: caf{}/web:1.0'], latin1, '\n')});
    const preview = await harden(['fix'], dir);
    expect(preview.stdout).toContain('     # caf\\xe9');
    expect(preview.stdout).not.toContain('\uFFFD');
    const text = await harden(['audit', '--fail-on', 'none'], dir);
    expect(text.stdout).toContain('caf\\xe9/web:1.0');
    expect(text.stdout).not.toContain('\uFFFD');
    const json = await harden(['audit', '--format', 'json', '--fail-on', 'none'], dir);
    const report = JSON.parse(json.stdout) as {findings: Array<{message: string}>};
    expect(report.findings.map(f => f.message).join('\n')).toContain('caf\\xe9/web:1.0');
    expect(json.stdout).not.toContain('\uFFFD');
  });

  it('replays a saved plan to the same bytes as a direct fix', async () => {
    const files = projects[0]!.files;
    const direct = await scratch(files);
    expect((await harden(['fix', '--yes'], direct)).code).toBe(0);
    const replayed = await scratch(files);
    const planFile = join(replayed, '..', `${dirs.length}-plan.json`);
    dirs.push(planFile);
    expect((await harden(['fix', '--plan-out', planFile], replayed)).code).toBe(0);
    const replay = await harden(['fix', '--plan', planFile, '--yes'], replayed);
    expect(replay.code, replay.stderr).toBe(0);
    // The diff shown before writing has the untouched Latin-1 lines as context, not as changes.
    expect(replay.stdout).not.toMatch(/^[-+].*caf/m);
    for (const file of Object.keys(files)) expect(await readFile(join(replayed, file)), file).toEqual(await readFile(join(direct, file)));
  }, 30_000);

  it('leaves a Dockerfile with lone CRs untouched and says where and why', async () => {
    const bytes = bytesOf(dockerfile, latin1, '\r');
    const dir = await scratch({Dockerfile: bytes});
    const audit = await harden(['audit', '--fail-on', 'none'], dir);
    expect(audit.stdout).toMatch(/Dockerfile:1: a lone CR \(a classic Mac OS line break\) ends this line/);
    const fix = await harden(['fix', '--yes'], dir);
    expect(fix.stdout).toMatch(/error: Dockerfile:1: a lone CR .* \(left untouched\)/);
    expect(await readFile(join(dir, 'Dockerfile'))).toEqual(bytes);
  });
});
