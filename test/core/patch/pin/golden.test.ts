import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {pinReferences, type PinFileType} from '../../../../source/core/patch/pin/index.js';

/*
 * Golden cases: test/fixtures/patch/pin/<case>/ holds input.<ext>, case.json ({type,
 * digests, reasons?}) and the expected results: expected.<ext> (the pinned text, byte for
 * byte) and report.json (pinned and unresolved). UPDATE_GOLDEN=1 rewrites the expected
 * files; review the diff before committing.
 */

const root = 'test/fixtures/patch/pin';
const update = process.env.UPDATE_GOLDEN === '1';
const cases = readdirSync(root, {withFileTypes: true}).filter(e => e.isDirectory()).map(e => e.name).sort();

interface CaseFile {
  type: PinFileType;
  digests: Record<string, string>;
  reasons?: Record<string, string>;
}

function load(name: string) {
  const dir = join(root, name);
  const input = readdirSync(dir).find(f => f.startsWith('input.'))!;
  const ext = input.slice('input.'.length);
  const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseFile;
  return {dir, ext, text: readFileSync(join(dir, input), 'utf8'), spec, digests: new Map(Object.entries(spec.digests)), reasons: new Map(Object.entries(spec.reasons ?? {}))};
}

describe('pinReferences golden files', () => {
  it('has the cases it promises', () => {
    expect(cases).toEqual(['compose', 'compose-crlf', 'dockerfile-crlf', 'dockerfile-multi-stage', 'hostile', 'kubernetes']);
  });

  for (const name of cases) {
    describe(name, () => {
      const {dir, ext, text, spec, digests, reasons} = load(name);
      const file = `project/${name}.${ext}`;
      const result = pinReferences(file, spec.type, text, digests, reasons);

      it('matches expected text and report', () => {
        if (!result.ok) throw new Error(`${result.error.line}: ${result.error.message}`);
        const report = JSON.stringify({pinned: result.pinned, unresolved: result.unresolved}, null, 2) + '\n';
        if (update) {
          writeFileSync(join(dir, `expected.${ext}`), result.text);
          writeFileSync(join(dir, 'report.json'), report);
        }
        expect(existsSync(join(dir, `expected.${ext}`))).toBe(true);
        expect(result.text).toBe(readFileSync(join(dir, `expected.${ext}`), 'utf8'));
        expect(report).toBe(readFileSync(join(dir, 'report.json'), 'utf8'));
      });

      it('keeps the line ends and changes only whole references', () => {
        if (!result.ok) throw new Error(result.error.message);
        expect(result.text.split('\n').length).toBe(text.split('\n').length);
        expect((result.text.match(/\r\n/g) ?? []).length).toBe((text.match(/\r\n/g) ?? []).length);
        const before = text.split(/\r?\n/);
        const after = result.text.split(/\r?\n/);
        const pinnedLines = new Set(result.pinned.map(p => p.line));
        before.forEach((line, i) => {
          if (!pinnedLines.has(i + 1)) expect(after[i]).toBe(line);
        });
      });

      it('is idempotent: pinning the result again changes nothing', () => {
        if (!result.ok) throw new Error(result.error.message);
        const again = pinReferences(file, spec.type, result.text, digests, reasons);
        if (!again.ok) throw new Error(again.error.message);
        expect(again.text).toBe(result.text);
        expect(again.pinned).toEqual([]);
        expect(again.unresolved).toEqual(result.unresolved);
      });

      it('leaves the file byte for byte alone when no digest is known', () => {
        const none = pinReferences(file, spec.type, text, new Map());
        if (!none.ok) throw new Error(none.error.message);
        expect(none.text).toBe(text);
        expect(none.pinned).toEqual([]);
      });
    });
  }
});
