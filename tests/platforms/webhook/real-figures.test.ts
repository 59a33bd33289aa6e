/**
 * The figures a webhook receives, checked against the real history (GOLDRATIO_HISTORY_DIR): the
 * closes of summer 2011 (QQQ/Gold through the 0.03 floor and back, SPX/Gold into the 0.6–0.7 zone,
 * London's bank holiday of 08-29) decided by the real alert pipeline on a real SQLite file, posted by
 * the real notifier to a local receiver. Each alert's `data` (the ratio, its day, the gold price's
 * day) is compared with the ratio worked out here from the CSV files alone, and its title's figure
 * with `data.value` to the digits shown.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hookWorld, type HookWorld } from '../../helpers/webhook-world.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { DecisionStore } from '../../../src/store/decisions.ts';
import { AlertPipeline } from '../../../src/alerts/pipeline.ts';
import { QuoteStore } from '../../../src/store/quotes.ts';
import { describeWithHistory, HISTORY_DIR, HISTORY_FILES, independentRatio, loadHistory } from '../../helpers/history.ts';

let w: HookWorld;
beforeEach(async () => {
  w = await hookWorld();
  // The world's own made-up closes out: only the files' closes of 2011 are stored.
  w.world.db.prepare('DELETE FROM closes').run();
});
afterEach(() => w.close());

describeWithHistory('webhook alerts on the real closes of summer 2011', () => {
  const goldDates = readFileSync(join(HISTORY_DIR, HISTORY_FILES.gold), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0]!);
  const goldOn = (day: string) => goldDates.filter((d) => d <= day).at(-1)!;

  test("GIVEN the closes of 2011-08 and 2011-09 decided as they came THEN every alert's data holds the files' ratio of its day, the gold price's day when older, and the title says the same figure", async () => {
    const hook = await w.add('/real');
    expect(hook.id).not.toBe('');
    const db = onSqlite(w.world.db);
    const pipeline = new AlertPipeline(new DecisionStore(db), w.world.deps.subs, { approachPct: 3, hysteresisPct: 1, cooldownDays: 14, now: () => 1_000_000 });
    // The state at the close of 2011-07-29 first, then each later close as it came.
    const quotes = new QuoteStore(db);
    await loadHistory(quotes, '2011-05-01', '2011-07-29');
    await pipeline.catchUp(await w.world.deps.view.snapshot());
    const days = independentRatio('spx', '2011-08-01', '2011-09-30').map((p) => p.date);
    for (const day of days) {
      await loadHistory(quotes, day, day);
      await pipeline.catchUp(await w.world.deps.view.snapshot());
    }
    await w.dispatcher(w.notifier()).drain();
    const bodies = w.rx.at('/real').map((r) => JSON.parse(r.body.toString('utf8')));
    const levels = bodies.filter((b) => b.data?.type === 'level');
    // The summer holds breaks of both pairs: the check is not vacuous.
    expect(new Set(levels.map((b) => b.data.pair))).toEqual(new Set(['spx-gold', 'qqq-gold']));
    expect(levels.length).toBeGreaterThanOrEqual(4);
    for (const b of levels) {
      const d = b.data;
      const truth = independentRatio(d.pair === 'spx-gold' ? 'spx' : 'qqq', d.date, d.date)[0]!;
      expect(truth, `${d.pair} ${d.date}`).toBeDefined();
      expect(d.value, `${d.pair} ${d.date}`).toBeCloseTo(truth.value, 9);
      const gold = goldOn(d.date);
      expect(d.gold_date, `${d.pair} ${d.date}`).toBe(gold < d.date ? gold : undefined);
      // The title's "now X" ("then X" once newer closes came) is the same figure, to the digits it shows.
      const shown = /(?:now|then|closed at) ([\d.]+)/.exec(b.title)?.[1];
      expect(shown, b.title).toBeDefined();
      const decimals = shown!.split('.')[1]?.length ?? 0;
      expect(Math.abs(Number(shown) - d.value), b.title).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
      // A break reported late (the cooldown): the day it happened and its ratio, the files' too, and named in the title.
      if (d.broke_on !== undefined) {
        expect(d.broke_at).toBeCloseTo(independentRatio(d.pair === 'spx-gold' ? 'spx' : 'qqq', d.broke_on, d.broke_on)[0]!.value, 9);
        expect(b.title).toContain(`on ${d.broke_on} (reported late)`);
      }
      // A break is on the side of the level it says.
      if (d.event === 'cross-down') expect(d.value).toBeLessThan(d.level);
      if (d.event === 'cross-up') expect(d.value).toBeGreaterThan(d.level);
    }
    // London's summer bank holiday: QQQ/Gold's close of 2011-08-29 over Friday's fix, said in data.
    expect(levels.filter((b) => b.data.date === '2011-08-29').map((b) => b.data.gold_date)).toContain('2011-08-26');
  }, 60_000);
});
