import {posix} from 'node:path';
import type {FileType} from './discover/classify.js';
import type {AuditError, AuditReport, Finding, Target} from './model/finding.js';
import type {ComposeFacts, ContainerFacts, DockerfileFacts, HostFacts, ImageRef, K8sContainer, K8sFacts, K8sPod, Parsed, Subject} from './model/facts.js';
import {containerTarget} from './discover/container.js';
import {hostTarget} from './host/facts.js';
import {parseCompose} from './parse/compose.js';
import {mergeOverride, overrideBase} from './parse/compose-merge.js';
import {parseDockerfile} from './parse/dockerfile.js';
import {looksLikeKubernetes, parseKubernetes} from './parse/kubernetes.js';
import {showBytes} from './parse/utf8.js';
import type {Rule} from './rules/rule.js';
import {allRules, runRules} from './rules/index.js';
import {upToStage} from './rules/effective.js';
import {podSecurity} from './rules/pod-security.js';
import {findImagePolicies} from './rules/image-policies.js';
import {policyFinding, unsignedImagePolicyRule} from './rules/unsigned-image-policy.js';

/** A discovered file after reading: its text, or why it could not be read. */
export interface LoadedFile {
  /** Display path, `/`-separated, as in reports. */
  file: string;
  type: FileType;
  text?: string;
  /** sha256 of the bytes read, so a later write can tell the file did not change meanwhile. */
  sha256?: string;
  /** The file started with a UTF-8 BOM (dropped from `text`). */
  bom?: boolean;
  /** Set when the file could not be read or decoded. */
  error?: string;
}

export interface AuditOptions {
  version: string;
  rules?: readonly Rule[];
  /** The engine's own containers, when `--containers` asked for them. */
  containers?: readonly ContainerFacts[];
  /** The engine's host and daemon, when `--host` asked for them. */
  host?: HostFacts;
  /** Reads a Dockerfile; parseDockerfile unless given (the bench's unoptimised path gives parseDockerfileAst). */
  parseDockerfile?: (file: string, text: string) => Parsed<DockerfileFacts>;
}

/** The report, and the subjects it judged: `fix` plans from the same facts the audit saw. */
export interface Analysis {
  report: AuditReport;
  subjects: Subject[];
}

/** Parses every file, links compose services and pods to the Dockerfiles that build them, and runs the rules. */
export function auditFiles(files: readonly LoadedFile[], options: AuditOptions): AuditReport {
  return analyzeFiles(files, options).report;
}

export function analyzeFiles(files: readonly LoadedFile[], options: AuditOptions): Analysis {
  const audit = new ProjectAudit(options);
  for (const loaded of files) audit.add(loaded);
  return audit.finish();
}

/**
 * An audit fed one file at a time, in discovery order: each file is parsed into facts at
 * once and its text is not kept, so a scan of thousands of files holds only their facts.
 * `analyzeFiles` is this over a list; `harden audit` streams files into it as it reads them.
 */
export class ProjectAudit {
  private readonly errors: AuditError[] = [];
  private readonly dockerfiles = new Map<string, DockerfileFacts>();
  private readonly composeFiles: ComposeFacts[] = [];
  /** Every compose file found, read or not: which override Compose picks depends on what exists. */
  private readonly composeNames = new Set<string>();
  private readonly k8sFiles: K8sFacts[] = [];
  /** Whether any file so far holds an admission policy that verifies image signatures. */
  private imagePolicy = false;
  private readonly judgesPolicy: boolean;

  constructor(private readonly options: AuditOptions) {
    this.judgesPolicy = (options.rules ?? allRules).some(r => r.id === unsignedImagePolicyRule.id);
  }

  /** Parses one file into facts; the caller may drop its text afterwards. */
  add(loaded: LoadedFile): void {
    if (loaded.type === 'compose') this.composeNames.add(loaded.file);
    if (loaded.text === undefined) {
      this.errors.push({file: loaded.file, line: 0, message: loaded.error ?? 'cannot read file'});
      return;
    }
    if (loaded.type === 'dockerfile') {
      const parsed = (this.options.parseDockerfile ?? parseDockerfile)(loaded.file, loaded.text);
      append(this.errors, parsed.errors);
      if (parsed.facts) this.dockerfiles.set(loaded.file, parsed.facts);
    } else if (loaded.type === 'compose') {
      const parsed = parseCompose(loaded.file, loaded.text);
      append(this.errors, parsed.errors);
      if (parsed.facts) this.composeFiles.push(parsed.facts);
    } else if (looksLikeKubernetes(loaded.text)) {
      const parsed = parseKubernetes(loaded.file, loaded.text);
      append(this.errors, parsed.errors);
      if (parsed.facts && parsed.facts.containers.length > 0) this.k8sFiles.push(parsed.facts);
    }
    if (this.judgesPolicy && !this.imagePolicy) this.imagePolicy = findImagePolicies([loaded]).length > 0;
  }

  /**
   * Links the facts into subjects, runs the rules and sorts the report. The engine's containers
   * and host may be given here, when they were read after the files.
   */
  finish(engine: Pick<AuditOptions, 'containers' | 'host'> = {}): Analysis {
    const options = {...this.options, ...engine};
    const {errors} = this;
    const subjects = buildSubjects(this.dockerfiles, mergeOverrides(this.composeFiles, this.composeNames), this.k8sFiles);
    for (const container of options.containers ?? []) subjects.push({kind: 'container', target: containerTarget(container), container});
    if (options.host) subjects.push({kind: 'host', target: hostTarget(options.host), host: options.host});
    const rules = options.rules ?? allRules;
    const findings: Finding[] = [];
    for (const subject of subjects) {
      for (const finding of runRules(subject, rules)) {
        // Messages are prose for people in every format: a byte that is not UTF-8 shows as `\xe9`.
        // Names and paths keep it (JSON writes `\udce9`): they must still match the file.
        finding.message = showBytes(finding.message);
        flatten(finding.message);
        findings.push(finding);
      }
    }
    // A project-level rule: one finding when Kubernetes workloads have no image-signature policy anywhere.
    if (this.judgesPolicy) {
      const project = policyFinding(subjects.filter(s => s.kind === 'k8s-container').map(s => s.target), this.imagePolicy);
      if (project) findings.push(project);
    }
    for (const error of errors) error.message = showBytes(error.message);
    findings.sort((a, b) => compare(a.file, b.file) || a.line - b.line || compare(a.rule, b.rule) || compare(a.target, b.target));
    errors.sort((a, b) => compare(a.file, b.file) || a.line - b.line);
    const targets = subjects.map(s => s.target).sort((a, b) => compare(a.file, b.file) || a.line - b.line);
    return {report: {tool: {name: 'harden-wizard', version: options.version}, targets, findings, errors}, subjects};
  }
}

/**
 * Makes V8 store a string built by concatenation as one flat copy now, while it is young. A
 * message is a tree of its template's pieces until something reads it whole; the JSON writer
 * would do that at the end, copying every message of a long-lived report into the old
 * generation at once (85 MB on 18,000 files). Converting to a number flattens it (pino's flatstr).
 */
function flatten(text: string): void {
  void Number(text);
}

/** `push(...items)` without the argument-count limit a spread hits on large arrays. */
function append<T>(to: T[], items: readonly T[]): void {
  for (const item of items) to.push(item);
}

function buildSubjects(dockerfiles: Map<string, DockerfileFacts>, composeFiles: ComposeFacts[], k8sFiles: K8sFacts[]): Subject[] {
  const subjects: Subject[] = [];
  const ids = new Set<string>();
  // The suffix last tried for each name: thousands of containers of one name would otherwise try every suffix again.
  const tried = new Map<string, number>();
  const target = (kind: Target['kind'], file: string, name: string, line: number): Target => {
    const base = `${kind}:${file}#${name}`;
    let id = base;
    if (ids.has(id)) {
      let n = tried.get(base) ?? 2;
      while (ids.has(`${base}~${n}`)) n++;
      id = `${base}~${n}`;
      tried.set(base, n + 1);
    }
    ids.add(id);
    return {id, kind, file, name, line};
  };

  for (const [file, dockerfile] of dockerfiles) {
    subjects.push({kind: 'dockerfile', target: target('dockerfile', file, posix.basename(file), dockerfile.stages[0]!.line), dockerfile});
  }
  // An image a compose service builds and tags is the same image a manifest may run.
  const builtImages = new Map<string, DockerfileFacts>();
  for (const compose of composeFiles) {
    for (const service of compose.services) {
      const whole = service.build ? dockerfiles.get(service.build.dockerfile) : undefined;
      const dockerfile = whole && upToStage(whole, service.build?.target);
      if (dockerfile && service.image) builtImages.set(imageKey(service.image), dockerfile);
      const subject: Subject = {kind: 'compose-service', target: target('compose-service', compose.file, service.name, service.line), service};
      if (dockerfile) subject.dockerfile = dockerfile;
      subjects.push(subject);
    }
  }
  for (const k8s of k8sFiles) {
    // One profile per pod, over all its containers: they share one pod object.
    const pods = new Map<K8sPod, K8sContainer[]>();
    for (const container of k8s.containers) {
      const list = pods.get(container.pod);
      if (list) list.push(container);
      else pods.set(container.pod, [container]);
    }
    const profiles = new Map([...pods].map(([pod, containers]) => [pod, podSecurity(containers)]));
    for (const container of k8s.containers) {
      const name = `${container.workload.kind}/${container.workload.name}/${container.name}`;
      const subject: Subject = {kind: 'k8s-container', target: {...target('k8s-container', k8s.file, name, container.line), podSecurity: profiles.get(container.pod)!}, container};
      const dockerfile = container.image ? builtImages.get(imageKey(container.image)) : undefined;
      if (dockerfile) subject.dockerfile = dockerfile;
      subjects.push(subject);
    }
  }
  return subjects;
}

/**
 * Folds each compose override into the base file Compose reads it over. An override whose
 * base did not parse stands alone (Compose would stop at the base's error, which the
 * report lists).
 */
function mergeOverrides(composeFiles: ComposeFacts[], names: ReadonlySet<string>): ComposeFacts[] {
  const index = new Map(composeFiles.map((c, i) => [c.file, i]));
  const result = [...composeFiles];
  for (const [i, compose] of composeFiles.entries()) {
    const base = overrideBase(compose.file, names);
    const at = base === undefined ? undefined : index.get(base);
    if (at === undefined) continue;
    const merged = mergeOverride(result[at]!, compose);
    result[at] = merged.merged;
    result[i] = merged.own;
  }
  return result;
}

function imageKey(ref: ImageRef): string {
  return `${ref.repository}:${ref.tag ?? 'latest'}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
