import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import {describe, expect, it} from 'vitest';
import {copyFixture} from '../support/tree.js';
import {harden} from '../support/cli.js';

/*
 * One fix, one fixed point (issue 15): after `harden fix --yes`, a second `harden fix`
 * plans nothing, on every tree the tests hold. The fixed-point fixtures are the case that
 * used to need two runs: the first gave a Dockerfile a non-root USER and only the second
 * saw that its compose service and Deployment (nginx as non-root) then need /tmp.
 */
const shared = resolve('../shared/corpus');
const trees = [
  'test/fixtures/fixed-point/nginx-front',
  'templates/demo',
  'test/fixtures/rewrite-apps',
  'test/fixtures/apps',
  'test/fixtures/patch',
  'test/fixtures/parse',
  ...(existsSync(shared) || process.env['CI'] ? [shared] : []),
];
if (!existsSync(shared) && !process.env['CI']) console.warn('fixed-point test of ../shared/corpus skipped: ../shared/corpus not found');

const optionSets = [[], ['--user', '10001:10001', '--cap-drop']];

interface PlanJson {
  plan: {files: Array<{file: string; text: string}>; targets: Array<{target: {id: string}; changes: Array<{rule: string; kind: string; mount?: {path: string}}>}>};
}

describe('a second harden fix changes nothing', () => {
  it.each(trees.flatMap(tree => optionSets.map(options => ({tree, options, name: `${tree} ${options.join(' ')}`}))))('$name', async ({tree, options}) => {
    const dir = await copyFixture(tree);
    const first = await harden(['fix', '--yes', '--no-run', ...options], dir);
    // 2: some fixture files are malformed on purpose and are left alone with an error.
    expect([0, 2], first.stderr + first.stdout.slice(-2000)).toContain(first.code);
    const second = await harden(['fix', '--json', '--no-run', ...options], dir);
    const plan = (JSON.parse(second.stdout) as PlanJson).plan;
    const again = plan.targets.filter(t => t.changes.length > 0).map(t => `${t.target.id}: ${t.changes.map(c => `${c.rule}/${c.kind}`).join(', ')}`);
    expect(again).toEqual([]);
    expect(plan.files.map(f => f.file)).toEqual([]);
  }, 180_000);

  it('plans the nginx /tmp in the first run, with the USER that needs it', async () => {
    const dir = await copyFixture('test/fixtures/fixed-point/nginx-front');
    const run = await harden(['fix', '--no-run', '--json'], dir);
    const plan = (JSON.parse(run.stdout) as PlanJson).plan;
    const text = (file: string) => plan.files.find(f => f.file === file)?.text ?? '';
    expect(text('Dockerfile')).toMatch(/^USER 10001:10001$/m);
    expect(text('compose.yaml')).toContain('"/tmp:mode=1777,size=64m"');
    expect(text('k8s/front.yaml')).toMatch(/mountPath: \/tmp/);
    // Each change once, although two rounds planned them.
    const front = plan.targets.find(t => t.target.id.includes('front') && t.target.id.startsWith('compose'))!;
    const kinds = front.changes.map(c => `${c.rule}/${c.kind}/${c.mount?.path ?? ''}`);
    expect(kinds).toContain('writable-path-unmounted/writable//tmp');
    expect(new Set(kinds).size).toBe(kinds.length);
  });
});
