import { defineConfig } from 'vitest/config';

/** Tests that compare timings: they run after the others, alone, so another file's load does not fall on one side. */
const TIMED = ['test/e2e/signIn.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/globalSetup.ts'],
    // Two test files at a time: each has its own database and queue prefix, and most of their time is spent waiting
    // on PostgreSQL, Redis and child processes, so two shorten the run even on a 2-core machine (vitest's default there is one).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: TIMED, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'timed', include: TIMED, sequence: { groupOrder: 1 } } },
    ],
  },
});
