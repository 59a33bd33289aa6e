/**
 * The latest (intraday) quote of one instrument: fetched with failover, judged by the acceptance
 * policy (domain/acceptance.ts), then stored, held until confirmed (a second source is asked at
 * once), or refused.
 */
import { confirms, movePct, validateQuote, type SecondOpinion } from '../domain/acceptance.ts';
import { tradingDate } from '../domain/nyse-calendar.ts';
import { INSTRUMENT_INFO, type InstrumentId } from '../domain/instruments.ts';
import type { Quote } from '../domain/ratio.ts';
import type { Logger } from '../log.ts';
import type { LastClose, QuoteStore, StoredQuote } from '../store/quotes.ts';
import { isCreditsOut } from './credits.ts';
import { withFailover, type SourceChains } from './failover.ts';

export interface LatestResult {
  readonly instrument: InstrumentId;
  readonly status: 'stored' | 'held' | 'rejected' | 'failed' | 'unsupported';
  readonly quote: Quote | undefined;
  readonly error: string | undefined;
}

export interface LatestReport {
  readonly ok: boolean;
  readonly quotes: readonly LatestResult[];
}

export interface LatestDeps {
  readonly chains: SourceChains;
  readonly store: QuoteStore;
  readonly log: Logger;
  readonly now: () => number;
  readonly maxMovePct: number;
  /** HOLD_CONFIRM_MINUTES in ms (domain/acceptance.ts repeatTooSoon). */
  readonly confirmAfterMs?: number;
}

export async function fetchLatestQuote(deps: LatestDeps, instrument: InstrumentId, signal?: AbortSignal): Promise<LatestResult> {
  const { chains, store, log, now } = deps;
  const sources = chains[instrument].filter((s) => s.latest !== undefined);
  if (INSTRUMENT_INFO[instrument].frequency === 'monthly') return { instrument, status: 'unsupported', quote: undefined, error: undefined };
  const result = await withFailover(instrument, sources, (s) => s.latest!(instrument, signal), log, signal);
  if (!result.ok) return { instrument, status: 'failed', quote: undefined, error: result.failures.map((f) => f.error).join('; ') || 'aborted' };
  const q = result.value;
  const day = tradingDate(q.asOf);
  const previous = lastPrice(await store.latestQuote(instrument), await store.lastClose(instrument));
  const hold = (await store.heldQuotes(instrument)).find((h) => h.date === day);
  const heldPrice = hold?.price;
  const ctx = {
    instrument,
    nowMs: now(),
    previous,
    held: heldPrice,
    ...(hold === undefined ? {} : { heldAt: Date.parse(hold.heldAt) }),
    maxMovePct: deps.maxMovePct,
    confirmAfterMs: deps.confirmAfterMs ?? 0,
  };
  let verdict = validateQuote(q, ctx);
  // A move beyond MAX_MOVE_PCT, held or confirmed by its source repeating it: the other sources are
  // asked (their latest price stands for the same trading day), and it is judged again with theirs.
  if (verdict.kind !== 'reject' && previous !== undefined && movePct(previous, q.price) > deps.maxMovePct) {
    const others: SecondOpinion[] = [];
    for (const other of sources.filter((s) => s !== result.source)) {
      try {
        const second = await other.latest!(instrument, signal);
        others.push({ price: second.price, source: other.name });
        if (confirms(q.price, second.price)) {
          log.info(`${instrument} ${q.price} from ${q.source} confirmed by ${other.name} (${second.price})`);
          break;
        }
      } catch (e) {
        log[isCreditsOut(e) ? 'debug' : 'warn'](`could not confirm ${instrument} with ${other.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    verdict = validateQuote(q, { ...ctx, others });
  }
  switch (verdict.kind) {
    case 'accept':
      if (heldPrice === undefined) await store.setLatestQuote(instrument, q);
      else await store.acceptLatest(instrument, q, day);
      return { instrument, status: 'stored', quote: q, error: undefined };
    case 'hold':
      // A repeat seen too soon, or a move gone on the same way, keeps the hold's first time: a later repeat is measured from it.
      await store.holdQuote(instrument, day, q.price, q.source, new Date(verdict.since ?? now()));
      // Said once per hold: the quotes job fetches every few minutes, and a hold already said is no news (debug).
      if (hold === undefined) log.warn(verdict.reason);
      else log.debug(verdict.reason);
      return { instrument, status: 'held', quote: q, error: verdict.reason };
    case 'reject':
      log.warn(`${verdict.reason}; not stored`);
      return { instrument, status: 'rejected', quote: q, error: verdict.reason };
  }
}

/**
 * The price a live quote is weighed against: the stored live price, unless a close of its trading
 * day or later was stored since (a crash close confirmed after the last live price: the next live
 * price at the new level is no move from it).
 */
function lastPrice(latest: StoredQuote | undefined, close: LastClose | undefined): number | undefined {
  if (latest === undefined) return close?.close;
  if (close !== undefined && close.date >= tradingDate(latest.asOf)) return close.close;
  return latest.price;
}
