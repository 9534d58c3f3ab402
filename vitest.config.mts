import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/support/globalSetup.ts'],
    // Removes the folders test/support/fixtures.ts tempDir() made, after each test file.
    setupFiles: ['test/support/cleanup.ts'],
  },
});
