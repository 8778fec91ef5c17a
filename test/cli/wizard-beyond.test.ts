import {execFile} from 'node:child_process';
import {mkdir, mkdtemp, readdir, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import {parseAllDocuments} from 'yaml';
import {checkHost, planExtras} from '../../source/commands/wizard-beyond.js';
import {realServices} from '../../source/commands/wizard-services.js';
import {copyFixture, hashTree} from '../support/tree.js';

/*
 * The wizard's steps 9 and 10 on real files: what they plan is what `harden fix --falco
 * --signing` and `--daemon-json` make, and what they write goes through the same writer
 * and undo.
 */

const execFileAsync = promisify(execFile);
const bin = resolve('bin/harden.js');
const web = 'compose-service:compose.yaml#web';
const off = {pin: false, falco: false, signing: 'none', runConfigs: false} as const;

describe('step 9: the optional outputs', () => {
  it('makes the same Falco rules and signing files as harden fix, for the chosen targets only, and writes nothing', async () => {
    const dir = await copyFixture('templates/demo');
    const before = await hashTree(dir);
    const made = await planExtras(dir, [web], {...off, falco: true, signing: 'github'}, undefined);
    expect(await hashTree(dir)).toEqual(before);
    const files = made.plan.files.map(f => f.file);
    expect(files).toContain('falco/harden-drift-rules.yaml');
    expect(files.some(f => f.includes('github') || f.startsWith('.github/'))).toBe(true);
    expect(made.plan.files.every(f => f.created)).toBe(true);
    const falco = made.plan.files.find(f => f.file === 'falco/harden-drift-rules.yaml')!.text;
    expect(parseAllDocuments(falco).every(d => d.errors.length === 0)).toBe(true);
    // Only web was chosen: the pod's container gets no rule.
    expect(falco).toContain('web');
    expect(falco).not.toContain('harden-demo/web');

  });

  it('reads the files as they are after the fix: the rules allow the mounts it wrote, as harden fix --falco makes them', async () => {
    const dir = await copyFixture('templates/demo');
    await execFileAsync('node', [bin, 'fix', '--no-run', '--yes'], {cwd: dir});
    const made = await planExtras(dir, [web], {...off, falco: true}, undefined);
    const falco = made.plan.files.find(f => f.file === 'falco/harden-drift-rules.yaml')!.text;
    expect(falco).toContain('"/app/logs"');
    expect(falco).toContain('"/tmp"');
    // The same file as the command's for the same targets (both services of compose.yaml).
    const both = await planExtras(dir, [web, 'compose-service:compose.yaml#cache'], {...off, falco: true}, undefined);
    await execFileAsync('node', [bin, 'fix', '--no-run', '--yes', '--falco', 'compose.yaml'], {cwd: dir});
    expect(await readFile(join(dir, 'falco/harden-drift-rules.yaml'), 'utf8')).toBe(both.plan.files[0]!.text);
  });

  it('says why run configs cannot be made without an engine, and that nothing changed when nothing would', async () => {
    const dir = await copyFixture('templates/demo');
    const made = await planExtras(dir, [web], {...off, runConfigs: true}, undefined);
    expect(made.plan.files).toEqual([]);
    expect(made.notes).toEqual(['run configs come from running containers, and no container engine answered', 'nothing to write: every chosen output is already as it would be made']);
  });
});

describe('step 10: the host', () => {
  const scratch = () => mkdtemp(join(tmpdir(), 'harden-host-'));

  it('offers the daemon.json change as a diff of the real file, and the writer and undo handle it outside the project', async () => {
    const etc = await scratch();
    const project = await copyFixture('templates/demo');
    const file = join(etc, 'daemon.json');
    const original = '{\r\n  "log-driver": "journald"\r\n}\r\n';
    await writeFile(file, original);
    const check = await checkHost(project, undefined, file);
    expect(check.daemonFile).toBe(file);
    expect(check.daemonBefore).toBe(original);
    expect(check.daemonPatch?.created).toBe(false);
    expect(JSON.parse(check.daemonPatch!.text)).toEqual({'log-driver': 'journald', 'no-new-privileges': true, 'live-restore': true});
    expect(check.daemonPatch!.text).toContain('\r\n');

    const services = realServices({daemonConfig: file});
    const result = await services.apply({tool: {name: 'harden-wizard', version: 't'}, cwd: project, targets: [], files: [check.daemonPatch!], errors: []});
    expect(result.written).toHaveLength(1);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({'no-new-privileges': true, 'live-restore': true});
    expect((await checkHost(project, undefined, file)).daemonPatch).toBeUndefined();
    await execFileAsync('node', [bin, 'undo'], {cwd: project});
    expect(await readFile(file, 'utf8')).toBe(original);
  });

  it('offers templates/host as new files under harden-host/, never over a file already there', async () => {
    const project = await copyFixture('templates/demo');
    const names = (await readdir('templates/host')).sort();
    const severities = (await checkHost(project, undefined, join(project, 'no-daemon.json'))).findings.map(f => ['info', 'low', 'medium', 'high'].indexOf(f.severity));
    expect(severities).toEqual([...severities].sort((a, b) => b - a));
    const first = await checkHost(project, undefined, join(project, 'no-daemon.json'));
    expect(first.templates?.map(t => t.file)).toEqual(names.map(n => `harden-host/${n}`));
    for (const patch of first.templates!) expect(patch.text).toBe(await readFile(join('templates/host', patch.file.slice('harden-host/'.length)), 'utf8'));
    await mkdir(join(project, 'harden-host'));
    await writeFile(join(project, 'harden-host/README.md'), 'mine\n');
    const second = await checkHost(project, undefined, join(project, 'no-daemon.json'));
    expect(second.templates?.map(t => t.file)).not.toContain('harden-host/README.md');
    const result = await realServices().apply({tool: {name: 'harden-wizard', version: 't'}, cwd: project, targets: [], files: [...second.templates!], errors: []});
    expect(result.written).toHaveLength(names.length - 1);
    expect(await readFile(join(project, 'harden-host/README.md'), 'utf8')).toBe('mine\n');
    expect((await checkHost(project, undefined, join(project, 'no-daemon.json'))).templates).toBeUndefined();
  });

  it('a missing daemon.json is offered as a new file; a malformed one is a located error with no offer', async () => {
    const etc = await scratch();
    const missing = await checkHost(etc, undefined, join(etc, 'daemon.json'));
    expect(missing.daemonPatch).toMatchObject({created: true});
    expect(missing.daemonBefore).toBeUndefined();
    const broken = join(etc, 'broken.json');
    await writeFile(broken, '{\n  "debug": true,\n  "live-restore": \n}\n');
    const check = await checkHost(etc, undefined, broken);
    expect(check.daemonPatch).toBeUndefined();
    expect(check.errors).toEqual([expect.objectContaining({file: broken, line: expect.any(Number)})]);
    expect(check.errors[0]!.line).toBeGreaterThan(0);
  });

  it('a file that is not a daemon.json at all (empty, BOM, huge) never crashes the step', async () => {
    const etc = await scratch();
    const empty = join(etc, 'empty.json');
    await writeFile(empty, '');
    const bom = join(etc, 'bom.json');
    await writeFile(bom, '\uFEFF{"debug": true}\n');
    const huge = join(etc, 'huge.json');
    await writeFile(huge, '{"x": "' + 'a'.repeat(2 * 1024 * 1024) + '"}');
    for (const file of [empty, bom, huge]) {
      const check = await checkHost(etc, undefined, file);
      expect(check.daemonPatch === undefined || check.errors.length === 0, file).toBe(true);
    }
    const withBom = await checkHost(etc, undefined, bom);
    expect(withBom.daemonPatch?.bom).toBe(true);
    expect(JSON.parse(withBom.daemonPatch!.text)).toMatchObject({debug: true, 'no-new-privileges': true});
    expect((await checkHost(etc, undefined, huge)).errors.length).toBeGreaterThan(0);
  });
});
