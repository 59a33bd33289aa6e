/**
 * The value an alert names beside its level, through the real engine, store and dispatcher: a close
 * a hair below 2.5 approaching it was "now 2.500 (0.00% away)", which reads as if the ratio sat on
 * the level; a break at 2.5001 was "broke above 2.5: now 2.500". The value is written with the
 * digits it takes to differ from the level, and the distance never rounds to none.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onSqlite } from '../../src/store/engine.ts';
import { openDatabase } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import type { PairId } from '../../src/domain/instruments.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';
import { RecordingNotifier } from '../helpers/recording.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

/** A chat in each language, a first close far from the level, then `value`: the first line each chat reads. */
async function titles(pair: PairId, far: number, value: number, customLevels: { pair: PairId; value: number }[] = []): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-alert-value-'));
  const db = openDatabase(writeDatabase(join(dir, 'test.db')));
  cleanups.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
  for (const lang of ['en', 'zh-TW', 'zh-CN'] as const) await subs.upsert('telegram', lang, { lang, customLevels });
  const pipeline = new AlertPipeline(new DecisionStore(onSqlite(db)), subs, { approachPct: 3, hysteresisPct: 1, now: () => 1_000_000 });
  await pipeline.tick(pair, { date: '2024-01-02', value: far }, 'close');
  const events = (await pipeline.tick(pair, { date: '2024-01-03', value }, 'close')).events;
  expect(events.length).toBeGreaterThan(0);
  const n = new RecordingNotifier();
  await new Dispatcher(new OutboxStore(onSqlite(db)), subs, { notifiers: [n], now: () => 1_000_000 }).drain();
  return Object.fromEntries(n.got.map((d) => [d.chatId, d.message.title ?? '']));
}

describe('the value beside the level in an alert', () => {
  test('GIVEN a close a hair below 2.5 THEN the approach names that close, not 2.500, and a distance that is not none', async () => {
    expect(await titles('spx-gold', 2.0, 2.49996)).toEqual({
      en: 'SPX/Gold is approaching 2.5 from below: now 2.49996 (<0.01% away)',
      'zh-TW': '標普500/黃金由下方逼近 2.5：目前 2.49996（相距 <0.01%）',
      'zh-CN': '标普500/黄金自下方逼近 2.5：当前 2.49996（相距 <0.01%）',
    });
  });

  test('GIVEN a QQQ/Gold close a hair above 0.25 THEN four digits are not enough, five are shown', async () => {
    expect(await titles('qqq-gold', 0.4, 0.250004)).toMatchObject({ en: 'QQQ/Gold is approaching 0.25 from above: now 0.250004 (<0.01% away)' });
  });

  test('GIVEN a close closer to the level than any digits shown THEN the side is said, never the level as the value', async () => {
    expect(await titles('spx-gold', 2.0, 2.4999999999)).toMatchObject({ en: 'SPX/Gold is approaching 2.5 from below: now <2.5 (<0.01% away)' });
  });

  test("GIVEN a break just past a chat's own level THEN the value differs from the level as printed", async () => {
    const t = await titles('spx-gold', 1.5, 1.80004, [{ pair: 'spx-gold', value: 1.8 }]);
    expect(t.en).toBe('SPX/Gold broke above 1.8: now 1.80004');
    expect(t['zh-TW']).toBe('標普500/黃金向上突破 1.8：目前 1.80004');
  });

  test('GIVEN a close well away from the level THEN the value keeps its usual digits', async () => {
    expect(await titles('spx-gold', 2.0, 2.44)).toMatchObject({ en: 'SPX/Gold is approaching 2.5 from below: now 2.440 (2.46% away)' });
  });
});
