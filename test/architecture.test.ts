import {readdir, readFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {describe, expect, it} from 'vitest';

// The core is pure (STYLE.md): no terminal, engine, file system or processes.
// gemini-cli enforces its core/cli split with lint rules; this test does the same job.
const forbidden = [/^ink/, /^react/, /^dockerode$/, /^execa$/, /^node:fs/, /^fs(\/|$)/, /^node:child_process$/, /^child_process$/, /^node:net$/, /^node:os$/];

/** `../runtime/x` from source/core/rules is source/core/runtime: still the core. */
function resolvesInsideCore(file: string, specifier: string): boolean {
  return join(dirname(file), specifier).startsWith(join('source', 'core'));
}

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, {withFileTypes: true, recursive: true});
  return entries.filter(e => e.isFile() && /\.tsx?$/.test(e.name)).map(e => join(e.parentPath, e.name));
}

describe('source/core', () => {
  it('imports nothing with side effects', async () => {
    const offenders: string[] = [];
    for (const file of await sources('source/core')) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const specifier = match[1] ?? match[2]!;
        if (forbidden.some(pattern => pattern.test(specifier))) offenders.push(`${file}: ${specifier}`);
        if (/^(\.\.\/)+(runtime|commands|app)\//.test(specifier) && !resolvesInsideCore(file, specifier) && !/import type|export type/.test(match[0])) offenders.push(`${file}: ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
