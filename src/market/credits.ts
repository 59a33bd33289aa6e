/**
 * A keyed source's plan, kept: Twelve Data's free plan is 8 credits a minute and 800 a day, FRED's
 * API about 120 requests a minute per key (PROVIDERS.md). Every request to such a source takes a
 * credit here first (http.ts); past the plan, or once the source itself says it has run out
 * (Twelve Data's `"code":429 … run out of API credits`, with HTTP 200 or 429), the source is not
 * asked until the next minute (or UTC day): the request fails at once with CreditsOutError, which
 * the chain treats as a failed source, said once per wait, never retried.
 *
 * One budget per market, so per process: the leader does all the fetching (main.ts duties), and a
 * standby fetches nothing. A new leader starts a fresh count, Twelve Data's own refusal then bounds it.
 */
import type { Logger } from '../log.ts';
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

/** A request not made: its source waits for its credits until `until` (ms). */
export class CreditsOutError extends QuoteSourceError {
  readonly until: number;
  constructor(message: string, info: { source: string; symbol: string; until: number }) {
    super(message, { source: info.source, symbol: info.symbol, retryable: false });
    this.name = 'CreditsOutError';
    this.until = info.until;
  }
}

export function isCreditsOut(e: unknown): e is CreditsOutError {
  return e instanceof CreditsOutError;
}

export interface CreditOptions {
  readonly now: () => number;
  readonly log?: Logger;
  /** Told of each credit taken (a request sent): the metrics' goldratio_quote_credits_used_total. */
  readonly onSpend?: (source: string) => void;
}

interface State {
  /** When each credit of the last minute was taken: at most perMinute in any 60 s, however the source counts its minute. */
  readonly taken: number[];
  day: string;
  usedToday: number;
  /** The source's own refusal: not asked before this. */
  outUntil: number;
  /** The end of the wait last said, so each wait is said once. */
  saidUntil: number;
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const nextUtcDay = (ms: number) => (Math.floor(ms / DAY_MS) + 1) * DAY_MS;
const clock = (ms: number) => `${new Date(ms).toISOString().slice(11, 19)} UTC`;

export class CreditBudget {
  private readonly states = new Map<string, State>();

  constructor(
    private readonly plans: Readonly<Record<string, CreditPlan>>,
    private readonly opts: CreditOptions,
  ) {}

  /** Whether `source` is metered here at all. */
  has(source: string): boolean {
    return this.plans[source] !== undefined;
  }

  /** Credits `source` has spent today (UTC), for tests and the log. */
  usedToday(source: string): number {
    const s = this.states.get(source);
    return s === undefined || s.day !== utcDay(this.opts.now()) ? 0 : s.usedToday;
  }

  /** Takes one credit of `source` for a request about to be sent, or throws CreditsOutError saying until when it waits. */
  take(source: string, symbol: string): void {
    const plan = this.plans[source];
    if (plan === undefined) return;
    const now = this.opts.now();
    const s = this.state(source, now);
    let until: number | undefined;
    let why = '';
    if (s.outUntil > now) {
      until = s.outUntil;
      why = 'it said it has run out of API credits';
    } else if (plan.perDay !== undefined && s.usedToday >= plan.perDay) {
      until = nextUtcDay(now);
      why = `its ${plan.perDay} credits of the day are spent (${plan.env.perDay})`;
    } else if (s.taken.length >= plan.perMinute) {
      until = s.taken[0]! + MINUTE_MS;
      why = `its ${plan.perMinute} credits of the minute are spent (${plan.env.perMinute})`;
    }
    if (until !== undefined) {
      const message = `${source} not asked for ${symbol} until ${clock(until)}: ${why}`;
      this.say(s, until, `${source} waits until ${clock(until)}: ${why}; the other sources are asked meanwhile`);
      throw new CreditsOutError(message, { source, symbol, until });
    }
    s.taken.push(now);
    s.usedToday++;
    this.opts.onSpend?.(source);
  }

  /**
   * Reads an answer of `source`: when it says its credits have run out, the source waits until the
   * next minute (60 s on) or UTC day, and the answer becomes a CreditsOutError (never retried).
   */
  check(source: string, symbol: string, res: HttpResponse): void {
    const scope = this.plans[source]?.refusal?.(res);
    if (scope === undefined) return;
    const now = this.opts.now();
    const s = this.state(source, now);
    s.outUntil = Math.max(s.outUntil, scope === 'day' ? nextUtcDay(now) : now + MINUTE_MS);
    const why = `it answered that its API credits of the ${scope} have run out`;
    this.say(s, s.outUntil, `${source} waits until ${clock(s.outUntil)}: ${why}; the other sources are asked meanwhile`);
    throw new CreditsOutError(`${source} not asked for ${symbol} until ${clock(s.outUntil)}: ${why}`, { source, symbol, until: s.outUntil });
  }

  private state(source: string, now: number): State {
    let s = this.states.get(source);
    if (s === undefined) {
      s = { taken: [], day: utcDay(now), usedToday: 0, outUntil: 0, saidUntil: 0 };
      this.states.set(source, s);
    }
    while (s.taken.length > 0 && s.taken[0]! <= now - MINUTE_MS) s.taken.shift();
    if (s.day !== utcDay(now)) {
      s.day = utcDay(now);
      s.usedToday = 0;
    }
    return s;
  }

  /** One line per wait: a wait said is not said again by the requests it turns away. */
  private say(s: State, until: number, line: string): void {
    if (s.saidUntil >= until || (s.saidUntil > this.opts.now() && until - s.saidUntil < MINUTE_MS)) {
      this.opts.log?.debug(line);
      return;
    }
    s.saidUntil = until;
    this.opts.log?.warn(line);
  }
}
