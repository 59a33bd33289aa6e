/**
 * A source corrects a close the engine has already decided (the daily sync re-fetches the last
 * days and overwrites; `import` overwrites too). The latest decided close is decided again at the
 * next catch-up: a break it no longer makes is withdrawn if nobody got it yet, corrected in so many
 * words to the chats that did; a break it now makes is sent; nothing is sent twice. Both engines,
 * real closes written through the QuoteStore and read through the MarketView, as the bot runs.
 */
import { expect, test } from 'vitest';
import type { StoreDb } from '../../src/store/engine.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { EventStore } from '../../src/store/events.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { describeOnEngines, type OpenStore } from '../helpers/engines.ts';
import { RecordingNotifier } from '../helpers/recording.ts';

async function world(open: OpenStore) {
  const db: StoreDb = await open();
  const quotes = new QuoteStore(db);
  const view = new MarketView(quotes);
  // No approach events: only the breaks of 2.5 matter here.
  const subs = new SubscriptionStore(db, { approachPct: 0, lang: 'en' });
  await subs.upsert('telegram', 'en', { lang: 'en' });
  await subs.upsert('telegram', 'tw', { lang: 'zh-TW' });
  const pipeline = new AlertPipeline(new DecisionStore(db), subs, { approachPct: 0, hysteresisPct: 1, cooldownDays: 14, now: () => 1_000_000 });
  const events = new EventStore(db);
  const outbox = new OutboxStore(db);
  const n = new RecordingNotifier();
  const dispatcher = new Dispatcher(outbox, subs, { notifiers: [n], now: () => 1_000_000 });
  /** SPX/Gold closes: gold at 1000, SPX the ratio × 1000. */
  const close = async (date: string, ratio: number) => {
    await quotes.upsertCloses('gold', [{ date, close: 1000, source: 'yahoo' }]);
    await quotes.upsertCloses('spx', [{ date, close: Math.round(ratio * 1e6) / 1e3, source: 'yahoo' }]);
  };
  const catchUp = async () => (await pipeline.catchUp(await view.snapshot())).events.map((e) => `${e.date} ${e.kind} ${e.value.toFixed(3)}`);
  const drained = async () => {
    const from = n.got.length;
    await dispatcher.drain();
    // Chats are sent side by side, in no set order between them: by chat, each chat's in its order.
    return n
      .texts()
      .slice(from)
      .sort((a, b) => a.chatId.localeCompare(b.chatId));
  };
  // The first start sets the state at 2.45, below 2.5.
  await close('2024-01-02', 2.45);
  await catchUp();
  /** The deliveries of the last drain. */
  let last: typeof n.got = [];
  const drainedWithLast = async () => {
    const from = n.got.length;
    const texts = await drained();
    last = n.got.slice(from);
    return texts;
  };
  return { close, catchUp, drained: drainedWithLast, got: () => last, events, outbox, pipeline, subs };
}

describeOnEngines('a corrected close is decided again', (open) => {
  test('GIVEN a break of 2.5 decided and not yet sent WHEN its close is corrected below 2.5 THEN it is withdrawn, nobody gets it, and the next real break fires', async () => {
    const w = await world(open);
    await w.close('2024-01-03', 2.52);
    expect(await w.catchUp()).toEqual(['2024-01-03 cross-up 2.520']);
    // The next day's sync corrects 01-03 and brings 01-04.
    await w.close('2024-01-03', 2.48);
    await w.close('2024-01-04', 2.47);
    expect(await w.catchUp()).toEqual([]);
    expect(await w.events.recent(10)).toEqual([]);
    expect(await w.drained()).toEqual([]);
    // The state is the corrected one: below 2.5, so the first close above breaks it.
    await w.close('2024-01-05', 2.51);
    expect(await w.catchUp()).toEqual(['2024-01-05 cross-up 2.510']);
    expect((await w.drained()).map((g) => `${g.chatId}: ${g.text.split('\n')[0]}`)).toEqual([
      'en: SPX/Gold broke above 2.5: now 2.510',
      'tw: 標普500/黃金向上突破 2.5：目前 2.510',
    ]);
  });

  test('GIVEN a break of 2.5 already sent WHEN its close is corrected below 2.5 THEN those chats are told it did not hold at the revised close (en, zh-TW), once', async () => {
    const w = await world(open);
    await w.close('2024-01-03', 2.52);
    await w.catchUp();
    expect(await w.drained()).toHaveLength(2);
    await w.close('2024-01-03', 2.48);
    expect(await w.catchUp()).toEqual([]);
    const got = await w.drained();
    expect(got.map((g) => g.chatId)).toEqual(['en', 'tw']);
    expect(got[0]!.text).toBe(
      [
        'Correction: the SPX/Gold close of 2024-01-03 was revised',
        'The close of 2024-01-03 was revised from 2.520 to 2.480. At the revised close this earlier alert does not hold: “SPX/Gold broke above 2.5: now 2.520”.',
      ].join('\n'),
    );
    expect(got[1]!.text).toBe(
      [
        '更正：標普500/黃金2024年1月3日收盤已修正',
        '2024年1月3日收盤由 2.520 修正為 2.480。依修正後的收盤，先前這則通報不成立：「標普500/黃金向上突破 2.5：目前 2.520」。',
      ].join('\n'),
    );
    // As data, what a webhook receiver matches the alert it got by: the pair, the close's day, the level and the event.
    for (const d of w.got())
      expect(d.message.data).toEqual({
        type: 'correction',
        pair: 'spx-gold',
        date: '2024-01-03',
        from: 2.52,
        to: 2.48,
        level_id: 'spx-gold-2.5',
        event: 'cross-up',
      });
    expect(await w.events.recent(10)).toEqual([]);
    // Decided again, it is the same correction: nothing more.
    expect(await w.catchUp()).toEqual([]);
    expect(await w.drained()).toEqual([]);
  });

  test('GIVEN a break already sent and the chat muting since WHEN its close is corrected THEN the chat still reads that it did not hold (a mute silences alerts, not the correction of one it read)', async () => {
    const w = await world(open);
    await w.close('2024-01-03', 2.52);
    await w.catchUp();
    expect(await w.drained()).toHaveLength(2);
    await w.subs.upsert('telegram', 'en', { mutedUntil: Date.now() + 86_400_000 });
    await w.close('2024-01-03', 2.48);
    await w.catchUp();
    expect((await w.drained()).map((g) => `${g.chatId}: ${g.text.split('\n')[0]}`)).toEqual([
      'en: Correction: the SPX/Gold close of 2024-01-03 was revised',
      'tw: 更正：標普500/黃金2024年1月3日收盤已修正',
    ]);
  });

  test('GIVEN a break sent at 2.5003 WHEN its close is corrected to 2.4996 THEN the correction says 2.5003 and 2.4996, not "from 2.500 to 2.500" (a revision that would read as none)', async () => {
    const w = await world(open);
    await w.close('2024-01-03', 2.5003);
    await w.catchUp();
    expect((await w.drained()).map((g) => g.text.split('\n')[0])).toEqual(['SPX/Gold broke above 2.5: now 2.5003', '標普500/黃金向上突破 2.5：目前 2.5003']);
    await w.close('2024-01-03', 2.4996);
    await w.catchUp();
    const got = await w.drained();
    expect(got.map((g) => g.text.split('\n')[1])).toEqual([
      'The close of 2024-01-03 was revised from 2.5003 to 2.4996. At the revised close this earlier alert does not hold: “SPX/Gold broke above 2.5: now 2.5003”.',
      '2024年1月3日收盤由 2.5003 修正為 2.4996。依修正後的收盤，先前這則通報不成立：「標普500/黃金向上突破 2.5：目前 2.5003」。',
    ]);
  });

  test('GIVEN no break decided at a close WHEN it is corrected above 2.5 THEN the missed break is sent, dated by that close', async () => {
    const w = await world(open);
    await w.close('2024-01-03', 2.48);
    expect(await w.catchUp()).toEqual([]);
    await w.close('2024-01-03', 2.52);
    expect(await w.catchUp()).toEqual(['2024-01-03 cross-up 2.520']);
    const got = await w.drained();
    expect(got.map((g) => g.text.split('\n')[0])).toEqual(['SPX/Gold broke above 2.5: now 2.520', '標普500/黃金向上突破 2.5：目前 2.520']);
    expect(got[0]!.text).toContain('Daily close of 2024-01-03');
  });

  test('GIVEN a close corrected above 2.5 by the sync that brings the next close (2.47) THEN the missed break names its day and close, not "now"', async () => {
    const w = await world(open);
    await w.close('2024-01-03', 2.48);
    expect(await w.catchUp()).toEqual([]);
    // The next day's sync corrects 01-03 and brings 01-04, back below.
    await w.close('2024-01-03', 2.52);
    await w.close('2024-01-04', 2.47);
    expect(await w.catchUp()).toEqual(['2024-01-03 cross-up 2.520']);
    expect((await w.drained()).map((g) => `${g.chatId}: ${g.text.split('\n')[0]}`)).toEqual([
      'en: SPX/Gold broke above 2.5 on 2024-01-03: closed at 2.520',
      'tw: 標普500/黃金於2024年1月3日向上突破 2.5：當日收盤 2.520',
    ]);
  });

  test('GIVEN a break sent WHEN its close is corrected but still above 2.5 THEN nothing is sent again; not yet sent THEN the one alert says the corrected value', async () => {
    const sent = await world(open);
    await sent.close('2024-01-03', 2.52);
    await sent.catchUp();
    expect(await sent.drained()).toHaveLength(2);
    await sent.close('2024-01-03', 2.53);
    expect(await sent.catchUp()).toEqual([]);
    expect(await sent.drained()).toEqual([]);
    expect((await sent.events.recent(10)).map((e) => e.value)).toEqual([2.52]);

    const unsent = await world(open);
    await unsent.close('2024-01-03', 2.52);
    await unsent.catchUp();
    await unsent.close('2024-01-03', 2.53);
    expect(await unsent.catchUp()).toEqual(['2024-01-03 cross-up 2.530']);
    expect((await unsent.drained()).map((g) => `${g.chatId}: ${g.text.split('\n')[0]}`)).toEqual([
      'en: SPX/Gold broke above 2.5: now 2.530',
      'tw: 標普500/黃金向上突破 2.5：目前 2.530',
    ]);
    expect((await unsent.events.recent(10)).map((e) => e.value)).toEqual([2.53]);
  });

  test('GIVEN a live point that moved the state after the close WHEN that close is corrected THEN it is not decided again (the state has moved on), and nothing is sent', async () => {
    const w = await world(open);
    await w.close('2024-01-03', 2.52);
    await w.catchUp();
    await w.drained();
    await w.pipeline.tick('spx-gold', { date: '2024-01-22', value: 2.4 }, 'intraday');
    await w.drained();
    await w.close('2024-01-03', 2.48);
    expect(await w.catchUp()).toEqual([]);
    expect(await w.drained()).toEqual([]);
    expect((await w.events.recent(10)).map((e) => `${e.date} ${e.kind}`)).toEqual(['2024-01-22 cross-down', '2024-01-03 cross-up']);
  });

  test("GIVEN a break of the chat's own level sent and the level removed since WHEN its close is corrected THEN a break that still holds is left as it went; one that no longer holds is corrected to the chat", async () => {
    const w = await world(open);
    await w.subs.upsert('telegram', 'en', { customLevels: [{ pair: 'spx-gold', value: 2.47 }] });
    await w.close('2024-01-03', 2.48);
    expect(await w.catchUp()).toEqual(['2024-01-03 cross-up 2.480']);
    expect((await w.drained()).map((g) => `${g.chatId}: ${g.text.split('\n')[0]}`)).toEqual(['en: SPX/Gold broke above 2.47: now 2.480']);
    await w.subs.upsert('telegram', 'en', { customLevels: [] });
    await w.close('2024-01-03', 2.485);
    expect(await w.catchUp()).toEqual([]);
    expect(await w.drained()).toEqual([]);
    await w.close('2024-01-03', 2.46);
    expect(await w.catchUp()).toEqual([]);
    const got = await w.drained();
    expect(got.map((g) => `${g.chatId}: ${g.text.split('\n')[0]}`)).toEqual(['en: Correction: the SPX/Gold close of 2024-01-03 was revised']);
    expect(got[0]!.text).toContain('revised from 2.480 to 2.460');
  });
});
