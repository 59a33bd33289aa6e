/**
 * When a job next runs, as the scheduler would run it: the next instant its cron matches (in its
 * timezone) that its calendar gate (`when`) lets through. A failure line names it (on a Sunday at
 * 3 a.m. in New York: "will retry at the next close run, 2026-12-07T22:30:00.000Z (in 38.5 h)"):
 * "at the next run" alone does not tell an operator whether that is in a minute or on Monday.
 */
import cron from 'node-cron';
import { waitSaid } from '../domain/retry-span.ts';
import type { JobSpec } from './scheduler.ts';

/** A daily job's gate can skip a long weekend and a holiday; two weeks of minutes is ample. */
const HORIZON_MS = 14 * 86_400_000;
/** A six-field (per-second) cron runs within the hour if at all. */
const SECONDS_HORIZON_MS = 3_600_000;

/**
 * What a (cron, timezone) is read with, made once per process: node-cron's fields and its matcher
 * (a task destroyed at once, so it is in no registry and never runs: only its `match` is asked),
 * and a formatter of the zone's hour and minute. Making them costs ~0.3 ms (parsing the expression
 * twice, a task, a formatter), more than the walk below; a keyed source's day of failures names
 * the next run thousands of times (docs/ci.md, speed20).
 */
interface Reader {
  readonly fields: ReturnType<typeof cron.parse>;
  readonly match: (d: Date) => boolean;
  readonly clock: Intl.DateTimeFormat;
}
const readers = new Map<string, Reader>();

function readerOf(expression: string, timezone: string): Reader {
  const key = `${timezone} ${expression}`;
  let r = readers.get(key);
  if (r === undefined) {
    const fields = cron.parse(expression);
    const task = cron.createTask(expression, () => {}, { timezone });
    void task.destroy();
    const clock = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    r = { fields, match: (d) => task.match(d), clock };
    readers.set(key, r);
  }
  return r;
}

/** The next run strictly after `fromMs` (ms), or undefined when none comes within the horizon. */
export function nextRunAt(job: Pick<JobSpec, 'cron' | 'timezone' | 'when'>, fromMs: number): number | undefined {
  const seconds = job.cron.trim().split(/\s+/).length === 6;
  const step = seconds ? 1000 : 60_000;
  // node-cron's own match decides; the hour and minute read with one formatter first skip the
  // minutes that cannot match (its match reads the zone anew each time, ~0.1 ms).
  const { fields, match, clock } = readerOf(job.cron, job.timezone);
  const end = fromMs + (seconds ? SECONDS_HORIZON_MS : HORIZON_MS);
  for (let t = Math.floor(fromMs / step) * step + step; t <= end; ) {
    const d = new Date(t);
    const parts = clock.formatToParts(d);
    const hm = (type: 'hour' | 'minute') => Number(parts.find((x) => x.type === type)?.value);
    const minute = hm('minute');
    // An hour that cannot match: on to the next one (its minute 0, second 0). A minute that cannot
    // (of a cron without seconds): on to the hour's next one that can, or the next hour.
    if (!fields.hour.includes(hm('hour'))) t = Math.floor(t / 60_000) * 60_000 + (60 - minute) * 60_000;
    else if (!fields.minute.includes(minute)) t = seconds ? t + step : t + (Math.min(60, ...fields.minute.filter((m) => m > minute)) - minute) * 60_000;
    else if (match(d) && (job.when === undefined || job.when(d))) return t;
    else t += step;
  }
  return undefined;
}

/** `2026-12-07T22:30:00.000Z (in 14 h)`: the time in UTC and how far off it is. */
export function runSaid(atMs: number, nowMs: number): string {
  return `${new Date(atMs).toISOString()} (in ${waitSaid(Math.max(0, atMs - nowMs))})`;
}
