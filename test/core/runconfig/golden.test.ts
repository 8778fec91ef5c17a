import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseCompose} from '../../../source/core/parse/compose.js';
import {composeService, runConfigFiles, runConfigFromInspect, type RunConfig} from '../../../source/core/runconfig/index.js';
import {goldenCases, goldenRoot} from './cases.js';

/*
 * Golden files: test/fixtures/runconfig/<case>/<name>.{run.sh,compose.yaml,container},
 * compared byte for byte. UPDATE_GOLDEN=1 rewrites them; review the diff before committing.
 */

const update = process.env['UPDATE_GOLDEN'] === '1';
const outputs = /\.(run\.sh|compose\.yaml|container)$/;

function config(inspect: unknown, changes: Parameters<typeof runConfigFromInspect>[1], image?: unknown): RunConfig {
  const result = runConfigFromInspect(inspect, changes, image);
  if ('error' in result) throw new Error(result.error);
  return result;
}

describe('runConfigFiles golden files', () => {
  for (const c of goldenCases()) {
    it(c.name, () => {
      const dir = join(goldenRoot, c.name);
      const files = runConfigFiles(config(c.inspect, c.changes, c.image), '');
      if (update) for (const f of files) writeFileSync(join(dir, f.file), f.text);
      expect(readdirSync(dir).filter(f => outputs.test(f)).sort()).toEqual(files.map(f => f.file).sort());
      for (const f of files) {
        expect(existsSync(join(dir, f.file)), f.file).toBe(true);
        expect(f.text, f.file).toBe(readFileSync(join(dir, f.file), 'utf8'));
      }
    });
  }

  it("reads back, through harden's own compose parser, as read-only with no-new-privileges and every mount", () => {
    for (const c of goldenCases()) {
      const config_ = config(c.inspect, c.changes, c.image);
      const parsed = parseCompose('compose.yaml', composeService(config_));
      expect(parsed.errors, c.name).toEqual([]);
      const [service] = parsed.facts!.services;
      expect(service?.readOnly?.value, c.name).toBe(true);
      expect(service?.securityOpt.map(o => o.value), c.name).toContain('no-new-privileges:true');
      const targets = [...config_.writable.map(w => w.path), ...config_.mounts.map(m => m.target)].sort();
      expect(service?.mounts.map(m => m.target).sort(), c.name).toEqual(targets);
    }
  });

  it('puts the files under the directory asked for, and no name reaches outside it', () => {
    const hostile = goldenCases().find(c => c.name === 'hostile')!;
    const files = runConfigFiles(config(hostile.inspect, hostile.changes, hostile.image));
    for (const f of files) expect(f.file).toMatch(/^hardened\/[A-Za-z0-9_][A-Za-z0-9_.-]*\.(run\.sh|compose\.yaml|container)$/);
    const named = runConfigFiles({...config(hostile.inspect, hostile.changes), name: '../../etc/cron.d/x'}, 'out/');
    expect(named.map(f => f.file)).toEqual(['out/etc-cron.d-x.run.sh', 'out/etc-cron.d-x.compose.yaml', 'out/etc-cron.d-x.container']);
  });
});
