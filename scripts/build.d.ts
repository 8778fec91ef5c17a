// Types for build.js, which test/cli/startup.test.ts imports to check what each chunk holds.
import type {BuildOptions} from 'esbuild';

export const buildOptions: BuildOptions;
