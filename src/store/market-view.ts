/**
 * Read-side queries over stored quotes, shared by the CLI, chat commands and charts:
 * ratio series, the current report per pair, purchasing power and data status.
 *
 * Everything derived from the closes is held in a snapshot per data version (meta
 * 'data_version', bumped in the same transaction as every change of closes). Each use reads that
 * one row, so on PostgreSQL a replica sees another's new closes at its next use; while the version
 * stays, a use costs that one read and nothing is recomputed. Latest intraday quotes change
 * without a version bump and are read on each use.
 */
import { UnfetchedStore, type UnfetchedRange } from './unfetched.ts';
import { closeAsOf } from '../domain/close-age.ts';
import type { LastClose, QuoteStore, StoredQuote } from './quotes.ts';
import { INSTRUMENTS, PAIRS, QQQ_LAUNCH, type InstrumentId, type PairId } from '../domain/instruments.ts';
import { pointOnOrBefore, type Point } from '../domain/series.ts';
import { purchasingPower, ratioSeries, type PowerSeries } from '../domain/ratio.ts';
import { pairReport, type PairReport } from '../domain/report.ts';
import { essayLevels, type Level } from '../domain/levels.ts';
import { levelRecord, type LevelRecord } from '../domain/level-record.ts';
import type { SourceSpan } from '../domain/source-spans.ts';

export interface InstrumentStatus {
  readonly instrument: InstrumentId;
  readonly rows: number;
  readonly lastDate: string | undefined;
  readonly lastClose: number | undefined;
  readonly source: string | undefined;
  /** When the last close was written. */
  readonly updatedAt: string | undefined;
  readonly latestQuote: { price: number; asOf: number; source: string } | undefined;
  /** The ranges a sync could not fetch from any source, kept to ask again at each sync (store/unfetched.ts); none: []. */
  readonly unfetched: readonly UnfetchedRange[];
}

/**
 * The stored closes at one data version and what derives from them, computed on first ask and
 * kept: synchronous, so a chart or a digest built from it reads one consistent state.
 */
export class MarketSnapshot {
  readonly #closes: ReadonlyMap<InstrumentId, Point[]>;
  readonly #last: ReadonlyMap<InstrumentId, LastClose | undefined>;
  readonly #spans: ReadonlyMap<InstrumentId, SourceSpan[]>;
  readonly #ratios = new Map<PairId, Point[]>();
  readonly #power = new Map<string, PowerSeries | undefined>();
  readonly #records = new Map<string, LevelRecord | undefined>();

  constructor(
    readonly version: number,
    closes: ReadonlyMap<InstrumentId, Point[]>,
    last: ReadonlyMap<InstrumentId, LastClose | undefined>,
    spans: ReadonlyMap<InstrumentId, SourceSpan[]> = new Map(),
  ) {
    this.#closes = closes;
    this.#last = last;
    this.#spans = spans;
  }

  /** Which source each close came from, as runs of consecutive closes (a chart's footer names those it draws). */
  sourceSpans(instrument: InstrumentId): SourceSpan[] {
    return this.#spans.get(instrument) ?? [];
  }

  /** The source of an instrument's close of `date` (its run's), if one is stored. */
  sourceOn(instrument: InstrumentId, date: string): string | undefined {
    const last = this.lastClose(instrument);
    if (last?.date === date) return last.source;
    return this.sourceSpans(instrument).find((s) => s.from <= date && date <= s.to)?.source;
  }

  closes(instrument: InstrumentId): Point[] {
    return this.#closes.get(instrument) ?? [];
  }

  lastClose(instrument: InstrumentId): LastClose | undefined {
    return this.#last.get(instrument);
  }

  count(instrument: InstrumentId): number {
    return this.closes(instrument).length;
  }

  /** The daily ratio series of a pair (recomputing is cheap, but not free: computed once). */
  ratio(pair: PairId, from?: string, to?: string): Point[] {
    let all = this.#ratios.get(pair);
    if (all === undefined) {
      const info = PAIRS[pair];
      all = ratioSeries(this.closes(info.numerator), this.closes(info.denominator));
      this.#ratios.set(pair, all);
    }
    if (from === undefined && to === undefined) return all;
    return all.filter((p) => (from === undefined || p.date >= from) && (to === undefined || p.date <= to));
  }

  /**
   * What the closes show for a level's era (domain/level-record.ts): each /levels reads it, so an
   * essay level's is computed once per data version. A chat's own level has none (and is not kept).
   */
  levelRecord(level: Level): LevelRecord | undefined {
    if (level.kind === 'custom') return undefined;
    if (this.#records.has(level.id)) return this.#records.get(level.id);
    const record = levelRecord(level, this.ratio(level.pair), this.closes(PAIRS[level.pair].denominator));
    this.#records.set(level.id, record);
    return record;
  }

  power(base: string = QQQ_LAUNCH): PowerSeries | undefined {
    // A burst of /power asks with different bases reads the four histories once, not once each.
    if (this.#power.has(base)) return this.#power.get(base);
    const power = purchasingPower({ spx: this.closes('spx'), qqq: this.closes('qqq'), gold: this.closes('gold'), m2: this.closes('m2') }, base);
    if (this.#power.size > 32) this.#power.clear();
    this.#power.set(base, power);
    return power;
  }
}

export class MarketView {
  #snapshot: MarketSnapshot | undefined;
  /** A load in progress, so a burst of asks after a data change reads the closes once. */
  #loading: { version: number; snapshot: Promise<MarketSnapshot> } | undefined;

  constructor(readonly store: QuoteStore) {}

  /** The data version now (one indexed row). */
  version(): Promise<number> {
    return this.store.dataVersion();
  }

  /** The closes at the current data version, read from the database only when it changed. */
  async snapshot(): Promise<MarketSnapshot> {
    const version = await this.store.dataVersion();
    if (this.#snapshot?.version === version) return this.#snapshot;
    if (this.#loading?.version !== version) {
      const loading = { version, snapshot: this.#load(version) };
      this.#loading = loading;
      const settle = () => {
        if (this.#loading === loading) this.#loading = undefined;
      };
      loading.snapshot.then((s) => {
        this.#snapshot = s;
        settle();
      }, settle);
    }
    return this.#loading.snapshot;
  }

  async #load(version: number): Promise<MarketSnapshot> {
    // Read after the version: closes written meanwhile make the data newer than its version,
    // never older, and the next use (seeing the new version) reads them again.
    const closes = new Map<InstrumentId, Point[]>();
    const last = new Map<InstrumentId, LastClose | undefined>();
    const spans = new Map<InstrumentId, SourceSpan[]>();
    for (const i of INSTRUMENTS) {
      const read = await this.store.closesWithSources(i);
      closes.set(i, read.points);
      last.set(i, await this.store.lastClose(i));
      spans.set(i, read.spans);
    }
    return new MarketSnapshot(version, closes, last, spans);
  }

  /** The daily ratio series of a pair. */
  async ratio(pair: PairId, from?: string, to?: string): Promise<Point[]> {
    return (await this.snapshot()).ratio(pair, from, to);
  }

  async lastClose(instrument: InstrumentId): Promise<LastClose | undefined> {
    return (await this.snapshot()).lastClose(instrument);
  }

  async report(pair: PairId, nowMs: number, levels: readonly Level[] = essayLevels(pair)): Promise<PairReport | undefined> {
    const info = PAIRS[pair];
    const snap = await this.snapshot();
    const [numeratorQuote, denominatorQuote] = await Promise.all([this.store.latestQuote(info.numerator), this.store.latestQuote(info.denominator)]);
    const series = snap.ratio(pair);
    const lastDate = series.at(-1)?.date;
    // The gold close the last ratio divides by: its own day's, or one carried from before it.
    const denominatorDate = lastDate === undefined ? undefined : pointOnOrBefore(snap.closes(info.denominator), lastDate)?.date;
    // A leg's age is that of the close the shown ratio uses (not of a newer one it does not: today's
    // fix before the stocks' close), since its price was set, gold's by its source (domain/close-age.ts).
    const asOf = (i: InstrumentId, date: string | undefined) =>
      date === undefined ? nowMs : closeAsOf(date, nowMs, { instrument: i, source: snap.sourceOn(i, date) });
    return pairReport({
      pair,
      series,
      levels,
      numeratorQuote,
      denominatorQuote,
      closeAsOfMs: { numerator: asOf(info.numerator, lastDate), denominator: asOf(info.denominator, denominatorDate) },
      denominatorDate,
      nowMs,
    });
  }

  async power(base: string = QQQ_LAUNCH): Promise<PowerSeries | undefined> {
    return (await this.snapshot()).power(base);
  }

  /** The latest day SPX, QQQ and gold share (M2 may end earlier): the last a /power base or end can be (none without data). */
  async lastPowerDate(): Promise<string | undefined> {
    return (await this.power())?.dates.at(-1);
  }

  async status(): Promise<InstrumentStatus[]> {
    // The closes read already at this version (the bot's) answer; else a count and the last row of
    // each: `goldratio status` read every close for four lines (220 ms of SQL, as much garbage
    // collection, on a century of closes). The same rows either way: the snapshot holds them all.
    const version = await this.store.dataVersion();
    const read = this.#snapshot?.version === version ? this.#snapshot : undefined;
    const counts = new Map<InstrumentId, number>();
    const lasts = new Map<InstrumentId, LastClose | undefined>();
    const quotes = new Map<InstrumentId, StoredQuote | undefined>();
    const unfetched = new Map<InstrumentId, UnfetchedRange[]>();
    const kept = new UnfetchedStore(this.store.db);
    for (const i of INSTRUMENTS) {
      unfetched.set(i, await kept.load(i));
      counts.set(i, read?.count(i) ?? (await this.store.count(i)));
      lasts.set(i, read === undefined ? await this.store.lastClose(i) : read.lastClose(i));
      quotes.set(i, await this.store.latestQuote(i));
    }
    return INSTRUMENTS.map((instrument) => {
      const last = lasts.get(instrument);
      return {
        instrument,
        rows: counts.get(instrument) ?? 0,
        lastDate: last?.date,
        lastClose: last?.close,
        source: last?.source,
        updatedAt: last?.updatedAt,
        latestQuote: quotes.get(instrument),
        unfetched: unfetched.get(instrument) ?? [],
      };
    });
  }
}
