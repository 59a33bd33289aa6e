/**
 * Issue 4's figures: a MAX ratio chart (~7,000 daily points) at 1200×630, a cache hit, and RSS
 * while rendering 200 charts in a row. Uses the real history when /work/shared/market-history
 * exists, else a deterministic random walk of the same length.
 */
import { performance } from 'node:perf_hooks';
import { addMonths } from '../src/domain/dates.ts';
import { essayLevels } from '../src/domain/levels.ts';
import { ratioSpec } from '../src/charts/spec-ratio.ts';
import { renderSpec } from '../src/charts/render.ts';
import { ensureFonts } from '../src/charts/fonts.ts';
import { PALETTES } from '../src/charts/theme.ts';
import { ChartService } from '../src/charts/service.ts';
import type { CloseRow } from '../src/store/quotes.ts';
import { hasHistory, seedHistory, tempStore } from '../tests/helpers/charts-fixtures.ts';
import { measureAsync, report, walkRows } from './_util.ts';

const median = async (runs: number, fn: () => Promise<unknown>): Promise<number> => (await measureAsync(runs, fn)).median;

const walk = (days: number, first: number, seed: number) => walkRows('1999-03-10', days, first, seed);

const fx = tempStore();
try {
  if (hasHistory()) await seedHistory(fx.store);
  else {
    await fx.store.upsertCloses('spx', walk(7000, 1300, 1));
    await fx.store.upsertCloses('qqq', walk(7000, 51, 2));
    await fx.store.upsertCloses('gold', walk(7000, 290, 3));
    const m2: CloseRow[] = [];
    for (let d = '1999-03-01', v = 4400; d <= '2026-12-01'; d = addMonths(d, 1), v *= 1.005) m2.push({ date: d, close: v, source: 'bench' });
    await fx.store.upsertCloses('m2', m2);
  }
  const series = await fx.view.ratio('spx-gold');
  const points = series.filter((p) => p.date >= '1999-03-10').length;
  process.stdout.write(`data: ${hasHistory() ? 'real history' : 'synthetic walk'}, MAX SPX/Gold = ${points} daily points\n`);

  // What a render worker registers as it starts (the Latin faces), then what a chart's first render
  // adds: the faces of its text's characters only (fonts.ts), in CPU time, as the bot pays it.
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  let c0 = process.cpuUsage();
  let t0 = performance.now();
  // As render-worker.mjs: English's Latin (Noto Sans), then Chinese charts' (Noto Sans TC).
  ensureFonts('en', '');
  ensureFonts(undefined, '');
  report('font load at a worker start (Latin faces), CPU', cpuMs(c0));
  const cn = ratioSpec({
    pair: 'spx-gold',
    range: 'MAX',
    series,
    levels: essayLevels('spx-gold'),
    lang: 'zh-CN',
    palette: PALETTES.light,
    sources: 'bench',
    stale: false,
  });
  c0 = process.cpuUsage();
  await renderSpec(cn);
  report('first zh-CN render (its SC faces registered, then drawn), CPU', cpuMs(c0));
  c0 = process.cpuUsage();
  await renderSpec(cn);
  report('second zh-CN render, CPU', cpuMs(c0));

  const spec = () =>
    ratioSpec({ pair: 'spx-gold', range: 'MAX', series, levels: essayLevels('spx-gold'), lang: 'en', palette: PALETTES.light, sources: 'bench', stale: false });
  for (let i = 0; i < 5; i++) await renderSpec(spec()); // warm-up: JIT, glyph caches
  report('spec only: MAX ratio (decimate + levels + eras)', await median(30, async () => spec()));
  report('render MAX ratio chart 1200×630 PNG, median of 30', await median(30, () => renderSpec(spec())), '≤ 50 ms');
  const qqqSeries = await fx.view.ratio('qqq-gold');
  const zh = () =>
    ratioSpec({
      pair: 'qqq-gold',
      range: 'MAX',
      series: qqqSeries,
      levels: essayLevels('qqq-gold'),
      lang: 'zh-TW',
      palette: PALETTES.dark,
      sources: 'bench',
      stale: false,
    });
  report('render MAX QQQ/Gold, dark, zh-TW, median of 30', await median(30, () => renderSpec(zh())), '≤ 50 ms');

  const charts = new ChartService(fx.view);
  const req = { kind: 'ratio', pair: 'spx-gold', range: 'MAX' } as const;
  await charts.render(req, { lang: 'en' });
  report('cache hit (ChartService.render, same key), median of 1000', await median(1000, () => charts.render(req, { lang: 'en' })), '< 1 ms');

  // 200 distinct charts in a row (cycling kinds, ranges, themes, languages), each rendered for real.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const marks: string[] = [];
  const ranges = ['1M', '3M', '6M', '1Y', '5Y', '10Y', 'MAX'] as const;
  t0 = performance.now();
  for (let i = 0; i < 200; i++) {
    const svc = new ChartService(fx.view, { cacheSize: 1 });
    const kind = i % 4;
    const lang = i % 2 === 0 ? 'en' : 'zh-TW';
    const theme = i % 3 === 0 ? 'dark' : 'light';
    await svc.render(
      kind === 3 ? { kind: 'power', base: '1999-03-10' } : { kind: 'ratio', pair: kind === 0 ? 'spx-gold' : 'qqq-gold', range: ranges[i % ranges.length]! },
      { lang, theme },
    );
    peak = Math.max(peak, process.memoryUsage().rss);
    if ((i + 1) % 50 === 0) marks.push(`${i + 1}: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  }
  const total = performance.now() - t0;
  process.stdout.write(`200 charts in a row: ${(total / 1000).toFixed(1)} s (${(total / 200).toFixed(1)} ms each, mixed kinds)\n`);
  process.stdout.write(`RSS before ${(rss0 / 1e6).toFixed(0)} MB, peak ${(peak / 1e6).toFixed(0)} MB; after ${marks.join(', ')}\n`);
} finally {
  fx.cleanup();
}
