import {defineConfig} from 'vitest/config';

export default defineConfig({
  define: {HARDEN_VERSION: JSON.stringify('0.0.0-test')},
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 20_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
