/**
 * node-cron jobs that never overlap themselves. Cron only triggers; each job decides with `when`
 * whether this instant is one to work on (trading hours, trading days), so the calendar stays pure
 * and testable. stop() stops every trigger, then waits for the jobs still running.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.ts';
import { RunSignal } from '../run-signal.ts';
import { nextRunAt, runSaid } from './next-run.ts';

export interface JobSpec {
  readonly name: string;
  /** Five fields, or six with seconds. */
  readonly cron: string;
  readonly timezone: string;
  /** Whether to run at this instant (e.g. only while the market is open). Default: always. */
  readonly when?: (now: Date) => boolean;
  run(signal: AbortSignal): Promise<unknown>;
  /**
   * A tick that comes while the job still runs: skipped as ever, but told here (with the running
   * run's signal). The dispatch job's drain() wakes its running drain this way: a webhook receiver
   * taking its WEBHOOK_TIMEOUT_SECONDS keeps the job running, and without it no other hook's retry,
   * no other platform's new row would go until that POST ended.
   */
  readonly overlapped?: (signal: AbortSignal) => void;
}

export type TriggerOutcome = 'ran' | 'failed' | 'skipped-overlap' | 'skipped-calendar' | 'skipped-stopped';

export interface Scheduler {
  start(): void;
  /** Runs a job now, as a tick would (same overlap and calendar rules unless `force`). */
  trigger(name: string, opts?: { now?: Date; force?: boolean }): Promise<TriggerOutcome>;
  /**
   * Stops the triggers and waits for running jobs; after `graceMs` their signal is aborted (they should wrap up).
   * A job only sleeping before its next attempt (run-signal.ts) has it aborted at once: it has nothing to finish.
   */
  stop(graceMs?: number): Promise<void>;
  running(): string[];
}

export class ScheduleConfigError extends Error {}

export function createScheduler(jobs: readonly JobSpec[], log: Logger): Scheduler {
  for (const j of jobs) {
    if (!cron.validate(j.cron)) throw new ScheduleConfigError(`schedule for ${j.name} is not a valid cron expression: "${j.cron}"`);
  }
  const inFlight = new Map<string, { readonly done: Promise<TriggerOutcome>; readonly run: RunSignal }>();
  const tasks: ScheduledTask[] = [];
  let stopped = false;

  async function trigger(name: string, opts: { now?: Date; force?: boolean } = {}): Promise<TriggerOutcome> {
    const job = jobs.find((j) => j.name === name);
    if (job === undefined) throw new Error(`no job named ${name}`);
    if (stopped) return 'skipped-stopped';
    const running = inFlight.get(name);
    if (running !== undefined) {
      log.debug(`${name}: previous run still going, tick skipped`);
      job.overlapped?.(running.run.signal);
      return 'skipped-overlap';
    }
    if (opts.force !== true && job.when !== undefined && !job.when(opts.now ?? new Date())) return 'skipped-calendar';
    const run = new RunSignal();
    const p = (async (): Promise<TriggerOutcome> => {
      const t0 = Date.now();
      try {
        log.debug(`${name}: started`);
        await job.run(run.signal);
        log.debug(`${name}: done in ${Date.now() - t0} ms`);
        return 'ran';
      } catch (e) {
        // A failed run is logged and retried at the next tick, which the line names; it never stops the scheduler.
        const next = nextRunAt(job, Date.now());
        log.error(
          `${name}: failed: ${(e as Error).message}; ${next === undefined ? 'no run is due in the next two weeks' : `next run at ${runSaid(next, Date.now())}`}`,
        );
        return 'failed';
      } finally {
        inFlight.delete(name);
      }
    })();
    inFlight.set(name, { done: p, run });
    return p;
  }

  return {
    start() {
      for (const j of jobs) {
        // node-cron's own lines (coloured, on the console) go through our logger instead: one JSON log.
        const said = (m: string | Error) => `${j.name}: node-cron: ${m instanceof Error ? m.message : m}`;
        const task = cron.schedule(
          j.cron,
          () => {
            void trigger(j.name);
          },
          {
            name: j.name,
            timezone: j.timezone,
            logger: { info: (m) => log.info(said(m)), warn: (m) => log.warn(said(m)), error: (m) => log.error(said(m)), debug: (m) => log.debug(said(m)) },
          },
        );
        // A run missed while the event loop was busy (a long SQLite lock wait, a huge import) runs as
        // soon as it is free, judged by the calendar at its own time: a daily job's one run would
        // otherwise come a day late (the day's close, its alerts and digest with it). Said at most
        // once a minute per job (a per-second job misses many); the runs never overlap (trigger).
        let missedSaid = 0;
        task.on('execution:missed', (ctx) => {
          if (Date.now() - missedSaid >= 60_000) {
            missedSaid = Date.now();
            log.warn(`${j.name}: missed its run at ${ctx.date.toISOString()} (the process was busy); running it now`);
          }
          void trigger(j.name, { now: ctx.date });
        });
        tasks.push(task);
      }
      log.info(`scheduler started: ${jobs.map((j) => `${j.name} "${j.cron}" ${j.timezone}`).join('; ')}`);
    },
    trigger,
    async stop(graceMs = 30_000) {
      stopped = true;
      await Promise.all(tasks.map((t) => t.destroy()));
      const running = [...inFlight];
      if (running.length === 0) return;
      // Sleeping before another try (a source's backoff): ended now, not waited for for the grace.
      const ended = running.filter(([, r]) => r.run.stop()).map(([name]) => name);
      if (ended.length > 0) log.info(`${ended.join(', ')} only waiting to try again: stopped at once`);
      const waiting = running.map(([name]) => name).filter((name) => !ended.includes(name));
      if (waiting.length > 0) log.info(`waiting for ${waiting.join(', ')} to finish`);
      let timer: NodeJS.Timeout | undefined;
      const all = Promise.all(running.map(([, r]) => r.done));
      const graceOver = new Promise<'grace'>((resolve) => {
        timer = setTimeout(() => resolve('grace'), graceMs);
      });
      if ((await Promise.race([all, graceOver])) === 'grace') {
        log.warn(`${[...inFlight.keys()].join(', ')} still running after ${graceMs} ms: aborting`);
        for (const [, r] of running) r.run.abort();
        await all;
      }
      clearTimeout(timer);
    },
    running: () => [...inFlight.keys()],
  };
}
