import { defineConfig } from 'vitest/config';

// The end-to-end tier: a real VS Code (code-server) in Chromium against the scripted model server.
// One code-server for the whole tier, so the files run one after another in a single worker.
// eslint-disable-next-line no-restricted-exports -- vitest reads its configuration from the default export.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
