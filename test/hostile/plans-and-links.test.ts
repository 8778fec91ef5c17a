/**
 * A saved plan and a project's symbolic links are untrusted: `fix --plan FILE` applies to the
 * current directory only, with every file checked against its checksum, and no write (fixed
 * files, generated files, reports) follows a link out of the project.
 */
import {mkdir, readFile, symlink, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {checkHost, planExtras} from '../../source/commands/wizard-beyond.js';
import {realServices} from '../../source/commands/wizard-services.js';
import {UserError} from '../../source/core/model/errors.js';
import {harden, isCleanRefusal, scratch, sha256, snapshot} from './support.js';

const compose = 'services:\n  web:\n    image: nginx:1.25\n';

let dirs: Awaited<ReturnType<typeof scratch>>;
beforeEach(async () => {
  dirs = await scratch();
  await writeFile(join(dirs.outside, 'compose.yaml'), compose);
  await writeFile(join(dirs.outside, 'victim.txt'), 'precious\n');
});
afterEach(() => dirs.cleanup());

/** A plan as an attacker would ship it: the harden header, and files of their choosing. */
function plantedPlan(files: unknown[], cwd = dirs.outside): string {
  return JSON.stringify({tool: {name: 'harden-wizard', version: '1'}, cwd, targets: [], files, errors: []});
}

describe('fix --plan FILE', () => {
  it('applies to the current directory, never to the cwd the plan names', async () => {
    await writeFile(join(dirs.project, 'compose.yaml'), compose);
    const made = await harden(['fix', '--plan-out', join(dirs.base, 'plan.json')], dirs.outside);
    expect(made.code, made.stderr).toBe(0);
    const before = await snapshot(dirs.outside);
    const replayed = await harden(['fix', '--plan', join(dirs.base, 'plan.json'), '--yes'], dirs.project);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stderr).toContain(`was made in ${dirs.outside}; it is applied here, to ${dirs.project}`);
    expect(await snapshot(dirs.outside)).toEqual(before);
    expect(await readFile(join(dirs.project, 'compose.yaml'), 'utf8')).toContain('read_only: true');
  });

  const refused: Array<[string, () => unknown[], RegExp]> = [
    ['a ../ path', () => [{file: '../outside/victim.txt', sha256: sha256('precious\n'), bom: false, text: 'pwned\n', created: false}], /file \.\.\/outside\/victim\.txt has an empty, "\." or "\.\." part/],
    ['an absolute path', () => [{file: join(dirs.outside, 'victim.txt'), sha256: sha256('precious\n'), bom: false, text: 'pwned\n', created: false}], /is an absolute path/],
    ['a change without a checksum', () => [{file: 'compose.yaml', bom: false, text: 'pwned\n', created: false}], /compose\.yaml has no checksum/],
    ['a malformed entry', () => [{file: 'compose.yaml'}], /a file entry is incomplete/],
    ['a target without its fields', () => [], /./],
  ];
  for (const [name, files, message] of refused) {
    it(`refuses ${name} before writing anything`, async () => {
      await writeFile(join(dirs.project, 'compose.yaml'), compose);
      const plan = name.startsWith('a target')
        ? JSON.stringify({tool: {name: 'harden-wizard', version: '1'}, cwd: dirs.project, targets: [null], files: [], errors: []})
        : plantedPlan(files());
      await writeFile(join(dirs.base, 'plan.json'), plan);
      const before = {project: await snapshot(dirs.project), outside: await snapshot(dirs.outside)};
      const result = await harden(['fix', '--plan', join(dirs.base, 'plan.json'), '--yes'], dirs.project);
      expect(isCleanRefusal(result), result.stderr).toBe(true);
      expect(result.stderr).toMatch(message);
      expect({project: await snapshot(dirs.project), outside: await snapshot(dirs.outside)}).toEqual(before);
    });
  }

  it('refuses a file whose content no longer matches the checksum', async () => {
    await writeFile(join(dirs.project, 'compose.yaml'), compose);
    await writeFile(join(dirs.base, 'plan.json'), plantedPlan([{file: 'compose.yaml', sha256: sha256('something else'), bom: false, text: 'pwned\n', created: false}], dirs.project));
    const result = await harden(['fix', '--plan', join(dirs.base, 'plan.json'), '--yes'], dirs.project);
    expect(isCleanRefusal(result), result.stderr).toBe(true);
    expect(result.stderr).toMatch(/compose\.yaml changed since it was read/);
    expect(await readFile(join(dirs.project, 'compose.yaml'), 'utf8')).toBe(compose);
  });

  it('refuses a path through a folder link that leaves the project, naming the link', async () => {
    await symlink(dirs.outside, join(dirs.project, 'deploy'));
    await writeFile(join(dirs.base, 'plan.json'), plantedPlan([{file: 'deploy/victim.txt', sha256: sha256('precious\n'), bom: false, text: 'pwned\n', created: false}], dirs.project));
    const result = await harden(['fix', '--plan', join(dirs.base, 'plan.json'), '--yes'], dirs.project);
    expect(isCleanRefusal(result), result.stderr).toBe(true);
    expect(result.stderr).toMatch(/^harden: deploy is a symbolic link to .*outside.*; harden writes only inside the project\n/);
    expect(await readFile(join(dirs.outside, 'victim.txt'), 'utf8')).toBe('precious\n');
  });
});

describe('links out of the project', () => {
  it('fix --yes compose.yaml, where compose.yaml links outside: one line naming the link, nothing written', async () => {
    await symlink(join(dirs.outside, 'compose.yaml'), join(dirs.project, 'compose.yaml'));
    const result = await harden(['fix', '--yes', 'compose.yaml'], dirs.project);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/error: compose\.yaml:0: not written: compose\.yaml is a symbolic link to .*outside.*harden writes only inside the project/);
    expect(await readFile(join(dirs.outside, 'compose.yaml'), 'utf8')).toBe(compose);
  });

  it('other files are still fixed when one links outside', async () => {
    await symlink(join(dirs.outside, 'compose.yaml'), join(dirs.project, 'compose.yaml'));
    await mkdir(join(dirs.project, 'app'));
    await writeFile(join(dirs.project, 'app', 'compose.yaml'), compose);
    const result = await harden(['fix', '--yes', 'compose.yaml', 'app'], dirs.project);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('wrote app/compose.yaml');
    expect(await readFile(join(dirs.outside, 'compose.yaml'), 'utf8')).toBe(compose);
  });

  it('a link that stays inside is written through, stays a link, and undo restores the real file', async () => {
    await mkdir(join(dirs.project, 'deploy'));
    await writeFile(join(dirs.project, 'deploy', 'compose.yaml'), compose);
    await symlink('deploy/compose.yaml', join(dirs.project, 'compose.yaml'));
    const fixed = await harden(['fix', '--yes', 'compose.yaml'], dirs.project);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(await readFile(join(dirs.project, 'deploy', 'compose.yaml'), 'utf8')).toContain('read_only: true');
    expect((await snapshot(dirs.project))['compose.yaml']).toBe('link deploy/compose.yaml');
    const undone = await harden(['undo'], dirs.project);
    expect(undone, undone.stderr).toMatchObject({code: 0, stdout: 'restored deploy/compose.yaml\n'});
    expect(await readFile(join(dirs.project, 'deploy', 'compose.yaml'), 'utf8')).toBe(compose);
  });

  const generated: Array<[string, string[]]> = [
    ['falco', ['--falco']],
    ['.github', ['--signing', 'github']],
    ['signing', ['--signing', 'gitlab']],
  ];
  for (const [folder, flags] of generated) {
    it(`fix ${flags.join(' ')} where ${folder}/ links outside: refused by name, the rest written`, async () => {
      await writeFile(join(dirs.project, 'compose.yaml'), compose.replace('nginx:1.25', 'nginx:1.25\n    build: .'));
      await writeFile(join(dirs.project, 'Dockerfile'), 'FROM nginx:1.25\n');
      await symlink(dirs.outside, join(dirs.project, folder));
      const before = await snapshot(dirs.outside);
      const result = await harden(['fix', '--yes', ...flags], dirs.project);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toMatch(new RegExp(`not written: ${folder.replace('.', '\\.')} is a symbolic link to .*outside`));
      expect(await snapshot(dirs.outside)).toEqual(before);
    });
  }

  it('fix --plan-out and audit --output refuse a link inside the project that leaves it', async () => {
    await writeFile(join(dirs.project, 'compose.yaml'), compose);
    await symlink(join(dirs.outside, 'victim.txt'), join(dirs.project, 'plan.json'));
    await symlink(join(dirs.outside, 'victim.txt'), join(dirs.project, 'report.sarif'));
    const planned = await harden(['fix', '--plan-out', 'plan.json'], dirs.project);
    expect(isCleanRefusal(planned), planned.stderr).toBe(true);
    expect(planned.stderr).toMatch(/plan\.json is a symbolic link to .*outside/);
    const audited = await harden(['audit', '--format', 'sarif', '--output', 'report.sarif'], dirs.project);
    expect(isCleanRefusal(audited), audited.stderr).toBe(true);
    expect(await readFile(join(dirs.outside, 'victim.txt'), 'utf8')).toBe('precious\n');
  });

  it('audit --output outside the project does not write through a link planted there', async () => {
    await writeFile(join(dirs.project, 'compose.yaml'), compose);
    const trap = join(dirs.base, 'trap.sarif');
    await symlink(join(dirs.outside, 'victim.txt'), trap);
    const audited = await harden(['audit', '--format', 'sarif', '--output', trap], dirs.project);
    expect(isCleanRefusal(audited), audited.stderr).toBe(true);
    expect(audited.stderr).toMatch(/trap\.sarif is a symbolic link; harden does not write through it/);
    expect(await readFile(join(dirs.outside, 'victim.txt'), 'utf8')).toBe('precious\n');
  });

  it('the wizard refuses harden-report.md and harden-host/ that link outside', async () => {
    await writeFile(join(dirs.project, 'compose.yaml'), compose);
    await symlink(join(dirs.outside, 'victim.txt'), join(dirs.project, 'harden-report.md'));
    await symlink(dirs.outside, join(dirs.project, 'harden-host'));
    const services = realServices();
    const plan = {tool: {name: 'harden-wizard', version: 't'}, cwd: dirs.project, targets: [], files: [], errors: []};
    const scan = {dir: dirs.project, analysis: {report: {tool: plan.tool, targets: [], findings: [], errors: []}, subjects: []}, files: []};
    await expect(services.saveReport(scan as never, plan, [])).rejects.toThrow(UserError);
    const written = services.apply({...plan, files: [{file: 'harden-host/README.md', bom: false, text: 'x', created: true}]});
    await expect(written).rejects.toThrow(/harden-host is a symbolic link to .*outside/);
    expect(await snapshot(dirs.outside)).toEqual({'compose.yaml': expect.any(String), 'victim.txt': `644 ${sha256('precious\n')}`});
  });

  it('the wizard\'s step 9 and 10 name a folder that links out, and still offer the rest', async () => {
    await writeFile(join(dirs.project, 'compose.yaml'), compose.replace('nginx:1.25', 'nginx:1.25\n    build: .'));
    await writeFile(join(dirs.project, 'Dockerfile'), 'FROM nginx:1.25\n');
    await symlink(dirs.outside, join(dirs.project, 'falco'));
    await symlink(dirs.outside, join(dirs.project, 'harden-host'));
    const extras = await planExtras(dirs.project, ['compose-service:compose.yaml#web'], {pin: false, falco: true, signing: 'github', runConfigs: false}, undefined);
    expect(extras.plan.files.map(f => f.file)).not.toContain('falco/harden-drift-rules.yaml');
    expect(extras.plan.files.some(f => f.file.startsWith('.github/'))).toBe(true);
    expect(extras.notes.join('\n')).toMatch(/falco\/harden-drift-rules\.yaml: not written: falco is a symbolic link to .*outside/);
    const host = await checkHost(dirs.project, undefined, join(dirs.base, 'daemon.json'));
    expect(host.templates).toBeUndefined();
    expect(host.notes.join('\n')).toMatch(/harden-host\/\S+: not written: harden-host is a symbolic link/);
  });
});
