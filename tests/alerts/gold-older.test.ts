/**
 * An alert of a close whose ratio divides by an older gold price says so, as /ratio, /levels, /power
 * and the digest do. On the real history (GOLDRATIO_HISTORY_DIR): 2011-08-29 was London's summer
 * bank holiday, New York was open, and QQQ/Gold closed back above the 0.03 floor that day over
 * Friday 08-26's fix. The alert said "Daily close of 2011-08-29" and nothing of the gold price.
 */
import { afterEach, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onSqlite } from '../../src/store/engine.ts';
import { openDatabase } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { MoveStore } from '../../src/store/moves.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';
import { RecordingNotifier } from '../helpers/recording.ts';
import { describeWithHistory, HISTORY_DIR, HISTORY_FILES, loadHistory } from '../helpers/history.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

/** date → close straight from a `date,close` file. */
const csv = (file: string) =>
  new Map(
    readFileSync(join(HISTORY_DIR, file), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => [l.split(',')[0]!, Number(l.split(',')[1])] as const),
  );

/**
 * The alerts of the closes after `decided` to `to`, the engine's state set at the close of `decided`
 * (a first start). `corrected`: QQQ's close of `to` first stored as this, then corrected to the file's.
 */
async function alertsOf(decided: string, to: string, corrected?: number): Promise<RecordingNotifier> {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-gold-older-'));
  const db = openDatabase(writeDatabase(join(dir, 'g.db')));
  cleanups.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = onSqlite(db);
  const quotes = new QuoteStore(store);
  const view = new MarketView(quotes);
  const subs = new SubscriptionStore(store, { approachPct: 3, lang: 'en' });
  for (const lang of ['en', 'zh-TW', 'zh-CN'] as const) {
    const s = (await subs.upsert('telegram', lang, { lang }))!;
    // QQQ/Gold 2% in one trading day: 08-26 to 08-29 was +2.8%.
    await new MoveStore(store).add(s.id, { pair: 'qqq-gold', pct: 2, days: 1 }, 10, 1);
  }
  const pipeline = new AlertPipeline(new DecisionStore(store), subs, { approachPct: 3, hysteresisPct: 1, cooldownDays: 14, now: () => 1_000_000 });
  const n = new RecordingNotifier();
  await loadHistory(quotes, '2011-06-01', decided);
  await pipeline.catchUp(await view.snapshot());
  await loadHistory(quotes, decided, to);
  if (corrected !== undefined) {
    const file = csv(HISTORY_FILES.qqq).get(to)!;
    await quotes.upsertCloses('qqq', [{ date: to, close: corrected, source: 'yahoo' }]);
    await pipeline.catchUp(await view.snapshot());
    await quotes.upsertCloses('qqq', [{ date: to, close: file, source: 'yahoo' }]);
  }
  await pipeline.catchUp(await view.snapshot());
  await new Dispatcher(new OutboxStore(store), subs, { notifiers: [n], now: () => 1_000_000 }).drain();
  return n;
}

describeWithHistory('an alert over an older gold price, on the real closes of August 2011', () => {
  test('GIVEN QQQ/Gold back above 0.03 on 2011-08-29, a London holiday THEN its alert names the gold price of 2011-08-26 it used, in en, zh-TW and zh-CN, and in its data', async () => {
    // Independently: no fix on the 29th, Friday's stands in; the ratio crossed 0.03 up that day.
    const gold = csv(HISTORY_FILES.gold);
    const qqq = csv(HISTORY_FILES.qqq);
    expect([gold.has('2011-08-29'), gold.has('2011-08-26')]).toEqual([false, true]);
    expect(qqq.get('2011-08-26')! / gold.get('2011-08-26')!).toBeLessThan(0.03);
    expect(qqq.get('2011-08-29')! / gold.get('2011-08-26')!).toBeGreaterThan(0.0303);

    // The state at the close of 2011-08-26 first, then the close of the 29th as it came.
    const n = await alertsOf('2011-08-26', '2011-08-29');
    const alert = (chat: string) => n.got.find((d) => d.chatId === chat && d.message.title?.includes('0.03'))!.message;
    expect(alert('en').title).toBe('QQQ/Gold broke above 0.03: now 0.0306');
    expect(alert('en').lines).toContain('The ratio uses the gold price of 2011-08-26, the latest at the close of 2011-08-29.');
    expect(alert('zh-TW').lines).toContain('比率所用的金價為2011年8月26日的報價，是2011年8月29日收盤時最新的一筆。');
    expect(alert('zh-CN').lines).toContain('比率采用2011年8月26日的金价，即2011年8月29日收盘时可获得的最新金价。');
    expect(alert('en').data).toMatchObject({ date: '2011-08-29', gold_date: '2011-08-26' });
    // The move alert of that close too.
    const move = (chat: string) => n.got.find((d) => d.chatId === chat && d.message.title?.includes('rose'))!.message;
    expect(move('en').title).toMatch(/^QQQ\/Gold rose 2\.\d\d% in 1 trading day/);
    expect(move('en').lines).toContain('The ratio uses the gold price of 2011-08-26, the latest at the close of 2011-08-29.');
    expect(move('en').data).toMatchObject({ type: 'move', date: '2011-08-29', gold_date: '2011-08-26' });
  });

  test('GIVEN QQQ/Gold below 0.03 on 2011-08-17, a day with its own fix THEN its alert says nothing of the gold price', async () => {
    expect(csv(HISTORY_FILES.gold).has('2011-08-17')).toBe(true);
    const n = await alertsOf('2011-08-16', '2011-08-17');
    const alerts = n.got.filter((d) => d.chatId === 'en').map((d) => d.message);
    expect(alerts.map((m) => m.title)).toContainEqual(expect.stringMatching(/^QQQ\/Gold fell below 0\.03/));
    expect(alerts.map((m) => m.title)).toContainEqual(expect.stringMatching(/^QQQ\/Gold fell 3\.\d\d% in 1 trading day/));
    for (const m of alerts) {
      expect(m.lines.join('\n')).not.toContain('gold price');
      expect(m.data).not.toHaveProperty('gold_date');
    }
  });

  test("GIVEN the close of 2011-08-29 first stored low (QQQ/Gold under 0.03), then corrected to the file's THEN the alert of the close decided again names the gold price of 2011-08-26 too", async () => {
    const gold = csv(HISTORY_FILES.gold).get('2011-08-26')!;
    const n = await alertsOf('2011-08-26', '2011-08-29', Math.round(0.0295 * gold * 100) / 100);
    const alert = n.got.find((d) => d.chatId === 'en' && d.message.title?.startsWith('QQQ/Gold broke above 0.03'))!.message;
    expect(alert.lines).toContain('The ratio uses the gold price of 2011-08-26, the latest at the close of 2011-08-29.');
    expect(alert.data).toMatchObject({ date: '2011-08-29', gold_date: '2011-08-26' });
  });
});
