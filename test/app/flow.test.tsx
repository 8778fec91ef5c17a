import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {App} from '../../source/app/app.js';
import type {WizardServices} from '../../source/app/services.js';
import type {Plan} from '../../source/core/model/plan.js';
import type {VerifyResult} from '../../source/core/model/runtime.js';
import {demoDir, enterToReview, fakeServices, keys, readProject, realPlan, renderAt, scanTexts, sha256, until, waitFor} from './support.js';

afterEach(cleanup);

/** The engine's daemon.json as a patch path: outside the project, as the real one is. */
const engineDaemonFile = '../etc/docker/daemon.json';

/**
 * The demo project in memory, scanned and planned by the real core. The fake engine
 * fails the first verification of `web` the way the real one reports a write to an
 * unmounted path; the fake writer refuses stale files, as the real one does.
 */
function world(options: {engineProblem?: string} = {}) {
  const texts = readProject(demoDir);
  // The engine's daemon.json, outside the project as the real one is.
  const daemonFile = engineDaemonFile;
  texts.set(daemonFile, '{\n  "debug": true\n}\n');
  const applied: Plan[] = [];
  const verified: string[] = [];
  const saved: Array<{plan: Plan; verified: readonly VerifyResult[]}> = [];
  const services: WizardServices = fakeServices({
    scan: async (dir, onProgress) => {
      onProgress({files: texts.size, targets: 0, containers: 0});
      return scanTexts(dir, texts, options.engineProblem);
    },
    plan: (scan, fix) => realPlan(scan, fix),
    prove: async (_scan, _fix, onProgress) => {
      onProgress('Dockerfile: building the original Dockerfile');
      onProgress('Dockerfile: the original: GET / on port 3000 answered 200');
      const detail = 'GET / on port 3000 answered 200 with the same body as the original, also read-only; 123.0 MB instead of 299.8 MB';
      return {proofs: new Map([['Dockerfile', {kind: 'proven' as const, candidate: 0, detail, answers: {original: 'GET / → 200 "harden-demo"', rewrite: 'GET / → 200 "harden-demo"'}}]])};
    },
    apply: async plan => {
      applied.push(plan);
      for (const patch of plan.files) {
        const current = texts.get(patch.file);
        if (!patch.created && (current === undefined || sha256(current) !== patch.sha256)) throw new Error(`${patch.file} changed since it was read`);
        texts.set(patch.file, patch.text);
      }
      return {written: plan.files.map(f => f.file), backupId: `backup-${applied.length}`};
    },
    verify: async (_scan, target, onProgress) => {
      verified.push(target);
      onProgress(`building and running ${target} read-only`);
      const round = verified.filter(t => t === target).length;
      if (target.endsWith('#web') && round === 1) {
        return {
          target,
          ok: false,
          checks: [{name: 'no-write-errors', ok: false, detail: "EROFS: read-only file system, open '/app/data/sessions.json'"}],
          missing: [{path: '/app/data', mount: 'volume', evidence: ["log: EROFS: read-only file system, open '/app/data/sessions.json'"]}],
          logs: '',
        };
      }
      return {target, ok: true, checks: [{name: 'stays-up', ok: true, detail: 'up for 10 s'}], missing: [], logs: ''};
    },
    planExtras: async (_scan, _selected, choice) => {
      const files = choice.falco ? [{file: 'falco/harden-drift-rules.yaml', bom: false, text: '- rule: harden drift in web\n', created: true}] : [];
      return {plan: {tool: {name: 'harden-wizard', version: 't'}, cwd: '/work/demo', targets: [], files, errors: []}, before: {}, notes: ['compose.yaml:9: redis:7 not pinned: the engine has no digest for it']};
    },
    checkHost: async () => ({
      findings: [{rule: 'daemon-no-new-privileges', severity: 'medium', target: 'host:host:vm#vm', file: '/etc/docker/daemon.json', line: 0, message: 'Neither daemon.json nor the command line sets no-new-privileges.', fixable: false}],
      errors: [],
      daemonFile: '/etc/docker/daemon.json',
      daemonPatch: {file: daemonFile, sha256: sha256(texts.get(daemonFile)!), bom: false, text: '{\n  "debug": true,\n  "no-new-privileges": true\n}\n', created: false},
      daemonBefore: texts.get(daemonFile)!,
      notes: [],
    }),
    saveReport: async (_scan, plan, results) => {
      saved.push({plan, verified: results});
      return ['harden-report.md', 'harden-plan.json'];
    },
  });
  return {texts, applied, verified, saved, services};
}

const filesOf = (plan: Plan | undefined) => plan?.files.map(f => f.file);

describe('the whole wizard on the demo project', () => {
  it('hardens, verifies, fixes the missing path, verifies again, and saves the report', async () => {
    const {texts, applied, verified, saved, services} = world();
    const onExit = vi.fn();
    const app = renderAt(<App dir="/work/demo" services={services} lesson onExit={onExit} />);
    const {lastFrame, stdin} = app;

    // Targets and findings, with a look at one explanation.
    await waitFor(lastFrame, '4 targets found; 4 selected to harden.');
    stdin.write(keys.enter);
    await waitFor(lastFrame, '29 findings in 4 targets');
    stdin.write('?');
    await waitFor(lastFrame, 'Why (D09)');
    stdin.write(keys.escape);
    await waitFor(lastFrame, 'why: easy rollback');
    stdin.write(keys.enter);

    // Writable paths: add one for web, typed and checked as it goes.
    await waitFor(lastFrame, '[x] /app/logs');
    stdin.write('a');
    await waitFor(lastFrame, 'Add a writable path to compose.yaml › web:');
    stdin.write('var/x');
    await waitFor(lastFrame, 'the path must be absolute');
    for (let i = 0; i < 5; i++) stdin.write(keys.backspace);
    stdin.write('/var/cache/demo');
    await waitFor(lastFrame, '✓ /var/cache/demo, tmpfs suggested');
    stdin.write(keys.enter);
    await waitFor(lastFrame, /\/var\/cache\/demo +tmpfs +added/);
    stdin.write(keys.enter);

    // The proposed multi-stage rewrite, proven by running, then the review of every file.
    await waitFor(lastFrame, 'runtime stage FROM node:20-slim, USER 1000:1000');
    await waitFor(lastFrame, '✓ proven by running: GET / on port 3000 answered 200');
    await waitFor(lastFrame, /original: GET \/ → 200 "harden-demo" +rewrite: GET \/ → 200 "harden-demo"/);
    stdin.write(keys.enter);
    await waitFor(lastFrame, 'File 1/4: Dockerfile');
    stdin.write(keys.pageDown);
    await waitFor(lastFrame, 'lines 16-');
    stdin.write(keys.right);
    await waitFor(lastFrame, 'File 2/4: compose.yaml');
    stdin.write(keys.enter);

    await waitFor(lastFrame, 'Backup backup-1 is in .harden/backups.');
    expect(filesOf(applied[0])).toEqual(['Dockerfile', 'compose.yaml', 'k8s/deployment.yaml', 'k8s/harden-demo-web-logs-pvc.yaml']);
    // What was written is the rewrite step 5 proved, and the plan says so.
    expect(applied[0]!.targets.flatMap(t => t.changes).find(c => c.kind === 'multi-stage')).toMatchObject({proof: {status: 'proven', answers: {original: 'GET / → 200 "harden-demo"'}}});
    expect(texts.get('Dockerfile')).toMatch(/FROM node:20 AS builder[\s\S]*FROM node:20-slim[\s\S]*USER 1000:1000/);
    expect(texts.get('compose.yaml')).toContain('read_only: true');
    expect(texts.get('compose.yaml')).toContain('/var/cache/demo');
    expect(texts.get('compose.yaml')).toContain('no-new-privileges:true');
    expect(texts.get('k8s/deployment.yaml')).toContain('readOnlyRootFilesystem: true');
    // The path was added to web alone: the pod and the cache service do not get it.
    expect(texts.get('k8s/deployment.yaml')).not.toContain('/var/cache/demo');
    expect(texts.get('compose.yaml')!.match(/\/var\/cache\/demo/g)).toHaveLength(1);
    stdin.write(keys.enter);

    // Verification fails on a path nobody declared; f adds it, re-plans and comes back to review.
    await waitFor(lastFrame, 'Press f to keep /app/data writable');
    expect(verified).toEqual(['compose-service:compose.yaml#web', 'compose-service:compose.yaml#cache']);
    stdin.write('f');
    await waitFor(lastFrame, '6/11 Review');
    const second = await waitFor(lastFrame, '/app/data');
    expect(second).toContain('File 1/');
    stdin.write(keys.enter);
    await waitFor(lastFrame, 'Backup backup-2 is in .harden/backups.');
    expect(filesOf(applied[1])).toContain('compose.yaml');
    expect(filesOf(applied[1])).not.toContain('Dockerfile');
    expect(texts.get('compose.yaml')).toMatch(/web-data:\/app\/data/);
    stdin.write(keys.enter);

    await waitFor(lastFrame, 'It builds and runs with a read-only root filesystem.');
    expect(verified).toHaveLength(4);
    stdin.write(keys.enter);

    // Beyond read-only: Falco rules chosen, previewed, written with their own backup.
    await waitFor(lastFrame, '9/11 Beyond read-only');
    stdin.write('j');
    stdin.write(' ');
    await waitFor(lastFrame, '[x] Falco drift rules');
    stdin.write(keys.enter);
    await waitFor(lastFrame, 'File 1/1: falco/harden-drift-rules.yaml (new file)');
    expect(lastFrame()).toContain('redis:7 not pinned');
    stdin.write(keys.enter);
    await waitFor(lastFrame, 'Undo: harden undo restores backup backup-3.');
    expect(texts.get('falco/harden-drift-rules.yaml')).toBe('- rule: harden drift in web\n');
    stdin.write(keys.enter);

    // The host: its finding, then daemon.json shown as a diff and written only after y.
    await waitFor(lastFrame, '10/11 Host');
    await waitFor(lastFrame, 'daemon-no-new-privileges');
    stdin.write('d');
    await waitFor(lastFrame, '+  "no-new-privileges": true');
    expect(texts.get(engineDaemonFile)).toBe('{\n  "debug": true\n}\n');
    stdin.write('y');
    await waitFor(lastFrame, 'Wrote /etc/docker/daemon.json (harden undo restores backup backup-4)');
    expect(texts.get(engineDaemonFile)).toContain('"no-new-privileges": true');
    stdin.write(keys.enter);

    const summary = await waitFor(lastFrame, 'Saved harden-report.md, harden-plan.json');
    expect(summary).toContain('11/11 Summary');
    expect(summary).toContain('Same image, same config, every start');
    expect(saved).toHaveLength(1);
    expect(saved[0]!.verified.every(r => r.ok)).toBe(true);
    expect(saved[0]!.plan.targets.find(t => t.target.name === 'web')?.changes.filter(c => c.kind === 'writable').map(c => c.kind === 'writable' && c.mount.path)).toContain('/app/data');
    stdin.write(keys.enter);
    await until(() => onExit.mock.calls.length > 0);
    expect(onExit).toHaveBeenCalledWith(0, expect.any(String));
    // What the terminal keeps once Ink is gone: what changed, verification, the report, every backup.
    const left = onExit.mock.calls[0]![1] as string;
    expect(left).toContain('harden: what changed');
    expect(left).toContain('  Beyond read-only: falco/harden-drift-rules.yaml');
    expect(left).toContain('  Host: /etc/docker/daemon.json');
    expect(left).toMatch(/✓ compose\.yaml › web: passed/);
    expect(left).toContain('Report: harden-report.md, harden-plan.json');
    expect(left).toMatch(/1\. backup-4: puts back \/etc\/docker\/daemon\.json\n  2\. backup-3: .*\n  3\. backup-2: .*\n  4\. backup-1: /);
  });

  it('in static mode runs the static steps, writes, and never calls the engine', async () => {
    const {applied, saved, services} = world({engineProblem: 'cannot connect to the Docker daemon'});
    const onExit = vi.fn();
    const app = renderAt(<App dir="/work/demo" services={{...services, verify: () => Promise.reject(new Error('no engine to verify with'))}} onExit={onExit} />);
    await waitFor(app.lastFrame, 'No container engine: cannot connect to the Docker daemon.');
    await enterToReview(app);
    app.stdin.write('n');
    await waitFor(app.lastFrame, 'File 2/4');
    app.stdin.write(keys.enter);
    await waitFor(app.lastFrame, 'enter beyond read-only');
    expect(filesOf(applied[0])).toEqual(['compose.yaml', 'k8s/deployment.yaml', 'k8s/harden-demo-web-logs-pvc.yaml']);
    app.stdin.write(keys.enter);
    // Nothing chosen beyond read-only; the host is read and left as it is.
    await waitFor(app.lastFrame, '9/11 Beyond read-only');
    app.stdin.write(keys.enter);
    await waitFor(app.lastFrame, 'd daemon.json change');
    app.stdin.write(keys.enter);
    const summary = await waitFor(app.lastFrame, 'Saved harden-report.md');
    expect(summary).toContain('Not verified: no container engine');
    expect(saved[0]!.verified).toEqual([]);
    app.stdin.write('q');
    await until(() => onExit.mock.calls.length > 0);
    expect(onExit).toHaveBeenCalledWith(0, expect.stringContaining('not verified: no container engine'));
  });

  it('esc walks back to the targets and forward again with every choice kept', async () => {
    const {services} = world();
    const app = renderAt(<App dir="/work/demo" services={services} onExit={() => {}} />);
    await waitFor(app.lastFrame, '2/11 Targets');
    app.stdin.write('j');
    app.stdin.write(' ');
    await waitFor(app.lastFrame, '3 selected');
    await enterToReview({...app, stdin: app.stdin});
    for (const title of ['5/11 Dockerfile', '4/11 Writable paths', '3/11 Findings', '2/11 Targets']) {
      app.stdin.write(keys.escape);
      await waitFor(app.lastFrame, title);
    }
    expect(app.lastFrame()).toContain('[ ] compose.yaml › web');
  });
});
