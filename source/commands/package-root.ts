import {readFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** The installed package's root: where templates/ is, from the bundle in dist/ or the sources in source/. */
export async function packageRoot(): Promise<string> {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {name?: string};
      if (pkg.name === 'harden-wizard') return dir;
    } catch {
      // not here; look one level up
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the harden-wizard package root (templates/ is missing)');
}
