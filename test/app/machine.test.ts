import {describe, expect, it} from 'vitest';
import type {ScanResult} from '../../source/app/services.js';
import {initialState, reduce} from '../../source/app/wizard/machine.js';
import type {HostCheck, VerifyingState, WizardAction, WizardState} from '../../source/app/wizard/state.js';
import type {Plan} from '../../source/core/model/plan.js';
import type {VerifyResult} from '../../source/core/model/runtime.js';
import {at, demoScan, run, withPlan} from './support.js';

const scan = demoScan();
const staticScan = demoScan({engineProblem: 'cannot connect to the Docker daemon'});
const ids = {
  dockerfile: 'dockerfile:Dockerfile#Dockerfile',
  web: 'compose-service:compose.yaml#web',
  cache: 'compose-service:compose.yaml#cache',
  k8s: 'k8s-container:k8s/deployment.yaml#Deployment/harden-demo/web',
};

/** A plan that changes these files; the reducer only looks at its file names and targets. */
function planOf(files: string[]): Plan {
  return {
    tool: {name: 'harden-wizard', version: 't'},
    cwd: '/project',
    targets: [{target: scan.analysis.report.targets[1]!, changes: [{kind: 'read-only', rule: 'read-only-rootfs', reason: 'r'}], skipped: []}],
    files: files.map(file => ({file, bom: false, text: 'new\n', created: false})),
    errors: [],
  };
}
const plan = planOf(['Dockerfile', 'compose.yaml', 'k8s/deployment.yaml']);
const passed = (target: string): VerifyResult => ({target, ok: true, checks: [{name: 'start', ok: true, detail: ''}], missing: [], logs: ''});
const failedRun = (target: string): VerifyResult => ({
  target,
  ok: false,
  checks: [{name: 'no-write-errors', ok: false, detail: 'EROFS /app/run/app.pid'}],
  missing: [{path: '/app/data', mount: 'volume', evidence: ['log: EROFS /app/data/x']}],
  logs: '',
});

const scanned = (s: ScanResult = scan): WizardAction => ({type: 'scanned', scan: s});
const toTargets = (s?: ScanResult) => run([scanned(s)]);
const toFindings = (s?: ScanResult) => run([{type: 'next'}], toTargets(s));
const toPaths = (s?: ScanResult) => run([{type: 'next'}], toFindings(s));
const toDockerfile = (s?: ScanResult) => run([{type: 'next'}], toPaths(s));
const toReview = (s?: ScanResult) => run([{type: 'next'}, {type: 'planned', plan}], toDockerfile(s));
const toWriting = (s?: ScanResult) => run([{type: 'next'}], toReview(s));
const written: WizardAction = {type: 'applied', written: ['Dockerfile', 'compose.yaml', 'k8s/deployment.yaml'], backupId: 'b1'};
const toVerifying = () => run([written, {type: 'next'}], toWriting());
const verifiedDone = (results: VerifyResult[]) => run(results.map(result => ({type: 'verified', result}) as const), toVerifying());
const toExtras = () => run([{type: 'next'}], verifiedDone([passed(ids.web), passed(ids.cache)]));
const toHost = () => run([{type: 'next'}], toExtras());
const hostCheck: HostCheck = {
  findings: [{rule: 'daemon-no-new-privileges', severity: 'medium', target: 'host:host:vm#vm', file: '/etc/docker/daemon.json', line: 0, message: 'm', fixable: false}],
  errors: [],
  daemonFile: '/etc/docker/daemon.json',
  daemonPatch: {file: '../etc/docker/daemon.json', sha256: 'a'.repeat(64), bom: false, text: '{"no-new-privileges": true}\n', created: false},
  daemonBefore: '{}\n',
  notes: [],
};
const toSummary = () => run([{type: 'hostChecked', check: hostCheck}, {type: 'next'}], toHost());
const extrasMade = (files: string[], notes: string[] = []): WizardAction => ({type: 'extrasPlanned', made: {plan: planOf(files), before: {}, notes}});

const every: Record<WizardState['step'], () => WizardState> = {
  scanning: () => initialState('/project'),
  targets: () => toTargets(),
  findings: () => toFindings(),
  paths: () => toPaths(),
  dockerfile: () => toDockerfile(),
  review: () => toReview(),
  writing: () => toWriting(),
  verifying: () => toVerifying(),
  extras: () => toExtras(),
  host: () => toHost(),
  summary: () => toSummary(),
  failed: () => run([{type: 'failed', message: 'boom'}]),
};

describe('the wizard reducer', () => {
  it('scans with live counts, then offers every target with findings', () => {
    const progressed = run([{type: 'scanProgress', progress: {files: 3, targets: 2, containers: 1}}]);
    expect(at(progressed, 'scanning').progress).toEqual({files: 3, targets: 2, containers: 1});
    const targets = at(run([scanned()], progressed), 'targets');
    expect(targets.choices).toEqual({selected: [ids.dockerfile, ids.web, ids.cache, ids.k8s], paths: {}, dockerfile: {kind: 'proposed'}, skippedFiles: []});
  });

  it('walks every step forward on the demo project', () => {
    expect([toTargets(), toFindings(), toPaths(), toDockerfile(), toReview(), toWriting(), toVerifying(), toExtras(), toHost(), toSummary()].map(s => s.step)).toEqual([
      'targets', 'findings', 'paths', 'dockerfile', 'review', 'writing', 'verifying', 'extras', 'host', 'summary',
    ]);
  });

  it('returns the same state object for actions that do not apply to the step', () => {
    const stray: WizardAction[] = [
      {type: 'scanProgress', progress: {files: 1, targets: 1, containers: 0}},
      {type: 'toggleExplain'},
      {type: 'addInput', text: '/x'},
      {type: 'addErase'},
      {type: 'addSubmit'},
      {type: 'discovered', targetId: ids.web, paths: []},
      {type: 'setFile', file: 'compose.yaml', accepted: false},
      {type: 'applied', written: [], backupId: undefined},
      {type: 'verified', result: passed(ids.web)},
      {type: 'fixMissing'},
      {type: 'saved', files: []},
      {type: 'chooseDockerfile', choice: {kind: 'single-stage'}},
      {type: 'toggleTarget', id: ids.web},
      {type: 'toggleExtra', extra: 'falco'},
      {type: 'cycleSigning'},
      extrasMade(['falco/harden-drift-rules.yaml']),
      {type: 'extrasApplied', written: [], backupId: undefined},
      {type: 'hostChecked', check: hostCheck},
      {type: 'offerDaemon'},
      {type: 'confirmDaemon'},
      {type: 'daemonWritten', backupId: 'b9'},
      {type: 'daemonFailed', message: 'EACCES'},
      {type: 'copyTemplates'},
      {type: 'templatesCopied', written: [], backupId: undefined},
      {type: 'copyFailed', message: 'EROFS'},
      {type: 'togglePreview'},
    ];
    const applies: Record<WizardState['step'], string[]> = {
      scanning: ['scanProgress'],
      targets: ['toggleTarget'],
      findings: ['toggleExplain'],
      paths: [],
      dockerfile: ['chooseDockerfile', 'togglePreview'],
      review: ['setFile'],
      writing: ['applied'],
      verifying: ['verified'],
      extras: ['toggleExtra', 'cycleSigning'],
      host: ['hostChecked'],
      summary: ['saved'],
      failed: [],
    };
    for (const [step, make] of Object.entries(every) as Array<[WizardState['step'], () => WizardState]>) {
      const state = make();
      for (const action of stray.filter(a => !applies[step].includes(a.type))) {
        expect(reduce(state, action), `${action.type} on ${step}`).toBe(state);
      }
    }
    // Steps with nothing to go on to or back to keep their state too.
    for (const state of [every.scanning(), every.targets(), every.writing()]) {
      if (state.step !== 'targets') expect(reduce(state, {type: 'next'})).toBe(state);
      expect(reduce(state, {type: 'back'})).toBe(state);
    }
    const failed = every.failed();
    expect(reduce(failed, {type: 'back'})).toBe(failed);
    expect(reduce(failed, {type: 'failed', message: 'again'})).toBe(failed);
  });

  it('goes back one step from each step without losing a choice', () => {
    const paths = run([{type: 'addStart', targetId: ids.web}, {type: 'addInput', text: '/var/cache/app'}, {type: 'addSubmit'}], toPaths());
    const review = run([{type: 'next'}, {type: 'chooseDockerfile', choice: {kind: 'single-stage'}}, {type: 'next'}, {type: 'setFile', file: 'compose.yaml', accepted: false}], paths);
    const choices = at(review, 'review').choices;
    const chain = [review];
    for (let i = 0; i < 4; i++) chain.push(reduce(chain.at(-1)!, {type: 'back'}));
    expect(chain.map(s => s.step)).toEqual(['review', 'dockerfile', 'paths', 'findings', 'targets']);
    for (const state of chain) expect('choices' in state && state.choices).toBe(choices);
    // And forward again, the choices still there.
    const again = run([{type: 'next'}, {type: 'next'}, {type: 'next'}, {type: 'next'}], chain.at(-1));
    expect(at(again, 'review').choices).toBe(choices);
  });

  it('skips the paths step when nothing runs from compose or a manifest, and the Dockerfile step without a single-stage Dockerfile', () => {
    const onlyDockerfile = run([{type: 'setTargets', ids: [ids.dockerfile]}, {type: 'next'}, {type: 'next'}], toTargets());
    expect(onlyDockerfile.step).toBe('dockerfile');
    expect(reduce(onlyDockerfile, {type: 'back'}).step).toBe('findings');
    const onlyCache = run([{type: 'setTargets', ids: [ids.cache]}, {type: 'next'}, {type: 'next'}, {type: 'next'}], toTargets());
    expect(onlyCache.step).toBe('review');
    expect(reduce(onlyCache, {type: 'back'}).step).toBe('paths');
  });

  it('selects targets in scan order, and needs one to go on', () => {
    const none = run([{type: 'setTargets', ids: []}], toTargets());
    expect(reduce(none, {type: 'next'})).toBe(none);
    const two = run([{type: 'toggleTarget', id: ids.k8s}, {type: 'toggleTarget', id: ids.web}], none);
    expect(at(two, 'targets').choices.selected).toEqual([ids.web, ids.k8s]);
    expect(at(run([{type: 'toggleTarget', id: ids.k8s}], two), 'targets').choices.selected).toEqual([ids.web]);
  });

  it('opens and closes the explanation panel; esc closes it before going back', () => {
    const open = run([{type: 'toggleExplain'}], toFindings());
    expect(at(open, 'findings').explain).toBe(true);
    const closed = reduce(open, {type: 'back'});
    expect(at(closed, 'findings').explain).toBe(false);
    expect(reduce(closed, {type: 'back'}).step).toBe('targets');
  });

  describe('writable paths', () => {
    const paths = () => at(run([{type: 'planned', plan}], toPaths()), 'paths');

    it('adds a typed path only when it is valid, and drops the stale plan', () => {
      const typing = (text: string) => run([{type: 'addStart', targetId: ids.web}, ...[...text].map(c => ({type: 'addInput', text: c}) as const)], paths());
      const relative = typing('var/x');
      expect(at(relative, 'paths').adding?.text).toBe('var/x');
      expect(reduce(relative, {type: 'addSubmit'})).toBe(relative);
      expect(reduce(relative, {type: 'next'})).toBe(relative);
      const forbidden = typing('/proc/sys');
      expect(reduce(forbidden, {type: 'addSubmit'})).toBe(forbidden);
      const erased = run([{type: 'addErase'}, {type: 'addErase'}], typing('/var/cache//app/xy'));
      expect(at(erased, 'paths').adding?.text).toBe('/var/cache//app/');
      const added = at(run([{type: 'addSubmit'}], erased), 'paths');
      expect(added.adding).toBeUndefined();
      expect(added.plan).toBeUndefined();
      expect(added.choices.paths[ids.web]).toEqual([{path: '/var/cache/app', source: 'added', enabled: true, evidence: ['added by you']}]);
      const empty = run([{type: 'addStart', targetId: ids.web}], paths());
      expect(reduce(empty, {type: 'addErase'})).toBe(empty);
    });

    it('esc while typing closes the line and stays on the step', () => {
      const typing = run([{type: 'addStart', targetId: ids.web}, {type: 'addInput', text: '/data'}], paths());
      const closed = at(reduce(typing, {type: 'back'}), 'paths');
      expect(closed.adding).toBeUndefined();
      expect(closed.choices).toBe(at(typing, 'paths').choices);
    });

    it('space switches a path off and on; a proposed one switched off stays listed, with its evidence', () => {
      const added = run([{type: 'addStart', targetId: ids.web}, {type: 'addInput', text: '/srv'}, {type: 'addSubmit'}], paths());
      const off = at(run([{type: 'togglePath', targetId: ids.web, path: '/srv'}], added), 'paths');
      expect(off.choices.paths[ids.web]![0]!.enabled).toBe(false);
      expect(at(run([{type: 'togglePath', targetId: ids.web, path: '/srv'}], off), 'paths').choices.paths[ids.web]![0]!.enabled).toBe(true);
      // The real planner's proposals for the demo (the fake plan has none).
      const before = withPlan(at(toPaths(), 'paths'));
      const proposed = at(run([{type: 'togglePath', targetId: ids.web, path: '/tmp'}], before), 'paths');
      expect(proposed.note).toMatch(/^\/tmp stays read-only; the app may write there \(.+\), so verify will tell$/);
      expect(proposed.choices.paths[ids.web]).toEqual([{path: '/tmp', source: 'proposed', enabled: false, evidence: [expect.stringContaining('node')]}]);
      expect(proposed.plan).toBeUndefined();
      const back = at(run([{type: 'togglePath', targetId: ids.web, path: '/tmp'}], withPlan(proposed)), 'paths');
      expect(back.choices.paths[ids.web]![0]!.enabled).toBe(true);
      expect(back.note).toBeUndefined();
      // A path neither planned nor chosen is not a row: nothing to switch.
      expect(reduce(before, {type: 'togglePath', targetId: ids.web, path: '/nowhere'})).toBe(before);
    });

    it('t switches the mount of a proposed path', () => {
      const switched = at(run([{type: 'setMount', targetId: ids.web, path: '/app/logs', mount: 'tmpfs'}], paths()), 'paths');
      expect(switched.choices.paths[ids.web]).toEqual([{path: '/app/logs', mount: 'tmpfs', source: 'proposed', enabled: true, evidence: []}]);
      expect(switched.plan).toBeUndefined();
    });

    it('discovers by running the target, with progress; esc stops it', () => {
      const state = paths();
      const started = at(run([{type: 'discoverStart', targetId: ids.web}], state), 'paths');
      expect(started.seq).toBe(state.seq + 1);
      expect(reduce(started, {type: 'addStart', targetId: ids.web})).toBe(started);
      const progressed = at(run([{type: 'progress', line: 'building'}], started), 'paths');
      expect(progressed.discovering?.lines).toEqual(['building']);
      const found = at(
        run([{type: 'discovered', targetId: ids.web, paths: [{path: '/var/lib/app', mount: 'volume', evidence: ['A /var/lib/app/db']}]}], progressed),
        'paths',
      );
      expect(found.discovering).toBeUndefined();
      expect(found.choices.paths[ids.web]).toEqual([{path: '/var/lib/app', mount: 'volume', source: 'discovered', enabled: true, evidence: ['A /var/lib/app/db']}]);
      expect(found.note).toBe('discovery found 1 path, 1 new');
      const stopped = at(reduce(started, {type: 'back'}), 'paths');
      expect(stopped.discovering).toBeUndefined();
      expect(stopped.note).toBe('discovery stopped');
      expect(at(run([{type: 'discoverFailed', message: 'no engine'}], started), 'paths').note).toBe('discovery failed: no engine');
    });

    it('does not discover in static mode', () => {
      const state = at(run([{type: 'discoverStart', targetId: ids.web}], toPaths(staticScan)), 'paths');
      expect(state.discovering).toBeUndefined();
      expect(state.note).toMatch(/needs a container engine/);
    });
  });

  it('re-plans on another Dockerfile choice, and not on the same one', () => {
    const state = run([{type: 'planned', plan}], toDockerfile());
    expect(reduce(state, {type: 'chooseDockerfile', choice: {kind: 'proposed'}})).toBe(state);
    const other = at(reduce(state, {type: 'chooseDockerfile', choice: {kind: 'base', image: 'gcr.io/distroless/nodejs20-debian12'}}), 'dockerfile');
    expect(other.choices.dockerfile).toEqual({kind: 'base', image: 'gcr.io/distroless/nodejs20-debian12'});
    expect(other.plan).toBeUndefined();
  });

  describe('review and write', () => {
    it('waits for the plan, then writes the accepted files', () => {
      const planning = run([{type: 'next'}], toDockerfile());
      expect(reduce(planning, {type: 'next'})).toBe(planning);
      const writing = at(toWriting(), 'writing');
      expect(writing.seq).toBe(at(toReview(), 'review').seq + 1);
      const done = at(run([written], writing), 'writing');
      expect(done.done).toEqual({plan, written: ['Dockerfile', 'compose.yaml', 'k8s/deployment.yaml'], backupId: 'b1'});
      expect(done.applied).toEqual([done.done]);
      expect(reduce(done, written)).toBe(done);
    });

    it('writes only what was accepted, and goes to the summary when nothing was', () => {
      const skipped = run([{type: 'setFile', file: 'compose.yaml', accepted: false}, {type: 'next'}, written], toReview());
      expect(at(skipped, 'writing').done?.plan.files.map(f => f.file)).toEqual(['Dockerfile', 'k8s/deployment.yaml']);
      const none = run(plan.files.map(f => ({type: 'setFile', file: f.file, accepted: false}) as const), toReview());
      expect(run([{type: 'next'}], none).step).toBe('extras');
      const again = run([{type: 'setFile', file: 'compose.yaml', accepted: true}], none);
      expect(at(again, 'review').choices.skippedFiles).toEqual(['Dockerfile', 'k8s/deployment.yaml']);
    });

    it('verifies compose services, not the Dockerfile a service builds nor Kubernetes', () => {
      expect(at(toVerifying(), 'verifying').queue).toEqual([ids.web, ids.cache]);
    });

    it('skips verification in static mode', () => {
      const state = run([{type: 'next'}, written, {type: 'next'}], toReview(staticScan));
      expect(state.step).toBe('extras');
    });
  });

  describe('verify', () => {
    it('streams progress and collects one result per target', () => {
      const state = run([{type: 'progress', line: 'Step 1/9'}], toVerifying());
      expect(at(state, 'verifying').lines).toEqual(['Step 1/9']);
      const first = at(run([{type: 'verified', result: passed(ids.web)}], state), 'verifying');
      // The others still run: their lines stay until the round is over.
      expect(first).toMatchObject({index: 1, lines: ['Step 1/9'], results: [passed(ids.web)], verified: [passed(ids.web)]});
      expect(reduce(first, {type: 'next'})).toBe(first);
      const done = run([{type: 'verified', result: passed(ids.cache)}], first);
      expect(reduce(done, {type: 'verified', result: passed(ids.cache)})).toBe(done);
      expect(reduce(done, {type: 'fixMissing'})).toBe(done);
      expect(reduce(done, {type: 'back'})).toBe(done);
      expect(run([{type: 'next'}], done).step).toBe('extras');
    });

    it('takes results in the order the concurrent runs finish, each matched to its target', () => {
      const cacheFirst = at(run([{type: 'verified', target: ids.cache, result: failedRun(ids.cache)}], toVerifying()), 'verifying');
      expect(cacheFirst).toMatchObject({index: 1, queue: [ids.cache, ids.web], results: [failedRun(ids.cache)]});
      const done = at(run([{type: 'verified', target: ids.web, result: passed(ids.web)}], cacheFirst), 'verifying');
      expect(done).toMatchObject({index: 2, queue: [ids.cache, ids.web], lines: []});
      // f adds the missing path to the target that failed, not to the one first in the queue.
      const rescanning = at(reduce(done, {type: 'fixMissing'}), 'scanning');
      expect(Object.keys(rescanning.resume!.choices.paths)).toEqual([ids.cache]);
      // A result for a target not running (already done, or not in the round) changes nothing.
      expect(reduce(cacheFirst, {type: 'verified', target: ids.cache, result: passed(ids.cache)})).toBe(cacheFirst);
      expect(reduce(cacheFirst, {type: 'verified', target: ids.k8s, result: passed(ids.k8s)})).toBe(cacheFirst);
    });

    it('esc stops the round: what ran keeps its result', () => {
      const stopped = at(run([{type: 'verified', result: passed(ids.web)}, {type: 'back'}], toVerifying()), 'verifying');
      expect(stopped.queue).toEqual([ids.web]);
      expect(stopped.index).toBe(1);
      expect(run([{type: 'next'}], stopped).step).toBe('extras');
    });

    it('loops on a failure: f adds the missing path, scans again, reviews, writes and verifies again', () => {
      const failedRound = verifiedDone([failedRun(ids.web), passed(ids.cache)]);
      const rescanning = at(reduce(failedRound, {type: 'fixMissing'}), 'scanning');
      expect(rescanning.resume?.choices.paths[ids.web]).toEqual([{path: '/app/data', mount: 'volume', source: 'verify', enabled: true, evidence: ['log: EROFS /app/data/x']}]);
      const review = at(reduce(rescanning, scanned()), 'review');
      expect(review.plan).toBeUndefined();
      expect(review.choices).toBe(rescanning.resume?.choices);
      expect(review.applied).toHaveLength(1);
      const newPlan = planOf(['compose.yaml']);
      const writing = run([{type: 'planned', plan: newPlan}, {type: 'next'}, {type: 'applied', written: ['compose.yaml'], backupId: 'b2'}], review);
      expect(at(writing, 'writing').applied.map(a => a.backupId)).toEqual(['b1', 'b2']);
      const again = at(reduce(writing, {type: 'next'}), 'verifying') as VerifyingState;
      expect(again.queue).toEqual([ids.web, ids.cache]);
      expect(again.results).toEqual([]);
      const extras = run([{type: 'verified', result: passed(ids.web)}, {type: 'verified', result: passed(ids.cache)}, {type: 'next'}], again);
      expect(at(extras, 'extras').verified.every(r => r.ok)).toBe(true);
    });
  });

  describe('beyond read-only', () => {
    it('goes on to the host when nothing is chosen', () => {
      const extras = at(toExtras(), 'extras');
      expect(extras).toMatchObject({phase: 'choose', extras: {pin: false, falco: false, signing: 'none', runConfigs: false}});
      const host = at(reduce(extras, {type: 'next'}), 'host');
      expect(host.phase).toBe('reading');
      expect(host.seq).toBe(extras.seq + 1);
    });

    it('switches options, plans them, previews, writes only the accepted files, and keeps the outcome', () => {
      const chosen = at(run([{type: 'toggleExtra', extra: 'falco'}, {type: 'toggleExtra', extra: 'pin'}, {type: 'toggleExtra', extra: 'pin'}, {type: 'cycleSigning'}, {type: 'cycleSigning'}], toExtras()), 'extras');
      expect(chosen.extras).toEqual({pin: false, falco: true, signing: 'gitlab', runConfigs: false});
      expect(at(reduce(chosen, {type: 'cycleSigning'}), 'extras').extras.signing).toBe('none');
      const planning = at(reduce(chosen, {type: 'next'}), 'extras');
      expect(planning).toMatchObject({phase: 'planning', seq: chosen.seq + 1});
      expect(reduce(planning, {type: 'next'})).toBe(planning);
      const preview = at(run([extrasMade(['falco/harden-drift-rules.yaml', '.gitlab-ci.sign.yml'], ['compose.yaml:3: redis:7 not pinned'])], planning), 'extras');
      expect(preview.phase).toBe('preview');
      const writing = at(run([{type: 'setFile', file: '.gitlab-ci.sign.yml', accepted: false}, {type: 'next'}], preview), 'extras');
      expect(writing).toMatchObject({phase: 'writing', skipped: ['.gitlab-ci.sign.yml']});
      expect(reduce(writing, {type: 'back'})).toBe(writing);
      const done = at(run([{type: 'extrasApplied', written: ['falco/harden-drift-rules.yaml'], backupId: 'b7'}], writing), 'extras');
      expect(done.phase).toBe('done');
      expect(done.beyond?.extras).toEqual({choice: chosen.extras, written: ['falco/harden-drift-rules.yaml'], backupId: 'b7', notes: ['compose.yaml:3: redis:7 not pinned']});
      const host = at(reduce(done, {type: 'next'}), 'host');
      expect(host.beyond).toBe(done.beyond);
      // Back from the host: the written outcome, not a second write.
      expect(at(reduce(host, {type: 'back'}), 'extras').phase).toBe('done');
    });

    it('esc from the preview or while planning goes back to the choice; nothing to write goes on with the notes', () => {
      const planning = run([{type: 'toggleExtra', extra: 'pin'}, {type: 'next'}], toExtras());
      expect(at(reduce(planning, {type: 'back'}), 'extras').phase).toBe('choose');
      const empty = run([extrasMade([], ['redis:7 not pinned: the engine has no digest for it'])], planning);
      expect(at(reduce(empty, {type: 'back'}), 'extras').phase).toBe('choose');
      const host = at(reduce(empty, {type: 'next'}), 'host');
      expect(host.beyond?.extras).toMatchObject({written: [], notes: ['redis:7 not pinned: the engine has no digest for it']});
      const allSkipped = run([extrasMade(['falco/x.yaml']), {type: 'setFile', file: 'falco/x.yaml', accepted: false}, {type: 'next'}], planning);
      expect(allSkipped.step).toBe('host');
    });

    it('a failed planning goes back to the choice', () => {
      const planning = run([{type: 'toggleExtra', extra: 'falco'}, {type: 'next'}], toExtras());
      const failed = at(run([{type: 'failed', message: 'cannot read compose.yaml'}], planning), 'failed');
      expect(failed.back).toMatchObject({step: 'extras', phase: 'choose'});
    });
  });

  describe('the host', () => {
    const shown = () => at(run([{type: 'hostChecked', check: hostCheck}], toHost()), 'host');

    it('shows the host check and keeps it for the summary', () => {
      expect(shown()).toMatchObject({phase: 'shown', check: hostCheck});
      expect(shown().beyond?.host).toEqual(hostCheck);
      expect(reduce(shown(), {type: 'hostChecked', check: hostCheck})).toEqual(shown());
    });

    it('writes daemon.json only after the diff is shown and confirmed', () => {
      const state = shown();
      expect(reduce(state, {type: 'confirmDaemon'})).toBe(state);
      const confirm = at(reduce(state, {type: 'offerDaemon'}), 'host');
      expect(confirm.phase).toBe('confirm');
      expect(reduce(confirm, {type: 'next'})).toBe(confirm);
      expect(at(reduce(confirm, {type: 'back'}), 'host').phase).toBe('shown');
      const writing = at(reduce(confirm, {type: 'confirmDaemon'}), 'host');
      expect(writing).toMatchObject({phase: 'writing', seq: confirm.seq + 1});
      expect(reduce(writing, {type: 'back'})).toBe(writing);
      const done = at(reduce(writing, {type: 'daemonWritten', backupId: 'b9'}), 'host');
      expect(done.phase).toBe('done');
      expect(done.beyond?.host?.daemon).toEqual({written: true, backupId: 'b9'});
      // Written once: no second offer.
      expect(reduce(done, {type: 'offerDaemon'})).toBe(done);
      expect(run([{type: 'next'}], done).step).toBe('summary');
    });

    it('a failed write (permission denied) is shown and the offer stays', () => {
      const failed = at(run([{type: 'offerDaemon'}, {type: 'confirmDaemon'}, {type: 'daemonFailed', message: 'EACCES: permission denied'}], shown()), 'host');
      expect(failed.phase).toBe('shown');
      expect(failed.beyond?.host?.daemon).toEqual({error: 'EACCES: permission denied'});
      expect(at(reduce(failed, {type: 'offerDaemon'}), 'host').phase).toBe('confirm');
    });

    it('copies the host notes into the project on request, once, from either phase', () => {
      const templates = [{file: 'harden-host/daemon.json', bom: false, text: '{}\n', created: true}];
      const state = at(run([{type: 'hostChecked', check: {...hostCheck, templates}}], toHost()), 'host');
      const copying = at(reduce(state, {type: 'copyTemplates'}), 'host');
      expect(copying).toMatchObject({phase: 'copying', seq: state.seq + 1});
      expect(reduce(copying, {type: 'back'})).toBe(copying);
      const copied = at(reduce(copying, {type: 'templatesCopied', written: ['harden-host/daemon.json'], backupId: 'b5'}), 'host');
      expect(copied.phase).toBe('shown');
      expect(copied.beyond?.host?.copied).toEqual({written: ['harden-host/daemon.json'], backupId: 'b5'});
      expect(reduce(copied, {type: 'copyTemplates'})).toBe(copied);
      const failed = at(run([{type: 'copyTemplates'}, {type: 'copyFailed', message: 'EROFS'}], state), 'host');
      expect(failed.check?.copied).toEqual({error: 'EROFS'});
      expect(at(reduce(failed, {type: 'copyTemplates'}), 'host').phase).toBe('copying');
      // Without templates to copy (all there already) c does nothing.
      const none = shown();
      expect(reduce(none, {type: 'copyTemplates'})).toBe(none);
      const afterDaemon = at(run([{type: 'offerDaemon'}, {type: 'confirmDaemon'}, {type: 'daemonWritten', backupId: 'b6'}, {type: 'copyTemplates'}, {type: 'templatesCopied', written: ['harden-host/daemon.json'], backupId: 'b7'}], state), 'host');
      expect(afterDaemon.phase).toBe('done');
      expect(afterDaemon.beyond?.host).toMatchObject({daemon: {written: true, backupId: 'b6'}, copied: {written: ['harden-host/daemon.json'], backupId: 'b7'}});
    });

    it('offers nothing when daemon.json already has the settings', () => {
      const {daemonPatch: _none, ...clean} = hostCheck;
      const state = at(run([{type: 'hostChecked', check: clean}], toHost()), 'host');
      expect(reduce(state, {type: 'offerDaemon'})).toBe(state);
    });

    it('waits for the reading; esc stops it and goes back to step 9', () => {
      const reading = toHost();
      expect(reduce(reading, {type: 'next'})).toBe(reading);
      expect(reduce(reading, {type: 'back'}).step).toBe('extras');
    });
  });

  describe('summary, quitting and failures', () => {
    it('saves once, finishes with 0, and esc goes back to the host step as it was', () => {
      const saved = run([{type: 'saved', files: ['harden-report.md', 'harden-plan.json']}], toSummary());
      expect(at(saved, 'summary').saved).toEqual({files: ['harden-report.md', 'harden-plan.json']});
      expect(reduce(saved, {type: 'saveFailed', message: 'x'})).toBe(saved);
      expect(reduce(saved, {type: 'finish'}).exit).toBe(0);
      expect(reduce(saved, {type: 'quit'}).exit).toBe(0);
      const host = at(reduce(saved, {type: 'back'}), 'host');
      expect(host).toMatchObject({phase: 'shown', check: hostCheck, seq: at(saved, 'summary').seq});
      const extras = at(reduce(host, {type: 'back'}), 'extras');
      expect(extras.phase).toBe('choose');
      const back = at(reduce(extras, {type: 'back'}), 'verifying');
      expect(back.index).toBe(back.queue.length);
      expect(back.results).toHaveLength(2);
      expect(at(run([{type: 'saveFailed', message: 'read-only'}], toSummary()), 'summary').saved).toEqual({error: 'read-only'});
    });

    it('quits from every step with 130, keeping the state, and then ignores everything', () => {
      for (const [step, make] of Object.entries(every)) {
        if (step === 'summary') continue;
        const state = make();
        const quitting = reduce(state, {type: 'quit'});
        expect(quitting.exit, step).toBe(130);
        expect(quitting.step).toBe(state.step);
        for (const action of [{type: 'quit'}, {type: 'next'}, {type: 'back'}, {type: 'finish'}, scanned()] as WizardAction[]) {
          expect(reduce(quitting, action)).toBe(quitting);
        }
      }
    });

    it('finish applies only to the summary and to a failure', () => {
      const findings = toFindings();
      expect(reduce(findings, {type: 'finish'})).toBe(findings);
      expect(reduce(every.failed(), {type: 'finish'}).exit).toBe(1);
    });

    it('a failed scan has nowhere to go back to; a failed write goes back to review', () => {
      const scanFailed = at(run([{type: 'failed', message: 'cannot read .'}]), 'failed');
      expect(scanFailed.back).toBeUndefined();
      const writeFailed = at(run([{type: 'failed', message: 'disk full'}], toWriting()), 'failed');
      expect(writeFailed.message).toBe('disk full');
      const writing = toWriting();
      const review = at(run([{type: 'failed', message: 'disk full'}, {type: 'back'}], writing), 'review');
      expect(review.choices).toBe(at(writing, 'writing').choices);
      expect(review.plan).toBe(plan);
    });
  });
});
