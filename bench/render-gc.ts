/**
 * The garbage a render leaves: 30 rounds of a two-panel digest stack and a single chart (1200×630),
 * in a process holding a heap of `BALLAST` small objects besides (default 1,500,000, ~100 MB: a
 * test worker's or a long-running bot's), with each collection counted by kind. A canvas's pixels
 * live outside V8's heap, and V8 answers external memory with collections, whose cost grows with
 * the heap; render.ts draws on one canvas per height, png.ts reuses its rows (docs/ci.md, speed10).
 */
import { type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { renderSpec, renderStack } from '../src/charts/render.ts';
import { ratioSpec } from '../src/charts/spec-ratio.ts';
import { PALETTES } from '../src/charts/theme.ts';
import { essayLevels } from '../src/domain/levels.ts';
import type { Point } from '../src/domain/series.ts';
import { walkRows } from './_util.ts';

const ROUNDS = 30;
const BALLAST = Number(process.env.BALLAST ?? 1_500_000);
const KIND: Record<number, string> = { 1: 'scavenge', 2: 'minor mark-compact', 4: 'mark-compact', 8: 'incremental', 16: 'weak callbacks' };

const series: Point[] = walkRows('2025-01-02', 260, 1.5, 1).map((r) => ({ date: r.date, value: r.close }));
const spec = (lang: 'en' | 'zh-TW') =>
  ratioSpec({ pair: 'spx-gold', range: '1Y', series, levels: essayLevels('spx-gold'), lang, palette: PALETTES.light, sources: 'bench', stale: false });

for (let i = 0; i < 3; i++) await renderStack([spec('en'), spec('en')]);
const ballast = Array.from({ length: BALLAST }, (_, i) => ({ i, s: `x${i}` }));
const gcs = new Map<string, { n: number; ms: number }>();
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = KIND[(e as PerformanceEntry & { detail?: { kind: number } }).detail?.kind ?? 0] ?? 'other';
    const g = gcs.get(kind) ?? { n: 0, ms: 0 };
    g.n++;
    g.ms += e.duration;
    gcs.set(kind, g);
  }
});
observer.observe({ entryTypes: ['gc'] });
const c0 = process.cpuUsage();
for (let i = 0; i < ROUNDS; i++) {
  await renderStack([spec(i % 2 === 0 ? 'zh-TW' : 'en'), spec('en')]);
  await renderSpec(spec('en'));
}
const c = process.cpuUsage(c0);
await new Promise((r) => setTimeout(r, 50));
observer.disconnect();
process.stdout.write(`${ROUNDS} rounds (a two-panel stack and a chart each), ${ballast.length.toLocaleString('en')} objects of ballast\n`);
process.stdout.write(`CPU a round: ${((c.user + c.system) / 1000 / ROUNDS).toFixed(1)} ms (system ${(c.system / 1000 / ROUNDS).toFixed(1)})\n`);
for (const [kind, g] of gcs) process.stdout.write(`${kind}: ${g.n}, ${g.ms.toFixed(0)} ms of pauses\n`);
