/**
 * Closes caught up after days away (the bot down, a source failing): each close's alerts go out
 * together, in the order of their dates. An alert of a close a later one has followed does not say
 * "now": its value is that day's close, not today's, and says so in every language. The alert of the
 * newest close still says "now".
 */
import { afterEach, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onSqlite } from '../../src/store/engine.ts';
import { openDatabase } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { MoveStore } from '../../src/store/moves.ts';
import { AlertPipeline, type RatioSource } from '../../src/alerts/pipeline.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import type { PairId } from '../../src/domain/instruments.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';
import { RecordingNotifier, tradingDayCloses } from '../helpers/recording.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

function world(o: { cooldownDays?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-catchup-'));
  const db = openDatabase(writeDatabase(join(dir, 'g.db')));
  cleanups.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = onSqlite(db);
  const subs = new SubscriptionStore(store, { approachPct: 0, lang: 'en' });
  const pipeline = new AlertPipeline(new DecisionStore(store), subs, { approachPct: 0, hysteresisPct: 1, now: () => 1_000_000, ...o });
  const n = new RecordingNotifier();
  const dispatcher = new Dispatcher(new OutboxStore(store), subs, { notifiers: [n], now: () => 1_000_000 });
  return { subs, pipeline, n, dispatcher, moves: new MoveStore(store) };
}

const source = (values: readonly number[]): RatioSource => {
  const points = tradingDayCloses(values);
  return { ratio: (p: PairId) => (p === 'spx-gold' ? points : []) };
};

test('GIVEN three closes caught up at once, a break of 2.5 up on the first and down on the last THEN the first alert names its day and close, not "now", in en, zh-TW and zh-CN; the last says now', async () => {
  const w = world();
  for (const lang of ['en', 'zh-TW', 'zh-CN'] as const) await w.subs.upsert('telegram', lang, { lang });
  // The first start: 2.45, below 2.5.
  await w.pipeline.catchUp(source([2.45]));
  // Away for three closes: 01-03 at 2.52 (broke above), 01-04 at 2.53, 01-05 at 2.47 (fell below).
  await w.pipeline.catchUp(source([2.45, 2.52, 2.53, 2.47]));
  await w.dispatcher.drain();
  const titles = (chat: string) => w.n.got.filter((d) => d.chatId === chat).map((d) => d.message.title);
  expect(titles('en')).toEqual(['SPX/Gold broke above 2.5 on 2024-01-03: closed at 2.520', 'SPX/Gold fell below 2.5: now 2.470']);
  expect(titles('zh-TW')).toEqual(['標普500/黃金於2024年1月3日向上突破 2.5：當日收盤 2.520', '標普500/黃金跌破 2.5：目前 2.470']);
  expect(titles('zh-CN')).toEqual(['标普500/黄金于2024年1月3日向上突破 2.5：当日收盘 2.520', '标普500/黄金跌破 2.5：当前 2.470']);
});

test('GIVEN a move alert of a close caught up behind a later one THEN it names the day of its close, not "now"', async () => {
  const w = world();
  const s = (await w.subs.upsert('telegram', 'en'))!;
  await w.moves.add(s.id, { pair: 'spx-gold', pct: 5, days: 1 }, 10, 1);
  await w.pipeline.catchUp(source([2.0]));
  // 2.0 → 2.2 (+10% in a day) on 01-03, then two quiet closes.
  await w.pipeline.catchUp(source([2.0, 2.2, 2.21, 2.22]));
  await w.dispatcher.drain();
  expect(w.n.got.map((d) => d.message.title)).toEqual(['SPX/Gold rose 10.0% in 1 trading day to the close of 2024-01-03: 2.200']);
});

test('GIVEN a reverse break held by the cooldown, confirmed at a close that later closes follow in the same catch-up THEN it says when it broke, that it is late, and the confirming close by its day, not "now"', async () => {
  const w = world({ cooldownDays: 14 });
  for (const lang of ['en', 'zh-TW', 'zh-CN'] as const) await w.subs.upsert('telegram', lang, { lang });
  await w.pipeline.catchUp(source([2.45]));
  // 2.5 broken up on 01-03, back below on 01-05 (held: within 14 days), confirmed by 01-17's close; 01-18 and 01-19 follow.
  await w.pipeline.catchUp(source([2.45, 2.52, 2.53, 2.46, 2.45, 2.45, 2.45, 2.45, 2.45, 2.45, 2.45, 2.44, 2.43]));
  await w.dispatcher.drain();
  const late = (chat: string) => w.n.got.filter((d) => d.chatId === chat).map((d) => d.message.title)[1];
  expect(late('en')).toBe('SPX/Gold fell below 2.5 on 2024-01-05 (reported late): closed at 2.450 on 2024-01-17');
  expect(late('zh-TW')).toBe('標普500/黃金於2024年1月5日跌破 2.5（延後通報）：2024年1月17日收盤 2.450');
  expect(late('zh-CN')).toBe('标普500/黄金于2024年1月5日跌破 2.5（延后通知）：2024年1月17日收盘 2.450');
});
