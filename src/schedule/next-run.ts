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

/** A cron expression in a zone, read once: its fields, a clock reading its hour and minute, node-cron's matcher. */
interface ParsedCron {
  readonly seconds: boolean;
  readonly hours: readonly number[];
  readonly minutes: readonly number[];
  readonly clock: Intl.DateTimeFormat;
  /** node-cron's own match, from a task never started (its one public matcher), kept while the reading is. */
  readonly task: ReturnType<typeof cron.createTask>;
}

/**
 * The readings of the few expressions a process asks about (the close job's, the digest's, the rechecks'),
 * by expression and zone: nextRunAt is asked on every failure line and every held close's recheck, and
 * reading anew (node-cron's parse and task, an Intl formatter) cost most of its time. Dropped, their
 * tasks destroyed, when more than a few are kept: an expression is a job's, not a reader's.
 */
const PARSED_KEPT = 32;
const parsed = new Map<string, ParsedCron>();

function parsedCron(expression: string, timezone: string): ParsedCron {
  const key = `${expression}\u0000${timezone}`;
  let p = parsed.get(key);
  if (p !== undefined) return p;
  const fields = cron.parse(expression);
  p = {
    seconds: expression.trim().split(/\s+/).length === 6,
    hours: fields.hour,
    minutes: fields.minute,
    clock: new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }),
    task: cron.createTask(expression, () => {}, { timezone }),
  };
  if (parsed.size >= PARSED_KEPT) {
    for (const old of parsed.values()) void old.task.destroy();
    parsed.clear();
  }
  parsed.set(key, p);
  return p;
}

/** The next run strictly after `fromMs` (ms), or undefined when none comes within the horizon. */
export function nextRunAt(job: Pick<JobSpec, 'cron' | 'timezone' | 'when'>, fromMs: number): number | undefined {
  // node-cron's own match decides; the hour and minute read with one formatter first skip the
  // minutes that cannot match (its match reads the zone anew each time, ~0.1 ms).
  const { seconds, hours, minutes, clock, task } = parsedCron(job.cron, job.timezone);
  const step = seconds ? 1000 : 60_000;
  const end = fromMs + (seconds ? SECONDS_HORIZON_MS : HORIZON_MS);
  for (let t = Math.floor(fromMs / step) * step + step; t <= end; ) {
    const d = new Date(t);
    const parts = clock.formatToParts(d);
    const hm = (type: 'hour' | 'minute') => Number(parts.find((x) => x.type === type)?.value);
    const minute = hm('minute');
    // An hour that cannot match: on to the next one (its minute 0, second 0).
    if (!hours.includes(hm('hour'))) t = Math.floor(t / 60_000) * 60_000 + (60 - minute) * 60_000;
    else if (minutes.includes(minute) && task.match(d) && (job.when === undefined || job.when(d))) return t;
    else t += step;
  }
  return undefined;
}

/** `2026-12-07T22:30:00.000Z (in 14 h)`: the time in UTC and how far off it is. */
export function runSaid(atMs: number, nowMs: number): string {
  return `${new Date(atMs).toISOString()} (in ${waitSaid(Math.max(0, atMs - nowMs))})`;
}
