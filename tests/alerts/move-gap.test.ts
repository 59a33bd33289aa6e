/**
 * A live move alert whose N closes span trading days the ratio has no close for says the trading
 * days it took, as `replay --move` does (truth24): gold's sources both answered nothing for four
 * weekdays (Yahoo's null bars, LBMA's zeros), so the S&P 500's closes of two of them have no ratio
 * (gold's price over four days old). The whole path: `goldratio backfill` against the quote fake,
 * the alert pipeline deciding each sync's closes, a restart, the dispatcher sending to the Telegram
 * fake; the text read as a chat got it, in en, zh-TW and zh-CN.
 *
 * The real history has no such day after 1999 (every NYSE close has gold's price within four days):
 * 1968-03, 1973-12-26 and 1984-12-26 only, which tests/cli/replay-moves.test.ts reads.
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
import { MoveStore } from '../../src/store/moves.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';
import { tradingDaysWithoutClose } from '../../src/domain/moves.ts';
import { monthStarts, startQuoteServer, weekdays, type QuoteServer } from '../fakes/quote-server.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { notifierOnFake } from '../helpers/notifier-on-fake.ts';
import { runCliInProcess as cli } from '../helpers/cli.ts';
import { sourcesAt } from '../helpers/sources.ts';
import { RecordingNotifier } from '../helpers/recording.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';
import { describeWithHistory, HISTORY_DIR, HISTORY_FILES, independentRatio, loadHistory } from '../helpers/history.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Gold's sources have nothing for these weekdays. */
const GOLD_GAP = ['2024-02-08', '2024-02-09', '2024-02-12', '2024-02-13'];
/** S&P 500 at 2000 over gold at 2000 (SPX/Gold 1.0: no essay level near), then 6% down on the close of 2024-02-14. */
function market(server: QuoteServer, to: string): void {
  const stocks = weekdays('2023-10-02', to).filter(isTradingDay);
  server.setSeries(
    '^GSPC',
    stocks.map((date) => ({ date, value: date >= '2024-02-14' ? 1880 : 2000 })),
  );
  server.setSeries(
    'QQQ',
    stocks.map((date) => ({ date, value: 400 })),
  );
  const gold = weekdays('2023-10-02', to).map((date) => ({ date, value: GOLD_GAP.includes(date) ? null : 2000 }));
  server.setSeries('GC=F', gold);
  server.setSeries('gold_pm', gold);
  server.setSeries(
    'M2SL',
    monthStarts('2023-01-01', '2023-12-01').map((date) => ({ date, value: 20_800 })),
  );
}

test('GIVEN gold missing four weekdays at both sources and SPX/Gold 6% down over 5 closes that span 7 trading days THEN the Telegram alert says 7 trading days, the 5 closes and the two days without a ratio, in en, zh-TW and zh-CN, after a restart too', async () => {
  const server = await startQuoteServer();
  cleanups.push(() => server.close());
  const tg = await FakeTelegram.start();
  cleanups.push(() => tg.close());
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-move-gap-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'g.db');
  const env = { DATABASE_PATH: path, DATA_DIR: dir, BACKFILL_FROM: '2023-10-02', ...sourcesAt(server.url), HTTP_RETRIES: '0' };
  const open = () => {
    const db = openDatabase(path);
    cleanups.push(() => {
      if (db.open) db.close();
    });
    const store = onSqlite(db);
    const subs = new SubscriptionStore(store, { approachPct: 0, lang: 'en' });
    const view = new MarketView(new QuoteStore(store));
    const pipeline = new AlertPipeline(new DecisionStore(store), subs, { approachPct: 0, hysteresisPct: 1, cooldownDays: 14, now: () => 1_000_000 });
    return { db, store, subs, view, pipeline };
  };

  // The bot's closes up to Wednesday 2024-02-07, decided (a first start sets the state there).
  market(server, '2024-02-07');
  expect((await cli(['backfill'], env)).code).toBe(0);
  const a = open();
  for (const [chat, lang] of [
    ['101', 'en'],
    ['102', 'zh-TW'],
    ['103', 'zh-CN'],
  ] as const) {
    const s = (await a.subs.upsert('telegram', chat, { lang }))!;
    await new MoveStore(a.store).add(s.id, { pair: 'spx-gold', pct: 5, days: 5 }, 5, 1);
  }
  await a.pipeline.catchUp(await a.view.snapshot());

  // A week on: the sync stores the S&P 500's closes, gold's sources still lack four of its days.
  market(server, '2024-02-14');
  expect((await cli(['backfill'], env)).code).toBe(0);
  const ratio = (await a.view.snapshot()).ratio('spx-gold');
  expect(tradingDaysWithoutClose(ratio, '2024-02-01', '2024-02-14'), 'gold over four days old: no ratio').toEqual(['2024-02-12', '2024-02-13']);
  const moves = (await a.pipeline.catchUp(await a.view.snapshot())).moves ?? [];
  expect(moves.map((m) => `${m.date} ${m.fromDate} ${m.changePct.toFixed(2)}`)).toEqual(['2024-02-14 2024-02-05 -6.00']);
  a.db.close();

  // A restart: the stored message is what goes out.
  const b = open();
  await new Dispatcher(new OutboxStore(b.store), b.subs, { notifiers: [notifierOnFake(tg)], now: () => 1_000_000 }).drain();
  const sent = (chat: string) => {
    const calls = tg.callsTo('sendMessage', chat);
    expect(calls, chat).toHaveLength(1);
    return String(calls[0]!.params.text).replace(/<[^>]+>/g, '');
  };
  const en = sent('101');
  expect(en.split('\n')).toEqual([
    'SPX/Gold fell 6.00% in 7 trading days: now 0.9400',
    'From 1.000 on 2024-02-05 to 0.9400 on 2024-02-14',
    '5 closes in those 7 trading days: no ratio on 2024-02-12, 2024-02-13',
    "This chat's move alert: 5% or more over 5 trading days",
    'Daily close of 2024-02-14',
  ]);
  const tw = sent('102');
  expect(tw).toContain('標普500/黃金在 7 個交易日內下跌 6.00%');
  expect(tw).toContain('這 7 個交易日中只有 5 個收盤價：2024年2月12日、2024年2月13日沒有比率資料');
  const cn = sent('103');
  expect(cn).toContain('标普500/黄金在 7 个交易日内下跌 6.00%');
  expect(cn).toContain('这 7 个交易日中只有 5 个收盘价：2024年2月12日、2024年2月13日没有比率数据');
}, 60_000);

describeWithHistory("a live move alert across London's gold market shut in March 1968 (the real closes)", () => {
  test('GIVEN a watch of 5% over 5 trading days decided at the close of 1968-04-01 THEN it says the 14 trading days its 5 closes took and the nine without a ratio by their ends, in en, zh-TW and zh-CN', async () => {
    // Independently: the S&P 500's closes of the files and the ratio over gold at most four days old.
    const stockDays = readFileSync(join(HISTORY_DIR, HISTORY_FILES.spx), 'utf8')
      .split('\n')
      .map((l) => l.split(',')[0]!)
      .filter((d) => d > '1968-03-08' && d <= '1968-04-01');
    const s = independentRatio('spx', '1968-01-01', '1968-04-01');
    const i = s.length - 1;
    expect(s[i]!.date).toBe('1968-04-01');
    const from = s[i - 5]!;
    const pct = (s[i]!.value / from.value - 1) * 100;
    const span = stockDays.filter((d) => d > from.date);
    const none = span.filter((d) => !s.some((p) => p.date === d));
    expect([from.date, pct.toFixed(2), span.length, none.length, none[0], none.at(-1)]).toEqual(['1968-03-12', '-5.06', 14, 9, '1968-03-19', '1968-03-29']);

    const dir = mkdtempSync(join(tmpdir(), 'goldratio-move-1968-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const db = openDatabase(writeDatabase(join(dir, 'g.db')));
    cleanups.push(() => {
      db.close();
    });
    const store = onSqlite(db);
    const quotes = new QuoteStore(store);
    const view = new MarketView(quotes);
    const subs = new SubscriptionStore(store, { approachPct: 0, lang: 'en' });
    // Made in March 1968, as a reader then would have (a close set before its watch was made is history to it).
    for (const lang of ['en', 'zh-TW', 'zh-CN'] as const)
      await new MoveStore(store).add((await subs.upsert('telegram', lang, { lang }))!.id, { pair: 'spx-gold', pct: 5, days: 5 }, 5, Date.UTC(1968, 2, 1));
    const pipeline = new AlertPipeline(new DecisionStore(store), subs, { approachPct: 0, hysteresisPct: 1, cooldownDays: 14, now: () => 1_000_000 });
    await loadHistory(quotes, '1967-01-01', '1968-03-31');
    await pipeline.catchUp(await view.snapshot());
    await loadHistory(quotes, '1968-03-31', '1968-04-01');
    await pipeline.catchUp(await view.snapshot());
    const n = new RecordingNotifier();
    await new Dispatcher(new OutboxStore(store), subs, { notifiers: [n], now: () => 1_000_000 }).drain();
    const move = (chat: string) => n.got.find((d) => d.chatId === chat && d.message.data?.type === 'move')!.message;
    expect(move('en').title).toMatch(new RegExp(`^SPX/Gold fell ${Math.abs(pct).toFixed(2)}% in 14 trading days: now ${s[i]!.value.toFixed(3)}$`));
    expect(move('en').lines).toContain('5 closes in those 14 trading days: no ratio on 9 trading days, 1968-03-19 to 1968-03-29');
    expect(move('zh-TW').lines).toContain('這 14 個交易日中只有 5 個收盤價：1968年3月19日至1968年3月29日共 9 個交易日沒有比率資料');
    expect(move('zh-CN').lines).toContain('这 14 个交易日中只有 5 个收盘价：1968年3月19日至1968年3月29日共 9 个交易日没有比率数据');
    expect(move('en').data).toMatchObject({ days: 5, trading_days: 14, from_date: '1968-03-12' });
    expect(String(move('en').data!.no_ratio_on).split(',')).toEqual(none);
  }, 60_000);
});
