import { defineConfig } from 'vitest/config';

// Database tests open PGlite (~750 MB RSS each); two workers keep a 2-core machine busy without swapping.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'build/**', '.serverless/**', '.esbuild/**'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 180_000,
    env: { LOG_LEVEL: 'SILENT', TILL_SKIP_BUILD: '1' },
  },
});
