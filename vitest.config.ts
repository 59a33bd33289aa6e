import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that mostly wait (on real processes, a broadcast's pace, a lease running out): they start
 * first, so that the rest of the suite runs beside them instead of after them. Longest first.
 */
const WAITING = [
  'tests/failover.test.ts',
  'tests/leader-token-refused.test.ts',
  'tests/bad-input-processes.test.ts',
  'tests/cli/backfill.test.ts',
  'tests/store/sqlite-lock.test.ts',
  'tests/platforms/startup.test.ts',
  'tests/bin/bundle.test.ts',
  'tests/pg-silent-bot.test.ts',
  'tests/cli/postgres-wait.test.ts',
  'tests/alerts/crash.test.ts',
  'tests/cli/start.test.ts',
];

class WaitingFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = WAITING.findIndex((w) => f.moduleId.endsWith(w));
      return i < 0 ? WAITING.length : i;
    };
    const sorted = await super.sort(files);
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Each run gets its own temp folder, and fails if a test leaves anything in it; the bin's
    // bundle, built before the first test spawns a bin; with a PostgreSQL server, a migrated
    // database for the store's tests to copy.
    globalSetup: ['tests/helpers/temp-root.ts', 'tests/helpers/bin-bundle.ts', 'tests/helpers/pg-template.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two workers more than the cores: the files that wait (above) hold a worker each while using
    // little CPU, and the others keep the cores busy beside them. On 2 cores, with PostgreSQL, the
    // run's wall time is about 0.70 of its user CPU with 4 workers, 0.76 with 3 (docs/ci.md).
    maxWorkers: availableParallelism() + 2,
    // Files share their worker's module cache: loading grammY, canvas, Chart.js and SQLite once per
    // worker instead of once per file is most of the run. It holds because no test mocks a module
    // or leaves global state behind.
    isolate: false,
    // A young generation of 64 MB instead of V8's 16: the tests allocate fast (charts, rows,
    // requests) and most of it dies young; with the default, scavenges were 7% of the workers'
    // time, and the whole run took 6-8 s more CPU (docs/ci.md).
    // The collector on each worker's own thread: V8 otherwise scavenges and marks with helper
    // threads and sweeps beside the test, which on two cores already shared by four workers (and
    // the processes the tests start) is more CPU in all for the same work. A small gain: tests/chat
    // and tests/domain took 4-12 % less CPU with it, the files that mostly wait the same, the whole
    // suite 1-2 % less (docs/ci.md, speed25). The tests' own processes (the bin, the children they
    // spawn) run with V8's defaults, as a user's do.
    execArgv: ['--max-semi-space-size=64', '--single-threaded-gc'],
    sequence: { sequencer: WaitingFirst },
    // The transformed sources kept in node_modules/.experimental-vitest-cache (keyed by their
    // content and the config): a second run on the same install skips most of the transform.
    experimental: { fsModuleCache: true },
  },
});
