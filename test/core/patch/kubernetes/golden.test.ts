import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {patchKubernetes, type ContainerChanges} from '../../../../source/core/patch/kubernetes/index.js';

/*
 * Golden cases: test/fixtures/patch/kubernetes/<case>/ holds input.yaml, changes.json
 * (ContainerChanges[]), optionally existing-files.json, and the expected results:
 * expected.yaml, skipped.json and created/<file name> for each new file.
 * UPDATE_GOLDEN=1 rewrites the expected files; review them before committing.
 */

const root = 'test/fixtures/patch/kubernetes';
const update = process.env.UPDATE_GOLDEN === '1';
const cases = readdirSync(root, {withFileTypes: true}).filter(e => e.isDirectory()).map(e => e.name).sort();

function read(dir: string, name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}

function load(name: string) {
  const dir = join(root, name);
  const changes = JSON.parse(read(dir, 'changes.json')) as ContainerChanges[];
  const existing = existsSync(join(dir, 'existing-files.json')) ? new Set(JSON.parse(read(dir, 'existing-files.json')) as string[]) : new Set<string>();
  return {dir, input: read(dir, 'input.yaml'), changes, existing};
}

describe('patchKubernetes golden files', () => {
  it('has the cases the patcher promises', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  for (const name of cases) {
    describe(name, () => {
      const {dir, input, changes, existing} = load(name);
      const file = `k8s/${name}.yaml`;
      const patched = patchKubernetes(file, input, changes, existing);

      it('matches expected.yaml, skipped.json and created/', () => {
        if (!patched.ok) throw new Error(`${patched.error.line}: ${patched.error.message}`);
        const {text, skipped, created} = patched.result;
        const createdByName = Object.fromEntries(created.map(c => [c.file.slice('k8s/'.length), c.text]));
        const skippedJson = JSON.stringify(skipped, null, 2) + '\n';
        if (update) {
          writeFileSync(join(dir, 'expected.yaml'), text);
          writeFileSync(join(dir, 'skipped.json'), skippedJson);
          rmSync(join(dir, 'created'), {recursive: true, force: true});
          if (created.length > 0) mkdirSync(join(dir, 'created'));
          for (const [fileName, body] of Object.entries(createdByName)) writeFileSync(join(dir, 'created', fileName), body);
        }
        expect(text).toBe(read(dir, 'expected.yaml'));
        expect(skippedJson).toBe(read(dir, 'skipped.json'));
        const expectedCreated = existsSync(join(dir, 'created')) ? readdirSync(join(dir, 'created')).sort() : [];
        expect(Object.keys(createdByName).sort()).toEqual(expectedCreated);
        for (const fileName of expectedCreated) expect(createdByName[fileName]).toBe(read(join(dir, 'created'), fileName));
      });

      it('is idempotent: a second patch changes nothing and creates nothing', () => {
        if (!patched.ok) throw new Error(patched.error.message);
        const existingAfter = new Set([...existing, ...patched.result.created.map(c => c.file)]);
        const again = patchKubernetes(file, patched.result.text, changes, existingAfter);
        expect(again.ok && again.result.text).toBe(patched.result.text);
        expect(again.ok && again.result.created).toEqual([]);
      });

      it('changes nothing when there is nothing to do', () => {
        const none = changes.map(c => ({...c, changes: []}));
        const result = patchKubernetes(file, input, none, existing);
        expect(result.ok && result.result.text).toBe(input);
        expect(patchKubernetes(file, input, [], existing)).toEqual({ok: true, result: {text: input, created: [], skipped: []}});
      });
    });
  }
});
