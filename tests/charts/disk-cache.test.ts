/**
 * Charts survive a restart: drawn charts are stored under DATA_DIR/charts-cache (real files),
 * keyed by data version, language, theme and staleness; a new data version prunes the old; a
 * damaged file or a folder that cannot be written costs one warn line, never a chart.
 */
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pngSize, seedRatio, tempStore, weekdays, type Fixture } from '../helpers/charts-fixtures.ts';
import { ChartService, type RenderedChart } from '../../src/charts/service.ts';
import { ChartDiskCache, codeFingerprintAt } from '../../src/charts/disk-cache.ts';
import type { ChartRequest } from '../../src/domain/chart-request.ts';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { startApp } from '../../src/main.ts';
import { startFlatMarket } from '../fakes/quote-server.ts';
// @ts-expect-error: plain JavaScript, no declarations
import { sourceKey } from '../../bin/bundle.js';
import { sourcesAt } from '../helpers/sources.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-chart-cache-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function seeded(): Promise<Fixture> {
  const fx = tempStore();
  cleanups.push(() => fx.cleanup());
  await seedRatio(fx.store, 'spx', weekdays('2025-01-02', 300), (i) => 1.5 + 0.3 * Math.sin(i / 20));
  return fx;
}

/** A clock a few days after the seeded data, so the charts are not "stale". */
const NOW = Date.parse('2026-03-02T12:00:00Z');
const RATIO: ChartRequest = { kind: 'ratio', pair: 'spx-gold', range: '6M' };
const ALERT: ChartRequest = { kind: 'alert', pair: 'spx-gold', levelId: 'spx-gold-custom-1.8', date: '2025-06-02', value: 1.79, event: 'cross-up' };

/** Every file under the cache folder, as generation/name. */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((g) => readdirSync(join(dir, g)).map((f) => `${g}/${f}`));
}

function service(fx: Fixture, cacheDir: string, log = memoryLogger('warn'), now = () => NOW) {
  const disk = new ChartDiskCache(cacheDir, log);
  const charts = new ChartService(fx.view, { now, disk });
  // Writes still in flight would race the folder's removal.
  cleanups.push(() => charts.flush());
  return { charts, log };
}

/**
 * One database and one chart drawn and stored, for the tests that damage a copy of the stored file:
 * each draws it again (what it checks), none needs its own first drawing.
 */
let shared: Promise<{ fx: Fixture; good: RenderedChart; stored: string }> | undefined;
afterAll(async () => {
  const s = await shared;
  s?.fx.cleanup();
  if (s !== undefined) rmSync(dirname(s.stored), { recursive: true, force: true });
});
function storedOnce() {
  shared ??= (async () => {
    const fx = tempStore();
    await seedRatio(fx.store, 'spx', weekdays('2025-01-02', 300), (i) => 1.5 + 0.3 * Math.sin(i / 20));
    const stored = join(mkdtempSync(join(tmpdir(), 'goldratio-chart-cache-')), 'charts-cache');
    const first = new ChartService(fx.view, { now: () => NOW, disk: new ChartDiskCache(stored, memoryLogger('warn')) });
    const good = await first.render(RATIO, { lang: 'en' });
    await first.flush();
    return { fx, good, stored };
  })();
  return shared;
}

describe('the disk cache', () => {
  test('GIVEN charts drawn before a restart THEN the restarted service serves the same PNGs without drawing', async () => {
    const fx = await seeded();
    const dir = join(tempDir(), 'charts-cache');
    const first = service(fx, dir).charts;
    const drawn = [
      await first.render(RATIO, { lang: 'en' }),
      await first.render(RATIO, { lang: 'zh-TW' }),
      await first.render(ALERT, { lang: 'en', theme: 'dark' }),
    ];
    await first.flush();
    expect(first.stats()).toMatchObject({ renders: 3, loads: 0 });
    // One folder (the data's generation), one file per chart, no temp file left.
    expect(readdirSync(dir)).toHaveLength(1);
    expect(files(dir)).toHaveLength(3);
    expect(files(dir).every((f) => f.endsWith('.png'))).toBe(true);

    const { charts: again, log } = service(fx, dir);
    const served = [
      await again.render(RATIO, { lang: 'en' }),
      await again.render(RATIO, { lang: 'zh-TW' }),
      await again.render(ALERT, { lang: 'en', theme: 'dark' }),
    ];
    expect(again.stats()).toMatchObject({ renders: 0, loads: 3 });
    for (const [i, c] of served.entries()) {
      expect(c.png.equals(drawn[i]!.png)).toBe(true);
      expect(c.key).toBe(drawn[i]!.key);
      expect(c.filename).toBe(drawn[i]!.filename);
    }
    // From then on, memory: the same chart again is a hit, not another read.
    await again.render(RATIO, { lang: 'en' });
    expect(again.stats()).toMatchObject({ renders: 0, loads: 3, hits: 1 });
    expect(log.lines).toEqual([]);
  });

  test('GIVEN a new close THEN the chart is drawn again and the older version is removed from disk', async () => {
    const fx = await seeded();
    const dir = join(tempDir(), 'charts-cache');
    const { charts } = service(fx, dir);
    await charts.render(RATIO, { lang: 'en' });
    await charts.flush();
    const [before] = readdirSync(dir);
    // A temp file a crash left behind in the current folder goes with the next prune.
    writeFileSync(join(dir, before!, '.left-by-a-crash.999999.abcd.tmp'), 'x');
    await fx.store.upsertCloses('spx', [{ date: '2026-02-20', close: 1700, source: 'test' }]);
    await fx.store.upsertCloses('gold', [{ date: '2026-02-20', close: 1000, source: 'test' }]);
    await charts.render(RATIO, { lang: 'en' });
    await charts.flush();
    expect(charts.stats()).toMatchObject({ renders: 2, loads: 0 });
    const after = readdirSync(dir);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    expect(files(dir)).toHaveLength(1);
  });

  test('GIVEN another database at the same data version THEN its charts are not served from the first one', async () => {
    const dir = join(tempDir(), 'charts-cache');
    const a = await seeded();
    const b = tempStore();
    cleanups.push(() => b.cleanup());
    await seedRatio(b.store, 'spx', weekdays('2025-01-02', 300), (i) => 2.5 - 0.3 * Math.sin(i / 20));
    expect(await b.store.dataVersion()).toBe(await a.store.dataVersion());
    const first = service(a, dir).charts;
    const pa = await first.render(RATIO, { lang: 'en' });
    await first.flush();
    const second = service(b, dir).charts;
    const pb = await second.render(RATIO, { lang: 'en' });
    expect(second.stats()).toMatchObject({ renders: 1, loads: 0 });
    expect(pb.png.equals(pa.png)).toBe(false);
  });

  test('GIVEN the data going stale (8 days without a close) THEN the chart is drawn again with the stale footer', async () => {
    const fx = await seeded();
    const dir = join(tempDir(), 'charts-cache');
    let now = NOW;
    const { charts } = service(fx, dir, memoryLogger('warn'), () => now);
    const fresh = await charts.render(RATIO, { lang: 'en' });
    now += 8 * 86_400_000;
    const stale = await charts.render(RATIO, { lang: 'en' });
    expect(charts.stats()).toMatchObject({ renders: 2, hits: 0 });
    expect(stale.key).not.toBe(fresh.key);
    expect(stale.png.equals(fresh.png)).toBe(false);
  });

  test.each([
    ['cut short (a partial write)', (png: Buffer) => png.subarray(0, Math.floor(png.length / 2))],
    ['empty', () => Buffer.alloc(0)],
    ['not a PNG', () => Buffer.from('<html>not a chart</html>')],
  ])('GIVEN a stored file %s THEN one warn line, the chart drawn again and the file replaced', async (_name, damage) => {
    const { fx, good, stored } = await storedOnce();
    const dir = join(tempDir(), 'charts-cache');
    cpSync(stored, dir, { recursive: true });
    const [file] = files(dir);
    writeFileSync(join(dir, file!), damage(good.png));

    const { charts, log } = service(fx, dir);
    const chart = await charts.render(RATIO, { lang: 'en' });
    await charts.flush();
    expect(pngSize(chart.png)).toEqual({ width: 1200, height: 630 });
    expect(charts.stats()).toMatchObject({ renders: 1, loads: 0 });
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(/WARN .*chart cache: ignoring .*charts-cache\/.*\.png, not a whole PNG \(\d+ bytes\); drawing it again/);
    expect(readFileSync(join(dir, file!)).equals(good.png)).toBe(true);
  });

  test('GIVEN a cache folder that cannot be created (DATA_DIR is a file) THEN one warn line, and charts are still served from memory', async () => {
    const fx = await seeded();
    const notADir = join(tempDir(), 'data');
    writeFileSync(notADir, 'a file where the data folder should be');
    const { charts, log } = service(fx, join(notADir, 'charts-cache'));
    // Two charts: two writes refused, said once.
    const ranges = ['1M', '1Y'] as const;
    for (const range of ranges) {
      const c = await charts.render({ kind: 'ratio', pair: 'spx-gold', range }, { lang: 'en' });
      expect(pngSize(c.png).width).toBe(1200);
    }
    await charts.render({ kind: 'ratio', pair: 'spx-gold', range: '1M' }, { lang: 'en' });
    await charts.flush();
    expect(charts.stats()).toMatchObject({ renders: 2, hits: 1 });
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(/WARN .*chart cache: cannot write in .*data\/charts-cache \(ENOTDIR\); charts are kept in memory only/);
  });
  test('GIVEN chart files that cannot be read (folders in their place) THEN one warn line for all of them, and the charts are drawn', async () => {
    const fx = await seeded();
    const dir = join(tempDir(), 'charts-cache');
    const first = service(fx, dir).charts;
    await first.render(RATIO, { lang: 'en' });
    await first.render(RATIO, { lang: 'zh-TW' });
    await first.flush();
    for (const f of files(dir)) {
      rmSync(join(dir, f));
      mkdirSync(join(dir, f));
    }
    const { charts, log } = service(fx, dir);
    for (const lang of ['en', 'zh-TW'] as const) expect(pngSize((await charts.render(RATIO, { lang })).png).width).toBe(1200);
    await charts.flush();
    expect(charts.stats()).toMatchObject({ renders: 2, loads: 0 });
    // One line for the reads, one for the writes (the folder in the way stops the rename too).
    expect(log.lines).toHaveLength(2);
    expect(log.lines[0]).toMatch(/WARN .*chart cache: cannot read .*\.png \(EISDIR\); drawing the charts it cannot read again/);
    expect(log.lines[1]).toMatch(/WARN .*chart cache: cannot write in .*charts-cache \(\w+\); charts are kept in memory only/);
  });
});

describe('the warm-up with a disk cache', () => {
  test('GIVEN charts rendered ahead before a restart THEN the next warm-up reads them from disk and draws none', async () => {
    const fx = await seeded();
    const dir = join(tempDir(), 'charts-cache');
    const asked: ChartRequest[] = [RATIO, { kind: 'ratio', pair: 'spx-gold', range: '1Y' }];
    const first = service(fx, dir).charts;
    expect(await first.warmUp(asked, ['en', 'zh-TW'])).toBe(4);
    await first.flush();
    const again = service(fx, dir).charts;
    expect(await again.warmUp(asked, ['en', 'zh-TW'])).toBe(0);
    expect(again.stats()).toMatchObject({ renders: 0, loads: 4 });
    await again.render(RATIO, { lang: 'zh-TW' });
    expect(again.stats()).toMatchObject({ renders: 0, loads: 4, hits: 1 });
  });
});

describe('goldratio start', () => {
  async function start(dir: string, server: { url: string }, env: Record<string, string> = {}) {
    const config = loadConfig({
      DATABASE_PATH: join(dir, 'g.db'),
      DATA_DIR: dir,
      BACKFILL_FROM: '2024-01-02',
      CHART_WORKERS: '0',
      ...sourcesAt(server.url),
      HTTP_RETRIES: '1',
      HTTP_BACKOFF_MS: '1',
      ...env,
    });
    const log = memoryLogger('warn');
    const app = await startApp(config, log, { out: () => {} });
    cleanups.push(() => app.stop());
    await app.ready;
    return { app, log };
  }

  // The warm-up is off here (charts-warmup.test.ts covers it): one chart is enough to see the wiring.
  const ASKED: ChartRequest = { kind: 'ratio', pair: 'qqq-gold', range: '5Y' };

  test('GIVEN a chart drawn before a restart THEN after it the chart is read from DATA_DIR/charts-cache, not drawn', async () => {
    const server = await startFlatMarket('2025-03-14');
    cleanups.push(() => server.close());
    const dir = tempDir();
    const { app: first } = await start(dir, server, { CHART_WARMUP: 'off' });
    const drawn = await first.charts.render(ASKED, { lang: 'zh-TW' });
    // Stopping waits for the write in progress.
    await first.stop();
    expect(files(join(dir, 'charts-cache'))).toHaveLength(1);

    const { app: second, log } = await start(dir, server, { CHART_WARMUP: 'off' });
    const served = await second.charts.render(ASKED, { lang: 'zh-TW' });
    expect(second.charts.stats()).toMatchObject({ renders: 0, loads: 1 });
    expect(served.png.equals(drawn.png)).toBe(true);
    expect(log.lines.filter((l) => /chart cache/.test(l))).toEqual([]);
  });

  test('GIVEN CHART_CACHE=off THEN nothing is written under DATA_DIR', async () => {
    const server = await startFlatMarket('2025-03-14');
    cleanups.push(() => server.close());
    const dir = tempDir();
    const { app } = await start(dir, server, { CHART_CACHE: 'off', CHART_WARMUP: 'off' });
    await app.charts.render(ASKED, { lang: 'en' });
    await app.stop();
    expect(existsSync(join(dir, 'charts-cache'))).toBe(false);
  });
});

describe('the code in the generation: charts drawn by other code are drawn again', () => {
  /** A project of a few sources: src/charts/disk-cache.ts and a catalogue. */
  function sources(): string {
    const root = tempDir();
    mkdirSync(join(root, 'src', 'charts'), { recursive: true });
    mkdirSync(join(root, 'src', 'domain', 'i18n'), { recursive: true });
    writeFileSync(join(root, 'src', 'charts', 'disk-cache.ts'), 'export const drawn = 1;\n');
    writeFileSync(join(root, 'src', 'domain', 'i18n', 'charts.ts'), "export const title = 'SPX/Gold';\n");
    return root;
  }

  test("GIVEN the bin's bundle THEN the fingerprint is its folder's key, no file of it read; an edited source runs from a new folder, so a new fingerprint", () => {
    const root = sources();
    // Where the bin runs a chunk from: node_modules/.cache/goldratio/bundle-<key>/ (bin/bundle.js). No such folder
    // exists here: the fingerprint reads none of the bundle's 8 MB.
    const chunk = (key: string) => pathToFileURL(join(root, 'node_modules', '.cache', 'goldratio', `bundle-${key}`, 'chunk-ABCD1234.mjs')).href;
    const before = sourceKey(root, '0.0.0') as string;
    expect(codeFingerprintAt(chunk(before))).toBe(before);
    writeFileSync(join(root, 'src', 'domain', 'i18n', 'charts.ts'), "export const title = 'SPX / Gold';\n");
    const after = sourceKey(root, '0.0.0') as string;
    expect(after).not.toBe(before);
    expect(codeFingerprintAt(chunk(after))).not.toBe(codeFingerprintAt(chunk(before)));
  });

  test('GIVEN the sources run through tsx (no bundle) THEN every file under src/ counts: a catalogue edited to the same size changes the fingerprint', () => {
    const root = sources();
    const module = pathToFileURL(join(root, 'src', 'charts', 'disk-cache.ts')).href;
    const before = codeFingerprintAt(module);
    expect(codeFingerprintAt(module)).toBe(before);
    writeFileSync(join(root, 'src', 'domain', 'i18n', 'charts.ts'), "export const title = 'SPX/GOLD';\n");
    expect(codeFingerprintAt(module)).not.toBe(before);
  });
});
