/**
 * A keyed source's plan, kept: Twelve Data's free plan is 8 credits a minute and 800 a day, FRED's
 * API about 120 requests a minute per key (PROVIDERS.md). Every request to such a source takes a
 * credit here first (http.ts); past the plan, or once the source itself says it has run out
 * (Twelve Data's `"code":429 … run out of API credits`, with HTTP 200 or 429), the source is not
 * asked until the next minute (or UTC day): the request fails at once with CreditsOutError, which
 * the chain treats as a failed source, said once per wait, never retried. A caller that would
 * rather wait (`goldratio backfill`: `wait`) waits for a minute's credits instead, said once.
 *
 * The count is kept in a ledger: the store's (store/source-credits.ts, one row per source), so every
 * process on one store counts against one plan (a CLI beside the bot on one SQLite file, replicas and
 * a new leader on one PostgreSQL), each take atomic there; or this process's memory (MemoryLedger),
 * for a store no other process can open.
 */
import type { Logger } from '../log.ts';
import { sleep as realSleep } from '../sleep.ts';
import { QuoteSourceError } from './errors.ts';
import type { HttpResponse } from './http.ts';

export const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export type CreditScope = 'minute' | 'day';

export interface CreditPlan {
  readonly perMinute: number;
  /** Undefined: the source has no daily limit (FRED). */
  readonly perDay: number | undefined;
  /** The variables that set it, for the line that says a wait. */
  readonly env: { readonly perMinute: string; readonly perDay?: string };
  /** Whether an answer is the source saying it has run out of credits, and for how long; undefined otherwise. */
  readonly refusal?: (res: HttpResponse) => CreditScope | undefined;
}

/** A request not made: its source waits for its credits until `until` (ms), for the minute's or the day's. */
export class CreditsOutError extends QuoteSourceError {
  readonly until: number;
  readonly scope: CreditScope;
  constructor(message: string, info: { source: string; symbol: string; until: number; scope: CreditScope }) {
    super(message, { source: info.source, symbol: info.symbol, retryable: false });
    this.name = 'CreditsOutError';
    this.until = info.until;
    this.scope = info.scope;
  }
}

export function isCreditsOut(e: unknown): e is CreditsOutError {
  return e instanceof CreditsOutError;
}

/** One source's count, as a ledger keeps it. */
export interface CreditState {
  /** When each credit of the last minute was taken: at most perMinute in any 60 s, however the source counts its minute. */
  taken: number[];
  /** The UTC day `usedToday` counts ('' before the first take). */
  day: string;
  usedToday: number;
  /** The source's own refusal: not asked before this. */
  outUntil: number;
}

/**
 * Where the counts live. `change` reads `source`'s state, lets `step` change it in place and keeps
 * it, as one atomic step: no other take (of this process or another on the same store) lands between.
 * `signal` ends a wait for another process's lock (store/source-credits.ts).
 */
export interface CreditLedger {
  change<T>(source: string, step: (s: CreditState) => T, signal?: AbortSignal): Promise<T>;
}

/** This process's memory: one count per market, for a store no other process opens. */
export class MemoryLedger implements CreditLedger {
  readonly #states = new Map<string, CreditState>();
  change<T>(source: string, step: (s: CreditState) => T): Promise<T> {
    let s = this.#states.get(source);
    if (s === undefined) {
      s = { taken: [], day: '', usedToday: 0, outUntil: 0 };
      this.#states.set(source, s);
    }
    return Promise.resolve(step(s));
  }
}

export interface CreditOptions {
  readonly now: () => number;
  readonly log?: Logger;
  /** Where the counts live; this process's memory by default. */
  readonly ledger?: CreditLedger;
  /** Told of each credit taken (a request sent): the metrics' goldratio_quote_credits_used_total. */
  readonly onSpend?: (source: string) => void;
  /**
   * Wait for the next minute's credits instead of refusing the request (`goldratio backfill`): said
   * once per wait, ended at once by the request's signal. A day's credits spent are refused all the same.
   */
  readonly wait?: boolean;
  /** The wait's sleep (tests pass one that moves their clock); resolves false when `signal` aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<unknown>;
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const nextUtcDay = (ms: number) => (Math.floor(ms / DAY_MS) + 1) * DAY_MS;
const clock = (ms: number) => `${new Date(ms).toISOString().slice(11, 19)} UTC`;
const seconds = (ms: number) => `${Math.max(1, Math.ceil(ms / 1000))} s`;

/** The state as of `now`: credits older than a minute dropped, a new UTC day counted from 0. */
function age(s: CreditState, now: number): void {
  while (s.taken.length > 0 && s.taken[0]! <= now - MINUTE_MS) s.taken.shift();
  const day = utcDay(now);
  if (s.day !== day) {
    s.day = day;
    s.usedToday = 0;
  }
}

type Refusal = { readonly until: number; readonly scope: CreditScope; readonly why: string };

/** Takes one credit of `plan` from `s` at `now`, or says until when none is left, and why. Pure but for `s`. */
export function takeCredit(plan: CreditPlan, s: CreditState, now: number): Refusal | undefined {
  age(s, now);
  if (s.outUntil > now) {
    const scope: CreditScope = s.outUntil - now > MINUTE_MS ? 'day' : 'minute';
    return { until: s.outUntil, scope, why: 'it said it has run out of API credits' };
  }
  if (plan.perDay !== undefined && s.usedToday >= plan.perDay) {
    return { until: nextUtcDay(now), scope: 'day', why: `its ${spent(plan.perDay, 'day')} (${plan.env.perDay})` };
  }
  if (s.taken.length >= plan.perMinute) {
    return { until: s.taken[0]! + MINUTE_MS, scope: 'minute', why: `its ${spent(plan.perMinute, 'minute')} (${plan.env.perMinute})` };
  }
  s.taken.push(now);
  s.usedToday++;
  return undefined;
}

export class CreditBudget {
  private readonly ledger: CreditLedger;
  /** The end of the wait last said, per source, so each wait is said once (per process). */
  private readonly saidUntil = new Map<string, number>();
  /** The sources refused for the rest of the UTC day here, and why: what `goldratio backfill` ends by saying. */
  private readonly dayOut = new Map<string, { readonly until: number; readonly why: string }>();

  constructor(
    private readonly plans: Readonly<Record<string, CreditPlan>>,
    private readonly opts: CreditOptions,
  ) {
    this.ledger = opts.ledger ?? new MemoryLedger();
  }

  /** Whether a minute's refusal is waited out (CreditOptions.wait). */
  get waits(): boolean {
    return this.opts.wait === true;
  }

  /** The sources this budget refused for the rest of the UTC day (their day's credits spent, or so they said), with when they renew. */
  spentForTheDay(): { readonly source: string; readonly until: number; readonly why: string }[] {
    const now = this.opts.now();
    return [...this.dayOut].filter(([, d]) => d.until > now).map(([source, d]) => ({ source, ...d }));
  }

  /** Whether `source` is metered here at all. */
  has(source: string): boolean {
    return this.plans[source] !== undefined;
  }

  /** Credits `source` has spent today (UTC), for tests and the log. */
  usedToday(source: string): Promise<number> {
    const now = this.opts.now();
    return this.ledger.change(source, (s) => {
      age(s, now);
      return s.usedToday;
    });
  }

  /**
   * Takes one credit of `source` for a request about to be sent, or throws CreditsOutError saying
   * until when it waits. With `wait`, a minute's refusal is waited out instead (then taken again).
   */
  async take(source: string, symbol: string, signal?: AbortSignal): Promise<void> {
    const plan = this.plans[source];
    if (plan === undefined) return;
    for (;;) {
      const now = this.opts.now();
      const refused = await this.ledger.change(source, (s) => takeCredit(plan, s, now), signal);
      if (refused === undefined) {
        this.opts.onSpend?.(source);
        return;
      }
      const { until, scope, why } = refused;
      if (this.opts.wait === true && scope === 'minute') {
        this.say(
          source,
          until,
          `${source} waits ${seconds(until - now)}, until ${clock(until)}, before asking for ${symbol}: ${why}; Ctrl-C stops it (what is stored stays)`,
          'info',
        );
        if ((await (this.opts.sleep ?? realSleep)(Math.max(0, until - now), signal)) === false || signal?.aborted === true) {
          throw new QuoteSourceError(`${source} request for ${symbol} was aborted`, { source, symbol, retryable: false, cause: signal?.reason });
        }
        continue;
      }
      if (scope === 'day') this.dayOut.set(source, { until, why });
      const renews = scope === 'day' ? `; it renews at ${clock(until)}` : '';
      this.say(source, until, `${source} waits until ${clock(until)}: ${why}; the other sources are asked meanwhile`, 'warn');
      throw new CreditsOutError(`${source} not asked for ${symbol} until ${clock(until)}: ${why}${renews}`, { source, symbol, until, scope });
    }
  }

  /**
   * Reads an answer of `source`: when it says its credits have run out, the source waits until the
   * next minute (60 s on) or UTC day, and the answer becomes a CreditsOutError (never retried here;
   * a waiting caller's http.ts asks again once the minute is over).
   */
  async check(source: string, symbol: string, res: HttpResponse): Promise<void> {
    const scope = this.plans[source]?.refusal?.(res);
    if (scope === undefined) return;
    const now = this.opts.now();
    const until = await this.ledger.change(source, (s) => {
      s.outUntil = Math.max(s.outUntil, scope === 'day' ? nextUtcDay(now) : now + MINUTE_MS);
      return s.outUntil;
    });
    const why = `it answered that its API credits of the ${scope} have run out`;
    if (scope === 'day') this.dayOut.set(source, { until, why });
    if (this.opts.wait !== true || scope === 'day') {
      this.say(source, until, `${source} waits until ${clock(until)}: ${why}; the other sources are asked meanwhile`, 'warn');
    }
    throw new CreditsOutError(`${source} not asked for ${symbol} until ${clock(until)}: ${why}`, { source, symbol, until, scope });
  }

  /** One line per wait: a wait said is not said again by the requests it turns away. */
  private say(source: string, until: number, line: string, level: 'warn' | 'info'): void {
    const said = this.saidUntil.get(source) ?? 0;
    if (said >= until || (said > this.opts.now() && until - said < MINUTE_MS)) {
      this.opts.log?.debug(line);
      return;
    }
    this.saidUntil.set(source, until);
    this.opts.log?.[level](line);
  }
}

/** "8 credits of the minute are spent", "1 credit of the day is spent": a budget used up, as the log says it. */
const spent = (n: number, scope: CreditScope): string => (n === 1 ? `1 credit of the ${scope} is spent` : `${n} credits of the ${scope} are spent`);
