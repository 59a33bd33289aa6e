/**
 * A stop that comes while a scheduled job only sleeps before its next try (a source's backoff) ends
 * that job at once: nothing is in flight, so it has nothing to finish, and the stop used to wait out
 * the whole grace ("m2 still running after 2500 ms: aborting"). The real bin, the quote hosts dead
 * (refused at once), a 30 s backoff: the M2 job (no calendar, so any hour will do; the quotes job is
 * the same step in market hours) is caught sleeping, SIGINT, and the stop is judged by its lines, not
 * by a clock: a job that waited for the grace says so ("still running after").
 */
import { afterEach, expect, test } from 'vitest';
import { startBin } from '../helpers/start-bin.ts';
import { sourcesAt } from '../helpers/sources.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A bin start on a loaded machine (the bundle built first, two cores shared) takes seconds, rarely a minute. */
const REACH_MS = 120_000;

test(
  'GIVEN the M2 job sleeping before its next try WHEN SIGINT comes THEN it ends at once, the stop does not wait out its grace, and the bot says stopped',
  async () => {
    const bot = startBin((f) => cleanups.push(f), {
      ...sourcesAt(),
      HTTP_RETRIES: '2',
      HTTP_BACKOFF_MS: '30000',
      // Every second: it runs as soon as the scheduler starts, whatever the hour.
      CRON_M2: '* * * * * *',
      // A grace of 15 s: far more than the job's end takes on a loaded machine, so only a job waited for says "still running after".
      STOP_TIMEOUT_SECONDS: '60',
      LOG_FORMAT: 'pretty',
      LOG_LEVEL: 'debug',
    });
    // The job's first try refused, its sleep begun (the first history sync is at Yahoo's backoff, M2 last in it).
    await bot.waitFor(/m2: started[\s\S]*for M2SL; retry 1\/2 in 30000 ms/, REACH_MS);
    bot.child.kill('SIGINT');
    expect((await bot.exited).code).toBe(0);
    const log = bot.stdout() + bot.stderr();
    expect(log).toMatch(/m2 only waiting to try again: stopped at once/);
    expect(log).not.toMatch(/still running after/);
    expect(log).toMatch(/M2 stopped by the shutdown before anything was stored: m2 not fetched/);
    expect(log.trim().split('\n').at(-1)).toMatch(/INFO: goldratio: stopped$/);
  },
  REACH_MS + 60_000,
);
