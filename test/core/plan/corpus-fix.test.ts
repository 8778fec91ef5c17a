import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {analyzeFiles} from '../../../source/core/audit.js';
import {buildPlan} from '../../../source/core/plan/build.js';
import {parseDockerfile} from '../../../source/core/parse/dockerfile.js';
import {nodeFileSystem} from '../../../source/runtime/fs/node-fs.js';
import {loadProject} from '../../../source/runtime/project/load.js';

/*
 * Every file of ../shared/corpus through the same planner `harden fix` uses: no crash,
 * every rewritten Dockerfile parses again, and a file that does not parse is left alone.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const corpus = resolve(repoRoot, '../shared/corpus');

if (!existsSync(corpus) && !process.env['CI']) console.warn('corpus fix test skipped: ../shared/corpus not found');

describe.skipIf(!existsSync(corpus) && !process.env['CI'])('harden fix over the corpus', () => {
  it('plans every file without a crash, and every new text parses', async () => {
    expect(existsSync(corpus)).toBe(true);
    const project = await loadProject(nodeFileSystem, ['.'], corpus, 4 * 1024 * 1024);
    expect(project.files.length).toBeGreaterThan(150);
    const analysis = analyzeFiles(project.files, {version: 'test'});
    const plan = buildPlan({analysis, files: project.files, cwd: corpus, version: 'test'}, {writable: [], capDrop: true, user: '10001:10001'});
    const broken = new Set(analysis.report.errors.map(e => e.file));
    for (const patch of plan.files) {
      expect(broken.has(patch.file)).toBe(false);
      const reparsed = parseDockerfile(patch.file, patch.text);
      expect(reparsed.facts, patch.file).not.toBeNull();
      expect(reparsed.errors, patch.file).toEqual([]);
    }
    // Every target got a plan, and whatever was not done says why.
    for (const target of plan.targets) for (const skip of target.skipped) expect(skip.reason.length, `${target.target.id} ${skip.rule}`).toBeGreaterThan(10);
    expect(plan.targets.length).toBe(analysis.subjects.length);
  }, 120_000);
});
