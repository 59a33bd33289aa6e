/**
 * The re-check of a held move. A close (or a live price) moved beyond MAX_MOVE_PCT is held
 * (domain/acceptance.ts) and confirmed only by another source, or by its own source repeating it
 * HOLD_CONFIRM_MINUTES after the hold. Without a Twelve Data or FRED key the S&P 500 and QQQ have one
 * source, and with one a second source that lacked the day at the close run (its bar not out yet) or
 * was down has nothing to say until asked again; the close job runs once a day: a real crash close
 * waited for the next day's run, a level break heard of a day late.
 *
 * So the held instrument's closes are synced again HOLD_CONFIRM_MINUTES after its hold, then, while
 * it is still held and nothing decided it, at twice, four times, … that span after the hold, until
 * the first close run after it (the regular check; each hold written anew starts its own re-checks).
 * Each re-check asks the other sources again, as any sync does: a real crash is stored and alerted
 * half an hour on, by them or by the repeat; a one-off bad print is refused by another source or by
 * the repeat. A second source's word needs no waiting, but it was asked at the hold already, and
 * the live price's rule is the same span (docs/architecture.md, "the two holds").
 *
 * The job looks at the stored holds every minute, on the leader only (the schedule runs there): what
 * is due comes from `held_at` in the database, so a restart or the next leader after a failover
 * re-checks what is due. This process's memory only keeps one re-check from being done twice.
 */
import { confirms } from '../domain/acceptance.ts';
import type { InstrumentId } from '../domain/instruments.ts';
import { inRegularHours, tradingDate } from '../domain/nyse-calendar.ts';
import type { JobDeps } from './jobs.ts';
import { nextRunAt, runSaid } from './next-run.ts';
import type { JobSpec } from './scheduler.ts';

/** The instruments with daily closes (M2 is monthly: its holds wait for its own runs). */
const DAILY: readonly InstrumentId[] = ['spx', 'qqq', 'gold'];
/** HOLD_CONFIRM_MINUTES=0 (any later fetch confirms): the first re-check a minute after the hold. */
const MIN_SPAN_MS = 60_000;
/** A hold with no close run in the next two weeks (CRON_CLOSE never matching) is re-checked for this long. */
const NO_RUN_MS = 14 * 86_400_000;

/** One re-check of a hold: the k-th, at `at` (ms). */
export interface Slot {
  readonly k: number;
  readonly at: number;
}

/**
 * The re-checks of a hold written at `heldAtMs`: at span·2^k after it (k = 0, 1, …), those before
 * `untilMs` (the close run after the hold). `due`: the latest one at or before `nowMs`; `next`: the
 * one after it.
 */
export function recheckSlots(heldAtMs: number, spanMs: number, nowMs: number, untilMs: number): { due?: Slot; next?: Slot } {
  const span = Math.max(spanMs, MIN_SPAN_MS);
  let due: Slot | undefined;
  for (let k = 0; ; k++) {
    const at = heldAtMs + span * 2 ** k;
    if (at >= untilMs) return due === undefined ? {} : { due };
    if (at > nowMs) return { ...(due === undefined ? {} : { due }), next: { k, at } };
    due = { k, at };
  }
}

interface Hold {
  readonly instrument: InstrumentId;
  readonly date: string;
  readonly price: number;
  readonly source: string;
  readonly heldAt: string;
}

const keyOf = (h: Hold) => `${h.instrument} ${h.date} ${h.heldAt}`;
const named = (h: Hold) => `${h.instrument} ${h.date} held at ${h.price} (${h.source}, ${h.heldAt})`;

/**
 * The re-check job. `decide` is the close job's second half: level breaks decided on what is
 * stored, and sent; `close` is the close job's schedule, whose next run after a hold ends its re-checks.
 */
export function recheckJob(deps: JobDeps, decide: (signal?: AbortSignal) => Promise<void>, close: Pick<JobSpec, 'cron' | 'timezone' | 'when'>): JobSpec {
  const { config, log, now, market, quotes } = deps;
  const span = Math.max(config.holdConfirmMs, MIN_SPAN_MS);
  // Per hold (instrument, day, held_at): the close run after it, and the last re-check done here.
  const known = new Map<string, { until: number; done: number }>();
  let unread = false;
  const nextSaid = (h: Hold, until: number, nowMs: number): string => {
    const { next } = recheckSlots(Date.parse(h.heldAt), span, nowMs, until);
    return next !== undefined ? `re-checked again at ${runSaid(next.at, nowMs)}` : `the close run at ${runSaid(until, nowMs)} checks it again`;
  };

  async function run(signal: AbortSignal): Promise<void> {
    const nowMs = now();
    const holds: Hold[] = [];
    try {
      for (const instrument of DAILY) for (const h of await quotes.heldQuotes(instrument)) holds.push({ instrument, ...h });
    } catch (e) {
      // The database unreachable: said once (the dispatch and the chats say it too), read again each minute.
      log[unread ? 'debug' : 'warn'](`re-check: the held moves could not be read (${(e as Error).message}); read again every minute`);
      unread = true;
      return;
    }
    unread = false;
    const present = new Set(holds.map(keyOf));
    for (const key of known.keys()) if (!present.has(key)) known.delete(key);
    const due: Hold[] = [];
    for (const h of holds) {
      const heldAtMs = Date.parse(h.heldAt);
      let k = known.get(keyOf(h));
      if (k === undefined) {
        k = { until: nextRunAt(close, heldAtMs) ?? heldAtMs + NO_RUN_MS, done: -1 };
        known.set(keyOf(h), k);
        const first = recheckSlots(heldAtMs, span, heldAtMs, k.until).next;
        const overdue = first !== undefined && first.at <= nowMs;
        log.info(
          `${named(h)}: ${
            first === undefined
              ? `the close run at ${runSaid(k.until, nowMs)} checks it again, before HOLD_CONFIRM_MINUTES after the hold`
              : overdue
                ? `its re-check was due at ${new Date(first.at).toISOString()} (HOLD_CONFIRM_MINUTES after the hold): re-checked now`
                : `re-checked HOLD_CONFIRM_MINUTES after the hold, at ${runSaid(first.at, nowMs)}, then while still held at doubling spans until the close run at ${new Date(k.until).toISOString()}`
          }`,
        );
      }
      const slot = recheckSlots(heldAtMs, span, nowMs, k.until).due;
      if (slot === undefined || slot.k <= k.done) continue;
      k.done = slot.k;
      // A live price of today's session: the quotes job fetches it again every run (this job, once the session is over).
      if (h.date === tradingDate(nowMs) && inRegularHours(new Date(nowMs))) {
        log.debug(`${named(h)}: in the session, the quotes job re-checks it`);
        continue;
      }
      due.push(h);
    }
    if (due.length === 0) return;

    const instruments = [...new Set(due.map((h) => h.instrument))];
    const report = await market.recheck(instruments, signal);
    // Cut short by the shutdown: the holds are as they were, and the next start (or leader) re-checks them.
    if (signal.aborted) {
      log.info(`re-check of ${instruments.join(', ')} stopped by the shutdown: the next start re-checks what is still held`);
      return;
    }
    for (const h of due) {
      const after = (await quotes.heldQuotes(h.instrument)).find((x) => x.date === h.date);
      const sync = report.instruments.find((i) => i.instrument === h.instrument);
      const until = known.get(keyOf(h))?.until ?? nowMs;
      let decided: string;
      if (after === undefined) {
        const close = (await quotes.closes(h.instrument, h.date, h.date))[0];
        decided =
          close === undefined
            ? 'refused, no close stored for the day'
            : confirms(h.price, close.value)
              ? `confirmed, ${close.value} stored`
              : `refused, ${close.value} stored instead`;
      } else if (after.heldAt !== h.heldAt || after.price !== h.price) {
        decided = `held again at ${after.price} (${after.source}): its re-checks start anew`;
      } else if (sync !== undefined && !sync.ok) {
        decided = `not fetched (${sync.errors.join('; ')}): still held, ${nextSaid(h, until, nowMs)}`;
      } else decided = `still held, ${nextSaid(h, until, nowMs)}`;
      log.info(`re-check of ${named(h)}: ${decided}`);
    }
    // What a confirmed crash breaks goes out now, as after the close run (nothing stored: nothing to decide).
    if (report.instruments.some((i) => i.inserted + i.updated > 0 || i.filled !== undefined)) await decide(signal);
  }

  return { name: 'recheck', cron: '* * * * *', timezone: 'UTC', run };
}
