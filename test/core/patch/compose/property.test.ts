import fc from 'fast-check';
import {isDeepStrictEqual} from 'node:util';
import {describe, expect, it} from 'vitest';
import {parseDocument} from 'yaml';
import type {PlannedChange} from '../../../../source/core/model/plan.js';
import {parseCompose} from '../../../../source/core/parse/compose.js';
import {patchCompose} from '../../../../source/core/patch/compose/index.js';
import {canonicalPath} from '../../../../source/core/paths.js';
import {changesFor, fileSpec, render, serviceNames} from './generate.js';

const owned = new Set(['read_only', 'tmpfs', 'volumes', 'security_opt', 'cap_drop', 'user']);

function js(text: string): Record<string, unknown> {
  const doc = parseDocument(text, {merge: true});
  expect(doc.errors).toEqual([]);
  return (doc.toJS() ?? {}) as Record<string, unknown>;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** True when the parsed service shows the change in effect. */
function inEffect(service: ReturnType<typeof parseCompose>['facts'] extends infer F ? F extends {services: Array<infer S>} ? S : never : never, change: PlannedChange): boolean {
  switch (change.kind) {
    case 'read-only': return service.readOnly?.value === true;
    case 'writable': return service.mounts.some(m => canonicalPath(m.target) === canonicalPath(change.mount.path));
    case 'cap-drop-all': return service.capDrop.some(c => c.value.toUpperCase() === 'ALL');
    case 'mount-read-only': return !service.mounts.some(m => m.kind === 'bind' && !m.readOnly && canonicalPath(m.target) === canonicalPath(change.target));
    default: return true;
  }
}

const cases = fileSpec.chain(spec => fc.tuple(fc.constant(spec), changesFor(spec)));

describe('patchCompose on generated compose files', () => {
  it('keeps the file valid, its services, comments and other keys, and is idempotent', () => {
    fc.assert(
      fc.property(cases, ([spec, changes]) => {
        const input = render(spec);
        const out = patchCompose('compose.yaml', input, changes);
        if (!out.ok) throw new Error(`${out.error.line}: ${out.error.message}\n${input}`);
        const output = out.result.text;

        const [before, after] = [js(input), js(output)];
        expect(Object.keys(record(after.services)).sort()).toEqual(serviceNames(spec).sort());
        for (const comment of input.match(/# c\d+/g) ?? []) expect(output).toContain(comment);
        for (const key of Object.keys(before)) expect(after).toHaveProperty([key]);
        for (const [name, was] of Object.entries(record(before.services))) {
          const is = record(record(after.services)[name]);
          for (const [key, value] of Object.entries(record(was))) {
            expect(is).toHaveProperty([key]);
            if (!owned.has(key)) expect(isDeepStrictEqual(is[key], value), `${name}.${key}`).toBe(true);
          }
        }

        // Line endings as the input's, and no final newline added.
        if (spec.crlf) expect(output.replaceAll('\r\n', '')).not.toContain('\n');
        else expect(output).not.toContain('\r');
        expect(output.endsWith('\n')).toBe(spec.finalNewline);

        // What was not skipped is in effect, as the audit reads it.
        const facts = parseCompose('compose.yaml', output).facts!;
        for (const [name, list] of changes) {
          const service = facts.services.find(s => s.name === name);
          for (const change of list) {
            const skipped = out.result.skipped.some(s => s.service === name && s.rule === change.rule);
            if (service && !skipped) expect(inEffect(service, change), `${name} ${change.kind}\n${output}`).toBe(true);
          }
        }

        const again = patchCompose('compose.yaml', output, changes);
        expect(again.ok && again.result.text).toBe(output);
      }),
      {numRuns: Number(process.env.FC_RUNS ?? 300)},
    );
  }, 600_000);

  it('changes nothing without changes', () => {
    fc.assert(
      fc.property(fileSpec, spec => {
        const input = render(spec);
        const out = patchCompose('compose.yaml', input, new Map());
        expect(out.ok && out.result.text).toBe(input);
      }),
    );
  });
});
