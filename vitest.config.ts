import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    // Two test files at a time: each has its own database and queue prefix, and most of their time is spent waiting
    // on PostgreSQL, Redis and child processes, so two shorten the run even on a 2-core machine (vitest's default there is one).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
