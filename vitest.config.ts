import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Slow on purpose: a child SIGKILLed mid-broadcast (alerts-crash), a multi-year backfill through the
 * quote fake (cli-backfill), the essay's evidence on the real history (real-history). Their own
 * project, so `vitest --project fast` is the quick loop; `npm test` runs both.
 */
const SLOW = ['tests/failover.test.ts', 'tests/alerts/crash.test.ts', 'tests/cli/backfill.test.ts', 'tests/domain/real-history.test.ts'];

export default defineConfig({
  test: {
    // Each run gets its own temp folder, and fails if a test leaves anything in it; with a
    // PostgreSQL server, a migrated database for the store's tests to copy.
    globalSetup: ['tests/helpers/temp-root.ts', 'tests/helpers/pg-template.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker less than the cores, which on a 2-core machine runs every file
    // in turn; the slow files mostly wait on a child or a socket, so two workers overlap them.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      // The fast files share their worker's module cache (isolate: false): loading grammY, canvas,
      // Chart.js and SQLite once per worker instead of once per file is most of the run. It holds
      // because no test mocks a module or leaves global state behind; a test that needs a fresh
      // module graph belongs in 'slow'.
      { extends: true, test: { name: 'fast', include: ['tests/**/*.test.ts'], exclude: SLOW, isolate: false } },
      { extends: true, test: { name: 'slow', include: SLOW } },
    ],
  },
});
