/**
 * Renders the chart a Reply asks for, once: results are cached by (chart, pair, range, the chat's
 * own levels on it if any, theme, language, whether the data is stale, data version), and a render in flight is shared, so one
 * alert sent to a thousand chats is drawn once. A new close bumps the data version, which retires
 * every older entry by key. Charts of a chat's own levels keep to a small pool of their own (each chat's
 * is its own chart), so many such chats leave the shared charts in memory. With a disk cache, a chart missing from memory is looked for on disk
 * before it is drawn, and every drawn chart is stored there, so a restart does not draw them again.
 */
import { createHash } from 'node:crypto';
import type { MarketSnapshot, MarketView } from '../store/market-view.ts';
import type { ChartRenderer, ChartRequest, RenderedChart } from '../domain/chart-request.ts';
import { PAIRS, QQQ_LAUNCH, type InstrumentId, type PairId } from '../domain/instruments.ts';
import { customLevel, essayLevels, levelById, type Level } from '../domain/levels.ts';
import { daysBetween, dateInZone, isIsoDate } from '../domain/dates.ts';
import { t, type Lang } from '../domain/i18n/index.ts';
import type { InstrumentSources } from '../domain/source-spans.ts';
import { GOLD_CARRY_DAYS, M2_CARRY_DAYS } from '../domain/ratio.ts';
import { ChartDataError } from './errors.ts';
import { PALETTES, type ThemeName } from './theme.ts';
import type { ChartSpec } from './spec.ts';
import { ratioSpec } from './spec-ratio.ts';
import { powerUntil } from '../domain/power-check.ts';
import { pointOnOrBefore } from '../domain/series.ts';
import { alertSpec } from './spec-alert.ts';
import { powerSpec } from './spec-power.ts';
import { digestSpecs } from './spec-digest.ts';
import { LruCache } from './cache.ts';
import { codeFingerprint, fileName, type ChartDiskCache } from './disk-cache.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { RenderPool } from './pool.ts';
import { sleep } from '../sleep.ts';

/**
 * The renderer (canvas, Chart.js, the fonts), loaded by the first chart drawn on this thread: a
 * process that draws none (a bot without history yet, a CLI command without a chart, a bot whose
 * charts the pool's threads draw) does not load it, 50-150 ms of a start.
 */
const renderer = () => import('./render.ts');

export type { RenderedChart } from '../domain/chart-request.ts';

export interface ChartServiceStats {
  readonly renders: number;
  /** Charts read from the disk cache instead of drawn. */
  readonly loads: number;
  readonly hits: number;
  /** Charts in memory: the shared ones (`size`), and those of a chat's own levels in their own pool (`ownSize`). */
  readonly size: number;
  readonly ownSize: number;
}

/** How far back a drawn date takes a close of each instrument (domain/ratio.ts), for the footer's sources. */
const CARRY_DAYS: Record<InstrumentId, number> = { spx: 0, qqq: 0, gold: GOLD_CARRY_DAYS, m2: M2_CARRY_DAYS };

/** A close older than this many days at `now` marks the footer "stale". */
const STALE_DAYS = 7;

export class ChartService implements ChartRenderer {
  readonly #view: MarketView;
  readonly #theme: ThemeName;
  readonly #now: () => number;
  readonly #cache: LruCache<Promise<Made>>;
  /** Charts of a chat's own levels: a pool of their own, so many such chats do not push the shared charts out. */
  readonly #ownCache: LruCache<Promise<Made>>;
  readonly #metrics: Pick<Metrics, 'chartRender' | 'chartCacheHit'> | undefined;
  readonly #pool: RenderPool | undefined;
  readonly #disk: ChartDiskCache | undefined;
  #generation: { version: number; name: string } | undefined;
  /** Renders not settled yet: flush() waits for them, as each one ends by storing its chart. */
  readonly #inflight = new Set<Promise<unknown>>();
  #renders = 0;
  #loads = 0;
  #hits = 0;
  /** Renders asked by users (not by the warm-up) still in progress: the warm-up waits for zero. */
  #asked = 0;
  #warming: Promise<number> | undefined;

  constructor(
    view: MarketView,
    opts: {
      theme?: 'light' | 'dark';
      cacheSize?: number;
      /** Slots for charts drawing a chat's own levels (each chat's is its own chart), apart from the shared ones. */
      ownCacheSize?: number;
      now?: () => number;
      metrics?: Pick<Metrics, 'chartRender' | 'chartCacheHit'>;
      pool?: RenderPool;
      /** Where drawn charts survive a restart (DATA_DIR/charts-cache); without it, memory only. */
      disk?: ChartDiskCache | undefined;
    } = {},
  ) {
    this.#metrics = opts.metrics;
    this.#pool = opts.pool;
    this.#disk = opts.disk;
    this.#view = view;
    this.#theme = opts.theme ?? 'light';
    this.#now = opts.now ?? Date.now;
    // Room for the warm-up's set (2 pairs × 8 ranges + 8 power bases, in 3 languages: 72) and the rest.
    this.#cache = new LruCache(opts.cacheSize ?? 128);
    // A chat's chart of its own levels is asked again by that chat alone (its range buttons, a /chart
    // soon after): a few slots keep those, and 100 such chats (200 charts, bench/own-level-charts.ts)
    // no longer evict all 72 shared charts, each of which was then drawn again (~80 ms each).
    this.#ownCache = new LruCache(opts.ownCacheSize ?? 32);
  }

  /** Renders (or returns from cache) the chart a Reply asks for. Throws ChartDataError (clear message) when there is too little data. */
  async render(req: ChartRequest, opts: { theme?: 'light' | 'dark'; lang: Lang }): Promise<RenderedChart> {
    // Counted from the ask on (the data version is read first): a warm-up waits for it.
    this.#asked++;
    let job: Promise<Made>;
    try {
      let fresh: boolean;
      ({ job, fresh } = this.#render(req, opts, await this.#view.snapshot()));
      if (!fresh) {
        this.#hits++;
        this.#metrics?.chartCacheHit();
        this.#asked--;
        return job;
      }
    } catch (e) {
      this.#asked--;
      throw e;
    }
    const done = () => {
      this.#asked--;
    };
    job.then(done, done);
    return job;
  }

  /**
   * Renders ahead, into the cache, the charts users are known to ask for (after a data change,
   * the first asker of each would otherwise wait for its render). Low priority: one render at a
   * time, and only while no user's render is in progress, so a user waits behind one warm-up
   * render at most. A data change during the warm-up stops it (the next warm-up starts over).
   * One warm-up at a time: a call while one runs returns the running one. Resolves with the
   * number of charts rendered (not those read from the disk cache); charts the data cannot make are skipped.
   */
  warmUp(requests: readonly ChartRequest[], langs: readonly Lang[], signal?: AbortSignal): Promise<number> {
    this.#warming ??= (async () => {
      // The data version at the first render: a change after it stops the warm-up.
      let version: number | undefined;
      let rendered = 0;
      for (const req of requests) {
        for (const lang of langs) {
          while (this.#asked > 0 && signal?.aborted !== true) await sleep(20);
          if (signal?.aborted === true) return rendered;
          const snap = await this.#view.snapshot();
          if (version === undefined) version = snap.version;
          else if (snap.version !== version) return rendered;
          const { job, fresh } = this.#render(req, { lang }, snap);
          try {
            const made = await job;
            if (fresh && made.drawn) rendered++;
          } catch (e) {
            // Stopping closes the pool under a warm-up render: not a failure.
            if (signal?.aborted as boolean | undefined) return rendered;
            if (!(e instanceof ChartDataError)) throw e;
          }
        }
      }
      return rendered;
    })().finally(() => {
      this.#warming = undefined;
    });
    return this.#warming;
  }

  /** The warm-up in progress, if any (resolves with the charts it rendered). */
  warming(): Promise<number> | undefined {
    return this.#warming;
  }

  /** The cached (or in-flight) render of a request, or a new one (`fresh`): from the disk cache if there, else drawn. */
  #render(req: ChartRequest, opts: { theme?: 'light' | 'dark'; lang: Lang }, snap: MarketSnapshot): { job: Promise<Made>; fresh: boolean } {
    const theme = opts.theme ?? this.#theme;
    const version = snap.version;
    // The "stale data" footer depends on the clock, not on the data version: part of the key.
    const name = `${requestKey(req)}|${theme}|${opts.lang}${this.#stale(req, snap) ? '|stale' : ''}`;
    const key = `${name}|v${version}`;
    const cache = req.kind === 'ratio' && req.own !== undefined && req.own.length > 0 ? this.#ownCache : this.#cache;
    const hit = cache.get(key);
    if (hit !== undefined) return { job: hit, fresh: false };
    const filename = `goldratio-${requestKey(req).replaceAll(/[^A-Za-z0-9.-]+/g, '-')}-${theme}-${opts.lang}.png`;
    const disk = this.#disk;
    const generation = disk && this.#diskGeneration(snap);
    const job = (async (): Promise<Made> => {
      // The specs name the sources drawn, which the chart carries (a stored PNG too: its footer names them).
      const specs = req.kind === 'digest' ? this.#digestSpecs(theme, opts.lang, snap) : [this.#spec(req, theme, opts.lang, snap)];
      const sources = [...new Set(specs.flatMap((s) => s.sources))];
      if (disk !== undefined && generation !== undefined) {
        const stored = await disk.read(generation, fileName(name));
        if (stored !== undefined) {
          this.#loads++;
          return { png: stored, key, filename, sources, drawn: false };
        }
      }
      this.#renders++;
      const t0 = performance.now();
      let png: Buffer;
      // In a worker thread when there is a pool, so other users' commands are not stalled: a digest's
      // stacked panels too (drawn once per language and day, two charts' time on the thread that draws them).
      if (req.kind === 'digest') {
        png = this.#pool !== undefined ? await this.#pool.renderStack(specs) : (await (await renderer()).renderStack(specs)).png;
      } else {
        const spec = specs[0]!;
        png = this.#pool !== undefined ? await this.#pool.render(spec) : (await (await renderer()).renderSpec(spec)).png;
      }
      this.#metrics?.chartRender((performance.now() - t0) / 1000);
      if (disk !== undefined && generation !== undefined) void disk.write(generation, fileName(name), png);
      return { png, key, filename, sources, drawn: true };
    })();
    cache.set(key, job);
    const settled: Promise<unknown> = job.then(
      (): boolean => this.#inflight.delete(settled),
      (): boolean => this.#inflight.delete(settled),
    );
    this.#inflight.add(settled);
    // A failed render is not cached: the next ask tries again (and gets the same clear error if the data is still short).
    job.catch(() => cache.delete(key));
    return { job, fresh: true };
  }

  stats(): ChartServiceStats {
    return { renders: this.#renders, loads: this.#loads, hits: this.#hits, size: this.#cache.size, ownSize: this.#ownCache.size };
  }

  /** Settles when the renders begun so far are done and their charts stored on disk (stop, tests). */
  async flush(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.all(this.#inflight);
    await this.#disk?.flush();
  }

  /**
   * The disk cache's folder for a data version: the version plus a fingerprint of the latest
   * closes (another database at the same version number holds other data) and of the code.
   */
  #diskGeneration(snap: MarketSnapshot): string {
    const version = snap.version;
    if (this.#generation?.version !== version) {
      const hash = createHash('sha256').update(codeFingerprint());
      for (const i of ['spx', 'qqq', 'gold', 'm2'] as const) hash.update(JSON.stringify(snap.lastClose(i) ?? null));
      this.#generation = { version, name: `v${version}-${hash.digest('hex').slice(0, 12)}` };
    }
    return this.#generation.name;
  }

  /** Whether the chart's footer says "stale" now (see #frame). */
  #stale(req: ChartRequest, snap: MarketSnapshot): boolean {
    const instruments: InstrumentId[] = req.kind === 'power' || req.kind === 'digest' ? ['spx', 'qqq', 'gold'] : pairInstruments(req.pair);
    const today = dateInZone(new Date(this.#now()), 'UTC');
    return instruments.some((i) => {
      const last = snap.lastClose(i);
      return last !== undefined && daysBetween(last.date, today) > STALE_DAYS;
    });
  }

  /** The spec behind a request (tests read axes and levels from it). */
  async spec(req: ChartRequest, opts: { theme?: 'light' | 'dark'; lang: Lang }): Promise<ChartSpec> {
    return this.#spec(req, opts.theme ?? this.#theme, opts.lang, await this.#view.snapshot());
  }

  #spec(req: ChartRequest, theme: ThemeName, lang: Lang, snap: MarketSnapshot): ChartSpec {
    const palette = PALETTES[theme];
    switch (req.kind) {
      case 'ratio': {
        const frame = this.#frame(pairInstruments(req.pair), lang, snap);
        return ratioSpec({
          ...frame,
          pair: req.pair,
          palette,
          range: req.range,
          ...(req.window !== undefined ? { window: req.window } : {}),
          series: snap.ratio(req.pair),
          // The chat's own levels beside the essay's, drawn and labelled as its own (spec-ratio.ts).
          levels: [...essayLevels(req.pair), ...(req.own ?? []).map((v) => customLevel(req.pair, v))],
          ...(req.place !== undefined ? { place: req.place } : {}),
        });
      }
      case 'alert': {
        const level = resolveLevel(req.pair, req.levelId);
        if (level === undefined) throw new ChartDataError(t(lang, 'chart.error.unknown-level', { id: req.levelId }));
        const frame = this.#frame(pairInstruments(req.pair), lang, snap);
        const levels = level.kind === 'custom' ? [...essayLevels(req.pair), level] : essayLevels(req.pair);
        return alertSpec({
          ...frame,
          pair: req.pair,
          palette,
          series: snap.ratio(req.pair),
          level,
          levels,
          date: req.date,
          value: req.value,
          ...(req.event ? { event: req.event } : {}),
          ...(req.late ? { late: req.late } : {}),
          ...(req.place !== undefined ? { place: req.place } : {}),
          ...(req.test === true ? { test: true } : {}),
        });
      }
      case 'power': {
        const base = isIsoDate(req.base) ? req.base : QQQ_LAUNCH;
        const frame = this.#frame(['spx', 'qqq', 'gold', 'm2'], lang, snap);
        const to = req.to !== undefined && isIsoDate(req.to) ? req.to : undefined;
        const whole = snap.power(base);
        const power = powerUntil(whole, to);
        // How old the data is says nothing about a span that ended before it.
        const stale = power === whole && frame.stale;
        // The gold prices under its first and last closes, said under the chart when older than them (a London holiday).
        const golds = snap.closes('gold');
        const goldDates = power && { base: pointOnOrBefore(golds, power.base)?.date, end: pointOnOrBefore(golds, power.dates.at(-1)!)?.date };
        return powerSpec({ ...frame, stale, power, base, ...(to !== undefined ? { to } : {}), ...(goldDates && { goldDates }), palette });
      }
      case 'digest':
        return this.#digestSpecs(theme, lang, snap)[0]!;
    }
  }

  /** The digest's panels, one per ratio (`spec()` of a digest request gives the first). */
  #digestSpecs(theme: ThemeName, lang: Lang, snap: MarketSnapshot): ChartSpec[] {
    return digestSpecs({
      lang,
      palette: PALETTES[theme],
      series: { 'spx-gold': snap.ratio('spx-gold'), 'qqq-gold': snap.ratio('qqq-gold') },
      frames: { 'spx-gold': this.#frame(pairInstruments('spx-gold'), lang, snap), 'qqq-gold': this.#frame(pairInstruments('qqq-gold'), lang, snap) },
    });
  }

  #frame(
    instruments: readonly InstrumentId[],
    lang: Lang,
    snap: MarketSnapshot,
  ): { lang: Lang; sources: InstrumentSources[]; stale: boolean; goldDayOf: (date: string) => string | undefined } {
    let stale = false;
    const today = dateInZone(new Date(this.#now()), 'UTC');
    for (const i of instruments) {
      const last = snap.lastClose(i);
      if (last === undefined) continue;
      if (i !== 'm2' && daysBetween(last.date, today) > STALE_DAYS) stale = true;
    }
    // The spec names the sources of the closes it draws, over the dates it draws.
    const sources = instruments.map((i) => ({ instrument: i, spans: snap.sourceSpans(i), carryDays: CARRY_DAYS[i] }));
    const goldDayOf = (date: string) => pointOnOrBefore(snap.closes('gold'), date)?.date;
    return { lang, sources, stale, goldDayOf };
  }
}

/** A chart and whether it was drawn now (not read from the disk cache). */
type Made = RenderedChart & { readonly drawn: boolean };

function pairInstruments(pair: PairId): InstrumentId[] {
  return [PAIRS[pair].numerator, PAIRS[pair].denominator];
}

function requestKey(req: ChartRequest): string {
  switch (req.kind) {
    case 'ratio': {
      const shown = req.window === undefined ? `ratio:${req.pair}:${req.range}` : `ratio:${req.pair}:${req.window.from}:${req.window.to ?? 'latest'}`;
      // A chat's own levels make its own chart; a chat without any shares the one every such chat gets (the key as before).
      // Their label names the place (a Discord channel's, a DM's): a chart of one is never served in another.
      return req.own === undefined || req.own.length === 0
        ? shown
        : `${shown}:own:${[...req.own].sort((a, b) => a - b).join(',')}${req.place === undefined ? '' : `:${req.place}`}`;
    }
    case 'power':
      return req.to === undefined ? `power:${req.base}` : `power:${req.base}:${req.to}`;
    case 'alert':
      // A sample's chart (its title says test) is never served for the real alert, nor the other way round.
      return `alert:${req.pair}:${req.levelId}:${req.date}:${req.value}:${req.event ?? ''}${req.place === undefined ? '' : `:${req.place}`}${req.test === true ? ':test' : ''}`;
    case 'digest':
      return 'digest';
  }
}

/** An essay level by id, or a chat's custom level (`spx-gold-custom-1.8`). */
export function resolveLevel(pair: PairId, id: string): Level | undefined {
  const essay = levelById(id);
  if (essay !== undefined) return essay.pair === pair ? essay : undefined;
  const m = /^(spx-gold|qqq-gold)-custom-(.+)$/.exec(id);
  if (m === null || m[1] !== pair) return undefined;
  const v = Number(m[2]);
  return Number.isFinite(v) && v > 0 ? customLevel(pair, v) : undefined;
}
