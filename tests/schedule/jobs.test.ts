/** Which cron runs which step, and on which days (src/schedule/jobs.ts). The steps themselves run in main.test.ts. */
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { scheduledJobs, type JobDeps, type Steps } from '../../src/schedule/jobs.ts';

const config = loadConfig({});
const ran: string[] = [];
const steps: Steps = {
  close: async () => void ran.push('close'),
  intraday: async () => void ran.push('intraday'),
  m2: async () => void ran.push('m2'),
  retention: async () => void ran.push('retention'),
  decide: async () => void ran.push('decide'),
};
// The table only reads the config; the market and dispatcher are reached through the steps or at run time.
const jobs = scheduledJobs({ config } as JobDeps, steps);
const job = (name: string) => jobs.find((j) => j.name === name)!;

describe('scheduled jobs', () => {
  test('GIVEN the default config THEN each job has its cron from config, in New York time', () => {
    expect(jobs.map((j) => [j.name, j.cron, j.timezone])).toEqual([
      ['quotes', config.cron.quotes, 'America/New_York'],
      ['gold', config.cron.gold, 'America/New_York'],
      ['close', config.cron.close, 'America/New_York'],
      // Looks at the stored holds each minute; re-checks one HOLD_CONFIRM_MINUTES after it (recheck.test.ts).
      ['recheck', '* * * * *', 'UTC'],
      ['m2', config.cron.m2, 'America/New_York'],
      ['dispatch', config.cron.dispatch, 'America/New_York'],
      ['retention', config.cron.retention, 'America/New_York'],
    ]);
  });

  test.each([
    ['close', '2026-11-23T21:30:00Z', true, 'a Monday after the close'],
    ['close', '2026-11-26T21:30:00Z', false, 'Thanksgiving'],
    ['close', '2026-11-28T21:30:00Z', false, 'a Saturday'],
    ['gold', '2026-11-26T15:00:00Z', true, 'gold trades on Thanksgiving'],
    ['gold', '2026-11-29T15:00:00Z', false, 'a Sunday'],
    ['quotes', '2026-11-23T15:00:00Z', true, 'a Monday in session'],
    ['quotes', '2026-11-23T22:00:00Z', false, 'after the session'],
  ])('GIVEN the %s job at %s THEN it works: %s (%s)', (name, instant, works) => {
    expect(job(name).when!(new Date(instant))).toBe(works);
  });

  test('GIVEN the close, quotes and m2 jobs run THEN each runs its step', async () => {
    ran.length = 0;
    const signal = new AbortController().signal;
    for (const name of ['close', 'quotes', 'm2']) await job(name).run(signal);
    expect(ran).toEqual(['close', 'intraday', 'm2']);
  });
});
