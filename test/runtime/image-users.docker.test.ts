import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {parse, parseAllDocuments} from 'yaml';
import {realServices} from '../../source/commands/wizard-services.js';
import type {Plan} from '../../source/core/model/plan.js';
import {packContext} from '../../source/runtime/docker/build-context.js';
import {harden} from '../support/cli.js';
import {describeDocker, docker, ensureBaseImages, testRunId, testRunLabels} from '../support/docker.js';

/*
 * Issue 15: "where the image's user is known to be non-root (... the engine's image config
 * ...), set runAsNonRoot: true and the numeric runAsUser/user:". Two local images no
 * Dockerfile of the project builds: one runs as 1234:1234, one as the name "appuser", whose uid only the image knows.
 */

const numeric = `harden-wizard-test/runs-as-uid:${testRunId}`;
const named = `harden-wizard-test/runs-as-name:${testRunId}`;
const dirs: string[] = [];

async function build(tag: string, dockerfile: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'harden-image-users-'));
  dirs.push(dir);
  await writeFile(join(dir, 'Dockerfile'), dockerfile);
  const stream = await docker().buildImage(packContext(dir, ['Dockerfile']), {t: tag, labels: testRunLabels});
  const output = await new Promise<Array<{error?: string}>>((resolve, reject) => docker().modem.followProgress(stream, (error: Error | null, out: Array<{error?: string}>) => (error ? reject(error) : resolve(out))));
  const failed = output.find(o => o.error !== undefined);
  if (failed) throw new Error(`building ${tag}: ${failed.error}`);
}

async function project(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'harden-image-users-project-'));
  dirs.push(dir);
  await writeFile(join(dir, 'compose.yaml'), `services:\n  api:\n    image: ${numeric}\n  worker:\n    image: ${named}\n`);
  await writeFile(join(dir, 'deploy.yaml'), `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: ${numeric}\n`);
  return dir;
}

const securityContext = async (dir: string) =>
  (parseAllDocuments(await readFile(join(dir, 'deploy.yaml'), 'utf8'))[0]!.toJS() as {spec: {template: {spec: {containers: Array<{securityContext?: Record<string, unknown>}>}}}}).spec.template.spec.containers[0]!.securityContext ?? {};

describeDocker("fix reads a local image's user from the engine", () => {
  beforeAll(async () => {
    await ensureBaseImages();
    await build(numeric, 'FROM busybox:latest\nUSER 1234:1234\nCMD ["sleep", "60"]\n');
    await build(named, 'FROM busybox:latest\nRUN echo appuser:x:4321:4321::/:/bin/sh >> /etc/passwd\nUSER appuser\nCMD ["sleep", "60"]\n');
  }, 600_000);

  afterAll(async () => {
    for (const tag of [numeric, named]) await docker().getImage(tag).remove({force: true}).catch(() => undefined);
    for (const dir of dirs) await rm(dir, {recursive: true, force: true});
  });

  it('writes runAsNonRoot with the numeric runAsUser, and user: in compose; a user name is said, not guessed', async () => {
    const dir = await project();
    const plan = (await harden(['fix'], dir)).stdout.replace(/\n\s+/g, ' ');
    expect(plan).toContain("the image runs as uid 1234 (the engine's image config); runAsNonRoot and runAsUser: 1234 make the kubelet enforce it");
    expect(plan).toContain('the image runs as "appuser" (the engine\'s image config), a name with no uid harden knows; pass --user with its numeric UID:GID');
    const fix = await harden(['fix', '--yes'], dir);
    expect(fix.code, fix.stderr).toBe(0);
    expect(await securityContext(dir)).toMatchObject({runAsNonRoot: true, runAsUser: 1234});
    const compose = parse(await readFile(join(dir, 'compose.yaml'), 'utf8')) as {services: Record<string, {user?: string}>};
    expect(compose.services['api']!.user).toBe('1234:1234');
    expect(compose.services['worker']!.user).toBeUndefined();
    // The audit, which does not ask the engine, now reads the user from the files.
    const audit = JSON.parse((await harden(['audit', '.', '--format', 'json', '--fail-on', 'none'], dir)).stdout) as {findings: Array<{rule: string; target: string}>};
    expect(audit.findings.filter(f => f.rule === 'root-user').map(f => f.target)).toEqual(['compose-service:compose.yaml#worker']);
  }, 300_000);

  it("the wizard's plan reads the same users from the engine when it scans", async () => {
    const dir = await project();
    const services = realServices();
    const scan = await services.scan(dir, () => undefined, new AbortController().signal);
    expect(scan.engineProblem).toBeUndefined();
    expect(scan.imageUsers?.get(numeric)).toBe('1234:1234');
    const runAs = (plan: Plan, id: string) => plan.targets.find(t => t.target.id === id)?.changes.find(c => c.kind === 'run-as');
    const plan = services.plan(scan, {writable: [], capDrop: false});
    expect(runAs(plan, 'k8s-container:deploy.yaml#Deployment/api/api')).toMatchObject({uid: 1234});
    expect(runAs(plan, 'compose-service:compose.yaml#api')).toMatchObject({uid: 1234, gid: 1234});
    expect(runAs(plan, 'compose-service:compose.yaml#worker')).toBeUndefined();
    // A user the person gives wins, as with fix --user.
    expect(runAs(services.plan(scan, {writable: [], capDrop: false, user: '2000:2000'}), 'compose-service:compose.yaml#api')).toMatchObject({uid: 2000, gid: 2000});
  }, 300_000);

  it('asks nothing of the engine with --no-run', async () => {
    const dir = await project();
    expect((await harden(['fix', '--yes', '--no-run'], dir)).code).toBe(0);
    expect(await securityContext(dir)).not.toHaveProperty('runAsUser');
    expect((parse(await readFile(join(dir, 'compose.yaml'), 'utf8')) as {services: Record<string, {user?: string}>}).services['api']!.user).toBeUndefined();
  }, 300_000);
});
