import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {defineConfig} from 'vitest/config';

export default defineConfig({
  define: {HARDEN_VERSION: JSON.stringify('0.0.0-test')},
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 20_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Backups of files outside a project (daemon.json) go to the user's state folder: never the real one in tests.
    env: {HARDEN_STATE_DIR: join(tmpdir(), 'harden-test-state')},
  },
});
