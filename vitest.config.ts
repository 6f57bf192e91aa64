import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests that spawn servers or chains share two cores in CI; forks isolate native modules.
    pool: 'forks',
    reporters: ['default'],
  },
});
