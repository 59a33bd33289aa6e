/**
 * What charts with a chat's own levels (/mylevels) cost, and whether many such chats push the
 * shared charts out of the chart service's memory. Each chat with own levels has a chart of its
 * own (its key names its levels): one render each, and a place in memory. The shared charts (what
 * the warm-up renders ahead after each data change: every pair × range and the power bases, in
 * three languages) are rendered first; then N chats, each with a level of its own, ask for their
 * /chart spx 1Y and /chart qqq 1Y; then every shared chart is asked again, and the renders that
 * took are counted (memory only, no disk cache: each miss is a render). Real history when
 * /work/shared/market-history exists. BENCH_CHATS (comma-separated) changes the N.
 *
 * Before own-level charts had a pool of their own (one LRU of 128 for all), 50 such chats (100
 * charts) pushed out every shared chart: all 72 drawn again (5.7 s on 2 busy cores), 100 chats likewise.
 */
import { performance } from 'node:perf_hooks';
import { ChartService } from '../src/charts/service.ts';
import { askedCharts } from '../src/chat/commands/market.ts';
import { LANGS } from '../src/domain/i18n/index.ts';
import type { ChartRequest } from '../src/domain/chart-request.ts';
import { hasHistory, seedHistory, tempStore } from '../tests/helpers/charts-fixtures.ts';
import { report } from './_util.ts';

const counts = (process.env.BENCH_CHATS ?? '0,25,50,100').split(',').map(Number);
const fx = tempStore();
try {
  if (!hasHistory()) throw new Error('bench/own-level-charts.ts needs the real history (GOLDRATIO_HISTORY_DIR)');
  await seedHistory(fx.store);
  const last = (await fx.view.ratio('spx-gold')).at(-1)!;
  const shared = askedCharts(last.date).flatMap((req) => LANGS.map((lang) => ({ req, lang })));
  process.stdout.write(`shared charts (warm-up set): ${shared.length}; the service's default memory\n`);
  for (const n of counts) {
    const charts = new ChartService(fx.view, { now: () => Date.parse(`${last.date}T22:00:00Z`) });
    for (const { req, lang } of shared) await charts.render(req, { lang });
    const before = charts.stats().renders;
    // Each chat's own level a little above the last close, each chat's different.
    const own: ChartRequest[] = Array.from({ length: n }, (_, i) => [
      { kind: 'ratio', pair: 'spx-gold', range: '1Y', own: [Number((1.9 + i / 1000).toFixed(3))] } as const,
      { kind: 'ratio', pair: 'qqq-gold', range: '1Y', own: [Number((0.17 + i / 10000).toFixed(4))] } as const,
    ]).flat();
    let bytes = 0;
    const t0 = performance.now();
    for (const req of own) bytes += (await charts.render(req, { lang: 'en' })).png.length;
    const ownMs = performance.now() - t0;
    const ownRenders = charts.stats().renders - before;
    const t1 = performance.now();
    const r0 = charts.stats().renders;
    for (const { req, lang } of shared) await charts.render(req, { lang });
    const again = charts.stats().renders - r0;
    const againMs = performance.now() - t1;
    process.stdout.write(`-- ${n} chats with own levels (${own.length} own-level charts)\n`);
    if (n > 0) {
      report('  own-level chart: render each (mean)', ownMs / ownRenders);
      process.stdout.write(`${'  own-level chart: PNG held in memory (mean)'.padEnd(58)} ${`${(bytes / own.length / 1024).toFixed(0)} KiB`.padStart(12)}\n`);
    }
    const { size, ownSize } = charts.stats();
    process.stdout.write(`${'  charts in memory: shared, own-level'.padEnd(58)} ${`${size}, ${ownSize}`.padStart(12)}\n`);
    process.stdout.write(
      `${'  shared charts drawn again after them'.padEnd(58)} ${`${again} / ${shared.length}`.padStart(12)}   (${(againMs / 1000).toFixed(1)} s to ask all again)\n`,
    );
  }
} finally {
  fx.cleanup();
}
