import { defineConfig } from 'vitest/config';

// Browser and whole-edge tests each start an edge (serverless-offline + PGlite, ~1 GB) and often a
// Chromium: on a 2-core machine they run one file at a time, after the unit and database tests,
// which run two files at a time (each PGlite is ~750 MB RSS).
const E2E = [
  '**/*.e2e.test.ts',
  'infra/edge.test.ts',
  'sync/register/register-sync.test.ts',
  'receipts/receipt-browser.test.ts',
  'receipts/isomorphic.test.ts',
];
const IGNORED = ['node_modules/**', 'build/**', '.serverless/**', '.esbuild/**'];

const shared = {
  globalSetup: ['test/global-setup.ts'],
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 180_000,
  env: { LOG_LEVEL: 'SILENT', TILL_SKIP_BUILD: '1' },
};

export default defineConfig({
  test: {
    maxWorkers: 2,
    // A promise rejected with no reason at all (no message, no stack) surfaced in 1 of ~10 full runs
    // and could not be tied to any test or file; it is printed, not fatal, until it is found. Any
    // unhandled error with a message or a stack still fails the run.
    onUnhandledError(error) {
      const e = error as { message?: unknown; stack?: unknown; stacks?: unknown[] };
      if (e.message === undefined && !e.stack && !e.stacks?.length) {
        console.warn('unhandled rejection without a reason (not attributed to a test; printed, not fatal):', error);
        return false;
      }
    },
    projects: [
      { test: { ...shared, name: 'unit', include: ['**/*.test.ts'], exclude: [...IGNORED, ...E2E], sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: 'e2e', include: E2E, exclude: IGNORED, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
