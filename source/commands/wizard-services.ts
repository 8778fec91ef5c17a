import {dirname, join, relative} from 'node:path';
import type {ScanResult, WizardServices} from '../app/services.js';
import {analyzeFiles} from '../core/audit.js';
import type {Subject} from '../core/model/facts.js';
import type {Plan} from '../core/model/plan.js';
import type {VerifyResult} from '../core/model/runtime.js';
import {buildPlan} from '../core/plan/build.js';
import {defaultMaxBytes} from '../core/parse/text.js';
import {formatMarkdown} from '../core/report/markdown.js';
import {collectWriteHints} from '../core/rules/effective.js';
import {allRules} from '../core/rules/index.js';
import {readContainers} from '../runtime/containers.js';
import {connectEngine} from '../runtime/docker/engine.js';
import {applyPlan} from '../runtime/fs/apply-plan.js';
import {keepOutputOnInterrupt} from '../runtime/docker/cleanup.js';
import {writeOutputFile} from '../runtime/fs/output-file.js';
import {nodeFileSystem} from '../runtime/fs/node-fs.js';
import type {ContainerEngine} from '../runtime/ports.js';
import {loadProject} from '../runtime/project/load.js';
import {proveRewrites} from '../runtime/prove-plan.js';
import {engineImageUsers} from '../runtime/image-users.js';
import {discoverPaths} from '../runtime/shadow.js';
import {targetFromSubject, type ResolvedTarget} from '../runtime/targets/resolve.js';
import {verifyTarget} from '../runtime/verify.js';
import {checkHost, planExtras} from './wizard-beyond.js';
import type {Beyond} from '../app/wizard/state.js';

declare const HARDEN_VERSION: string;

export interface RealServicesOptions {
  /** `--daemon-config FILE`: the daemon.json the host step reads and offers to change, instead of the engine's own. */
  daemonConfig?: string;
  /** `--pull`: the Verify step pulls an image the engine does not have; otherwise that target is "not verified". */
  pull?: boolean;
}

/** The wizard's services over the same core and runtime as the plain commands. */
export function realServices(options: RealServicesOptions = {}): WizardServices {
  keepOutputOnInterrupt();
  let engine: ContainerEngine | undefined;
  const hostFiles: string[] = options.daemonConfig === undefined ? [] : [options.daemonConfig];

  const analyze = async (dir: string, withContainers: boolean) => {
    const project = await loadProject(nodeFileSystem, ['.'], dir, defaultMaxBytes);
    const containers = withContainers && engine ? (await readContainers(engine, false)).containers : [];
    const analysis = analyzeFiles(project.files, {version: HARDEN_VERSION, containers});
    analysis.report.errors.unshift(...project.errors);
    return {project, analysis};
  };

  /** The run configuration of a target as the files say now (after writing), for paths and verify. */
  const runnable = async (scan: ScanResult, targetId: string): Promise<{target: ResolvedTarget; writable: Array<{path: string; mount: 'tmpfs' | 'volume'}>}> => {
    const {analysis} = await analyze(scan.dir, false);
    const old = scan.analysis.subjects.find(s => s.target.id === targetId);
    const subject: Subject | undefined = analysis.subjects.find(s => s.target.id === targetId) ?? old;
    if (!subject) throw new Error(`no target ${targetId}`);
    if (subject.kind === 'dockerfile') {
      const file = join(scan.dir, subject.target.file);
      const writable = collectWriteHints(subject).map(h => ({path: h.path, mount: h.mount}));
      return {target: {label: subject.target.file, build: {context: dirname(file), dockerfile: relative(dirname(file), file)}, mounts: [], capDrop: [], subject}, writable};
    }
    if (subject.kind === 'container') throw new Error('a running container is verified by recreating it from its compose file or image');
    const label = `${subject.target.file}:${subject.kind === 'k8s-container' ? subject.container.name : subject.target.name}`;
    return {target: targetFromSubject(subject, label, scan.dir), writable: []};
  };

  return {
    async scan(dir, onProgress) {
      let engineProblem: string | undefined;
      try {
        engine = await connectEngine();
        await engine.sweep();
      } catch (error) {
        engine = undefined;
        engineProblem = (error as Error).message.split('\n')[0];
      }
      const {project, analysis} = await analyze(dir, engine !== undefined);
      onProgress({
        files: project.files.length,
        targets: analysis.subjects.length,
        containers: analysis.subjects.filter(s => s.kind === 'container').length,
      });
      const result: ScanResult = {dir, analysis, files: project.files};
      if (engineProblem !== undefined) result.engineProblem = engineProblem;
      if (engine) {
        const connected = engine;
        const users = await engineImageUsers(analysis, async () => connected);
        if (users.size > 0) result.imageUsers = users;
      }
      return result;
    },
    // Step 5 proves the rewrites when an engine answers (options.proofs); without one, or stopped, the Verify step still builds and runs what was written.
    plan: (scan, options) => buildPlan({analysis: scan.analysis, files: scan.files, cwd: scan.dir, version: HARDEN_VERSION}, {
      notRun: 'not run before writing: the Verify step builds and runs the written image',
      // As `harden fix` does: a user the person gives wins over the image's.
      ...(scan.imageUsers && options.user === undefined ? {imageUsers: scan.imageUsers} : {}),
      ...options,
    }),
    async prove(scan, fixOptions, onProgress, signal) {
      if (!engine) return {notRun: `no engine answered (${scan.engineProblem ?? 'no Docker engine'})`};
      const connected = engine;
      return proveRewrites(scan.analysis, scan.files, scan.dir, fixOptions, async () => connected, onProgress, signal);
    },
    apply: plan => applyPlan(plan, {version: HARDEN_VERSION, hostFiles}),
    async discoverPaths(scan, targetId, onProgress, signal) {
      if (!engine) throw new Error(scan.engineProblem ?? 'no Docker engine');
      const {target} = await runnable(scan, targetId);
      return discoverPaths(engine, target, {durationSeconds: 3, readyTimeoutMs: 60_000, onProgress, signal});
    },
    async verify(scan, targetId, onProgress, signal): Promise<VerifyResult> {
      if (!engine) throw new Error(scan.engineProblem ?? 'no Docker engine');
      const {target, writable} = await runnable(scan, targetId);
      return verifyTarget(engine, target, {writable, settleSeconds: 3, readyTimeoutMs: 60_000, shadowOnFailure: true, onProgress, signal, pull: options.pull === true});
    },
    planExtras: (scan, selected, choice) => planExtras(scan.dir, selected, choice, engine),
    async checkHost(scan) {
      const check = await checkHost(scan.dir, engine, options.daemonConfig);
      // The daemon.json shown here is the one file outside the project the wizard may write, after a "y".
      if (check.daemonFile !== undefined) hostFiles.push(check.daemonFile);
      return check;
    },
    async saveReport(scan: ScanResult, plan: Plan, verified: readonly VerifyResult[], beyond?: Beyond) {
      const report = await writeOutputFile(scan.dir, 'harden-report.md', reportMarkdown(scan, plan, verified, beyond));
      const planFile = await writeOutputFile(scan.dir, 'harden-plan.json', JSON.stringify(plan, null, 2) + '\n');
      return [report, planFile];
    },
  };
}

/** The audit as it was, what the fix changed and left, and what verification showed. */
function reportMarkdown(scan: ScanResult, plan: Plan, verified: readonly VerifyResult[], beyond: Beyond | undefined): string {
  const lines = [formatMarkdown(scan.analysis.report, allRules).trimEnd(), '', '## What harden changed', ''];
  for (const file of plan.files) lines.push(`- \`${file.file}\`${file.created ? ' (new)' : ''}`);
  if (plan.files.length === 0) lines.push('- nothing');
  const rewrites = plan.targets.flatMap(t => t.changes.flatMap(c => (c.kind === 'multi-stage' ? [{file: t.target.file, change: c}] : [])));
  if (rewrites.length > 0) {
    lines.push('', '## Multi-stage rewrites', '');
    for (const {file, change} of rewrites) {
      const proof = change.proof.status === 'proven' ? `proven by running: ${change.proof.detail}` : `not run: ${change.proof.detail}`;
      lines.push(`- \`${file}\`: runtime stage FROM ${change.runtimeBase}, USER ${change.user}; ${proof}`);
      if (change.proof.answers) lines.push(`  - the original answered ${change.proof.answers.original}; the rewrite ${change.proof.answers.rewrite ?? 'did not run'}`);
    }
  }
  const skipped = plan.targets.flatMap(t => t.skipped.map(s => `- **${t.target.name}** (${s.rule}): ${s.what}: ${s.reason}`));
  if (skipped.length > 0) lines.push('', '## What remains', '', ...skipped);
  if (verified.length > 0) {
    lines.push('', '## Verification', '');
    for (const result of verified) {
      lines.push(`- **${result.target}**: ${result.ok ? 'passed' : 'failed'} (${result.checks.map(c => `${c.name} ${c.ok ? 'ok' : 'failed'}`).join(', ')})`);
    }
  }
  lines.push(...beyondMarkdown(beyond));
  lines.push('', 'Undo the changes with `harden undo` in this directory.', '');
  return lines.join('\n');
}

/** Steps 9 and 10 in the report: the optional outputs written, and the host's findings. */
function beyondMarkdown(beyond: Beyond | undefined): string[] {
  const lines: string[] = [];
  const extras = beyond?.extras;
  if (extras && (extras.written.length > 0 || extras.notes.length > 0)) {
    lines.push('', '## Beyond read-only', '');
    for (const file of extras.written) lines.push(`- wrote \`${file}\``);
    for (const note of extras.notes) lines.push(`- ${note}`);
  }
  const host = beyond?.host;
  if (host) {
    lines.push('', '## The host', '');
    for (const finding of host.findings) lines.push(`- **${finding.severity}** \`${finding.rule}\` (${finding.file}): ${finding.message}`);
    for (const error of host.errors) lines.push(`- could not check: ${error.file}: ${error.message}`);
    if (host.findings.length === 0 && host.errors.length === 0) lines.push('- no findings');
    if (host.daemon && 'written' in host.daemon) lines.push(`- wrote \`${host.daemonFile}\` (no-new-privileges, live-restore); reload and restart the daemon to apply it`);
    else if (host.daemon) lines.push(`- could not write \`${host.daemonFile}\`: ${host.daemon.error}`);
  }
  return lines;
}
