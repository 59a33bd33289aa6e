/**
 * Read-side queries over stored quotes, shared by the CLI, chat commands and charts:
 * ratio series, the current report per pair, purchasing power and data status.
 */
import type { QuoteStore } from './quotes.ts';
import { INSTRUMENTS, PAIRS, QQQ_LAUNCH, type InstrumentId, type PairId } from '../domain/instruments.ts';
import type { Point } from '../domain/series.ts';
import { purchasingPower, ratioSeries, type PowerSeries } from '../domain/ratio.ts';
import { pairReport, type PairReport } from '../domain/report.ts';
import { essayLevels, type Level } from '../domain/levels.ts';

export interface InstrumentStatus {
  readonly instrument: InstrumentId;
  readonly rows: number;
  readonly lastDate: string | undefined;
  readonly lastClose: number | undefined;
  readonly source: string | undefined;
  /** When the last close was written. */
  readonly updatedAt: string | undefined;
  readonly latestQuote: { price: number; asOf: number; source: string } | undefined;
}

export class MarketView {
  readonly #cache = new Map<string, { version: number; series: Point[] }>();
  readonly #power = new Map<string, { version: number; power: PowerSeries | undefined }>();
  readonly #closes = new Map<InstrumentId, { version: number; points: Point[] }>();
  #counts: { version: number; rows: Map<InstrumentId, number> } | undefined;

  constructor(readonly store: QuoteStore) {}

  /** The daily ratio series of a pair, cached per data version (recomputing is cheap, but not free). */
  ratio(pair: PairId, from?: string, to?: string): Point[] {
    const version = this.store.dataVersion();
    let hit = this.#cache.get(pair);
    if (hit === undefined || hit.version !== version) {
      const info = PAIRS[pair];
      hit = { version, series: ratioSeries(this.#closesOf(info.numerator, version), this.#closesOf(info.denominator, version)) };
      this.#cache.set(pair, hit);
    }
    const all = hit.series;
    if (from === undefined && to === undefined) return all;
    return all.filter((p) => (from === undefined || p.date >= from) && (to === undefined || p.date <= to));
  }

  report(pair: PairId, nowMs: number, levels: readonly Level[] = essayLevels(pair)): PairReport | undefined {
    const info = PAIRS[pair];
    // A close is as old as its trading day's end (about 16:00 New York = 20:00/21:00 UTC), not as old
    // as the moment it was written: an import of 2011 data is not fresh.
    const asOf = (i: InstrumentId) => {
      const c = this.store.lastClose(i);
      return c ? Math.min(nowMs, Date.parse(`${c.date}T20:00:00Z`)) : nowMs;
    };
    return pairReport({
      pair,
      series: this.ratio(pair),
      levels,
      numeratorQuote: this.store.latestQuote(info.numerator),
      denominatorQuote: this.store.latestQuote(info.denominator),
      closeAsOfMs: { numerator: asOf(info.numerator), denominator: asOf(info.denominator) },
      nowMs,
    });
  }

  power(base: string = QQQ_LAUNCH): PowerSeries | undefined {
    // Cached like ratio(): a burst of /power asks reads the four histories once, not once each.
    const version = this.store.dataVersion();
    const hit = this.#power.get(base);
    if (hit !== undefined && hit.version === version) return hit.power;
    const power = purchasingPower(
      { spx: this.#closesOf('spx', version), qqq: this.#closesOf('qqq', version), gold: this.#closesOf('gold', version), m2: this.#closesOf('m2', version) },
      base,
    );
    if (this.#power.size > 32) this.#power.clear();
    this.#power.set(base, { version, power });
    return power;
  }

  /** An instrument's stored closes, read once per data version (a burst of power charts with different bases reads each history once). */
  #closesOf(instrument: InstrumentId, version: number): Point[] {
    const hit = this.#closes.get(instrument);
    if (hit !== undefined && hit.version === version) return hit.points;
    const points = this.store.closes(instrument);
    this.#closes.set(instrument, { version, points });
    return points;
  }

  status(): InstrumentStatus[] {
    // Row counts change only with the data version: a burst of /status counts each table once.
    const version = this.store.dataVersion();
    if (this.#counts?.version !== version) this.#counts = { version, rows: new Map(INSTRUMENTS.map((i) => [i, this.store.count(i)])) };
    const counts = this.#counts.rows;
    return INSTRUMENTS.map((instrument) => {
      const last = this.store.lastClose(instrument);
      return {
        instrument,
        rows: counts.get(instrument) ?? 0,
        lastDate: last?.date,
        lastClose: last?.close,
        source: last?.source,
        updatedAt: last?.updatedAt,
        latestQuote: this.store.latestQuote(instrument),
      };
    });
  }
}
