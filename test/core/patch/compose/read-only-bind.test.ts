import {describe, expect, it} from 'vitest';
import type {PlannedChange} from '../../../../source/core/model/plan.js';
import {patchCompose} from '../../../../source/core/patch/compose/index.js';
import {tmpfs, volume} from './make.js';

/* A long-syntax bind the app only reads gets read_only: true, as a short one gets :ro (issue 16). */

const readOnlyAt = (target: string): PlannedChange => ({kind: 'mount-read-only', target, rule: 'host-mount-writable', reason: 'test'});
const lines = (...l: string[]) => l.map(line => `${line}\n`).join('');

function run(text: string, changes: PlannedChange[]) {
  const out = patchCompose('compose.yaml', text, new Map([['web', changes]]));
  if (!out.ok) throw new Error(`unexpected error: ${out.error.message}`);
  const again = patchCompose('compose.yaml', out.result.text, new Map([['web', changes]]));
  expect(again.ok && again.result.text, 'a second patch changes nothing').toBe(out.result.text);
  return {text: out.result.text, skipped: out.result.skipped.map(s => s.reason)};
}

describe('patchCompose: read_only: true on a long-syntax bind', () => {
  it('adds the key as the last line of a block mapping, keeping a comment after it where it was', () => {
    const text = lines('services:', '  web:', '    image: x', '    volumes:', '      - type: bind', '        source: ./app.ini', '        target: /etc/app.ini', '        # the config', '      - ./data:/data');
    expect(run(text, [readOnlyAt('/etc/app.ini')])).toEqual({
      text: text.replace('        target: /etc/app.ini\n', '        target: /etc/app.ini\n        read_only: true\n'),
      skipped: [],
    });
  });

  it('in a flow mapping, and turns read_only: false to true in place', () => {
    const flow = lines('services:', '  web:', '    image: x', '    volumes: [{type: bind, source: ./a.conf, target: /etc/a.conf}]');
    expect(run(flow, [readOnlyAt('/etc/a.conf')]).text).toBe(flow.replace('target: /etc/a.conf}', 'target: /etc/a.conf, read_only: true}'));
    const off = lines('services:', '  web:', '    image: x', '    volumes:', '      - {type: bind, source: ./a.conf, target: /etc/a.conf/, read_only: false}');
    expect(run(off, [readOnlyAt('/etc/a.conf')]).text).toBe(off.replace('read_only: false', 'read_only: true'));
  });

  it('keeps CRLF line ends, and adds the other changes of the list beside it', () => {
    const text = lines('services:', '  web:', '    image: x', '    volumes:', '      - type: bind', '        source: ./a.conf', '        target: /etc/a.conf').replace(/\n/g, '\r\n');
    const result = run(text, [readOnlyAt('/etc/a.conf'), tmpfs('/tmp')]);
    expect(result.text).toContain('        target: /etc/a.conf\r\n        read_only: true\r\n');
    expect(result.text).not.toMatch(/[^\r]\n/);
    expect(result.text).toContain('tmpfs:');
  });

  it('leaves a volume mount, another target and a read-only one alone', () => {
    const text = lines('services:', '  web:', '    image: x', '    volumes:', '      - {type: volume, source: conf, target: /etc/a.conf}', '      - {type: bind, source: ./b.conf, target: /etc/b.conf}', '      - {type: bind, source: ./c.conf, target: /etc/c.conf, read_only: true}');
    expect(run(text, [readOnlyAt('/etc/a.conf'), readOnlyAt('/etc/c.conf')]).text).toBe(text);
  });

  it('skips, saying why, a mapping behind an anchor or a merge key, or one it does not own', () => {
    const anchored = lines('services:', '  web:', '    image: x', '    volumes:', '      - &conf {type: bind, source: ./a.conf, target: /etc/a.conf}');
    const shared = run(anchored, [readOnlyAt('/etc/a.conf')]);
    expect(shared.text).toBe(anchored);
    expect(shared.skipped).toEqual(['its volumes entry for /etc/a.conf carries anchor &conf, which other places may share; add read_only: true by hand']);
    const merged = lines('x-conf: &conf {type: bind, source: ./a.conf}', 'services:', '  web:', '    image: x', '    volumes:', '      - <<: *conf', '        target: /etc/a.conf');
    // Only the read-only change is left: a volume the same fix adds to the list still goes in.
    const mergedOut = run(merged, [readOnlyAt('/etc/a.conf'), volume('data', '/var/lib/data')]);
    expect(mergedOut.skipped).toEqual(['its volumes entry for /etc/a.conf merges another mapping (<<); add read_only: true by hand']);
    expect(mergedOut.text).toContain('        target: /etc/a.conf\n      - data:/var/lib/data\n');
    const inherited = lines('x-base: &base', '  volumes:', '    - {type: bind, source: ./a.conf, target: /etc/a.conf}', 'services:', '  web:', '    <<: *base', '    image: x');
    const out = run(inherited, [readOnlyAt('/etc/a.conf')]);
    expect(out.text).toBe(inherited);
    expect(out.skipped).toEqual(['its volumes entry for /etc/a.conf is a mapping it does not own (a merge key, an alias or !reset); add read_only: true by hand']);
  });
});
