import {describe, expect, it} from 'vitest';
import {fixOptionsFor, reportPlan, runnableTargets, scopeScan, shownPaths} from '../../source/app/wizard/choices.js';
import type {Choices} from '../../source/app/wizard/state.js';
import {checkWritablePath} from '../../source/app/wizard/validate.js';
import {allRules} from '../../source/core/rules/index.js';
import type {Plan} from '../../source/core/model/plan.js';
import {demoScan} from './support.js';

const scan = demoScan();
const web = 'compose-service:compose.yaml#web';
const k8s = 'k8s-container:k8s/deployment.yaml#Deployment/harden-demo/web';
const base: Choices = {selected: [web, k8s], paths: {}, dockerfile: {kind: 'proposed'}, skippedFiles: []};

describe('choices become the options of harden fix', () => {
  it('asks for the enabled paths of each chosen target and declines the others, for that target only', () => {
    const options = fixOptionsFor({
      ...base,
      paths: {
        [web]: [
          {path: '/srv', source: 'added', enabled: true, evidence: []},
          {path: '/off', source: 'added', enabled: false, evidence: []},
          {path: '/app/logs', mount: 'tmpfs', source: 'proposed', enabled: true, evidence: []},
        ],
        [k8s]: [
          {path: '/var/lib/app', mount: 'volume', source: 'discovered', enabled: true, evidence: ['A /var/lib/app/db', 'C /var/lib/app']},
          {path: '/app/data', mount: 'volume', source: 'verify', enabled: true, evidence: ['log: EROFS /app/data/x']},
        ],
        'compose-service:compose.yaml#cache': [{path: '/not-chosen', source: 'added', enabled: true, evidence: []}],
      },
    });
    expect(options).toEqual({
      writable: [],
      capDrop: false,
      discovered: new Map([
        [web, [{path: '/srv', evidence: 'added by you'}, {path: '/app/logs', mount: 'tmpfs', evidence: 'mount type chosen by you'}]],
        [k8s, [
          {path: '/var/lib/app', mount: 'volume', evidence: 'seen when it ran: A /var/lib/app/db, C /var/lib/app'},
          {path: '/app/data', mount: 'volume', evidence: 'verification saw it fail: log: EROFS /app/data/x'},
        ]],
      ]),
      // Switched off: left read-only on that target, as fix --not-writable does everywhere.
      declined: new Map([[web, new Set(['/off'])]]),
    });
    expect(fixOptionsFor(base).discovered).toBeUndefined();
    expect(fixOptionsFor(base).declined).toBeUndefined();
  });

  it('maps the Dockerfile choice to --runtime-base or to leaving single-stage-build out', () => {
    expect(fixOptionsFor({...base, dockerfile: {kind: 'base', image: 'node:20-alpine'}}).runtimeBase).toBe('node:20-alpine');
    const only = fixOptionsFor({...base, dockerfile: {kind: 'single-stage'}}).only;
    expect([...only!].sort()).toEqual(allRules.map(r => r.id).filter(id => id !== 'single-stage-build').sort());
  });

  it('narrows the scan to the chosen targets', () => {
    const scoped = scopeScan(scan, [web]);
    expect(scoped.analysis.subjects.map(s => s.target.id)).toEqual([web]);
    expect(new Set(scoped.analysis.report.findings.map(f => f.target))).toEqual(new Set([web]));
    expect(scoped.files).toBe(scan.files);
  });

  it('verifies a Dockerfile on its own only when no chosen service builds it', () => {
    expect(runnableTargets(scan, ['dockerfile:Dockerfile#Dockerfile', web, k8s])).toEqual([web]);
    expect(runnableTargets(scan, ['dockerfile:Dockerfile#Dockerfile', k8s])).toEqual(['dockerfile:Dockerfile#Dockerfile']);
  });

  it('lists the planner\'s mounts with the person\'s own entries, switched-off ones too', () => {
    const plan = {targets: [{target: scan.analysis.report.targets[1]!, changes: [{kind: 'writable', rule: 'r', reason: 'r', mount: {path: '/tmp', mount: 'tmpfs', name: 'web-tmp', why: 'node writes temp files'}}], skipped: []}]} as unknown as Plan;
    const shown = shownPaths(plan, web, [{path: '/data/x', source: 'added', enabled: false, evidence: ['added by you']}]);
    expect(shown.map(s => [s.path, s.mount, s.evidence])).toEqual([
      ['/tmp', 'tmpfs', 'node writes temp files'],
      ['/data/x', 'volume', 'added by you'],
    ]);
  });

  it('reports every write of a loop as one plan', () => {
    const target = scan.analysis.report.targets[1]!;
    const first = {tool: {name: 'harden-wizard', version: 't'}, cwd: '/p', errors: [], targets: [{target, changes: [{kind: 'read-only', rule: 'a', reason: 'a'}], skipped: [{rule: 's', what: 'w', reason: 'old'}]}], files: [{file: 'compose.yaml', bom: false, created: false, text: '1'}]} as Plan;
    const second = {...first, targets: [{target, changes: [{kind: 'no-new-privileges', rule: 'b', reason: 'b'}], skipped: []}], files: [{file: 'compose.yaml', bom: false, created: false, text: '2'}]} as Plan;
    const merged = reportPlan([{plan: first, written: [], backupId: 'a'}, {plan: second, written: [], backupId: 'b'}], undefined)!;
    expect(merged.targets[0]!.changes.map(c => c.kind)).toEqual(['read-only', 'no-new-privileges']);
    expect(merged.targets[0]!.skipped).toEqual([]);
    expect(merged.files.map(f => f.text)).toEqual(['2']);
  });
});

describe('a typed writable path', () => {
  it.each([
    ['', false, 'type an absolute path'],
    ['var/cache', false, 'must be absolute'],
    ['/proc/sys', false, '/proc/sys must never be writable'],
    ['/var/run/docker.sock', false, '/run/docker.sock must never be writable'],
    ['/tmp', false, 'listed already'],
    ['/var/cache//app/', true, '/var/cache/app'],
  ])('%j', (text, ok, expected) => {
    const check = checkWritablePath(text, ['/tmp']);
    expect(check.ok).toBe(ok);
    expect(check.ok ? check.path : check.message).toContain(expected);
  });
});
