/**
 * A source corrects the close a move alert was decided at (the daily sync re-fetches the last days
 * and overwrites; `import` overwrites too). As for a level's break (corrected-close.test.ts), the
 * close's move watches are decided again at the next catch-up: a move the corrected close no longer
 * makes is withdrawn if nobody got it yet, corrected in so many words to the chats that did; a move
 * it makes now is sent; nothing is sent twice. Both engines, real closes through the QuoteStore.
 */
import { expect, test } from 'vitest';
import type { StoreDb } from '../../src/store/engine.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { MoveStore } from '../../src/store/moves.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { describeOnEngines, type OpenStore } from '../helpers/engines.ts';
import { RecordingNotifier } from '../helpers/recording.ts';

/** SPX/Gold at 2.0 on 01-02 and 01-03 (below every essay level's approach: approaches are off), a 5% move over 2 trading days watched by two chats. */
async function world(open: OpenStore) {
  const db: StoreDb = await open();
  const quotes = new QuoteStore(db);
  const view = new MarketView(quotes);
  const subs = new SubscriptionStore(db, { approachPct: 0, lang: 'en' });
  const moves = new MoveStore(db);
  const ids: number[] = [];
  for (const [chat, lang] of [
    ['en', 'en'],
    ['tw', 'zh-TW'],
  ] as const) {
    const sub = await subs.upsert('telegram', chat, { lang });
    expect(await moves.add(sub.id, { pair: 'spx-gold', pct: 5, days: 2 }, 5, 1)).toBe('added');
    ids.push(sub.id);
  }
  /** Every chat removes the watch (/move remove spx 5 2). */
  const removeWatch = async () => {
    for (const id of ids) expect(await moves.remove(id, { pair: 'spx-gold', pct: 5, days: 2 })).toBe(true);
  };
  const pipeline = new AlertPipeline(new DecisionStore(db), subs, { approachPct: 0, hysteresisPct: 1, cooldownDays: 14, now: () => 1_000_000 });
  const n = new RecordingNotifier();
  const dispatcher = new Dispatcher(new OutboxStore(db), subs, { notifiers: [n], now: () => 1_000_000 });
  const close = async (date: string, ratio: number) => {
    await quotes.upsertCloses('gold', [{ date, close: 1000, source: 'yahoo' }]);
    await quotes.upsertCloses('spx', [{ date, close: Math.round(ratio * 1e6) / 1e3, source: 'yahoo' }]);
  };
  const catchUp = async () => ((await pipeline.catchUp(await view.snapshot())).moves ?? []).map((e) => `${e.date} ${e.direction} ${e.changePct.toFixed(1)}`);
  const drained = async () => {
    const from = n.got.length;
    await dispatcher.drain();
    return n
      .texts()
      .slice(from)
      .sort((a, b) => a.chatId.localeCompare(b.chatId));
  };
  await close('2024-01-02', 2);
  await close('2024-01-03', 2);
  await catchUp();
  /** A third chat makes a watch at `atMs` (/move spx <pct> 2). */
  const addLate = async (pct: number, atMs: number) => {
    expect(await moves.add((await subs.upsert('telegram', 'late', { lang: 'en' })).id, { pair: 'spx-gold', pct, days: 2 }, 5, atMs)).toBe('added');
  };
  return { close, catchUp, drained, removeWatch, addLate };
}

describeOnEngines('a corrected close decides its move watches again', (open) => {
  test('GIVEN a 6% move decided and not yet sent WHEN its close is corrected to a 1% change THEN it is withdrawn, nobody gets it, and the next real move fires', async () => {
    const w = await world(open);
    await w.close('2024-01-04', 2.12);
    expect(await w.catchUp()).toEqual(['2024-01-04 up 6.0']);
    await w.close('2024-01-04', 2.02);
    await w.close('2024-01-05', 2.03);
    expect(await w.catchUp()).toEqual([]);
    expect(await w.drained()).toEqual([]);
    // The watch is armed (the corrected close made no move): the first close 5% past two days before fires.
    await w.close('2024-01-08', 2.15);
    expect(await w.catchUp()).toEqual(['2024-01-08 up 6.4']);
    expect((await w.drained()).map((g) => `${g.chatId}: ${g.text.split('\n')[0]}`)).toEqual([
      'en: SPX/Gold rose 6.44% in 2 trading days: now 2.150',
      'tw: 標普500/黃金在 2 個交易日內上漲 6.44%：目前 2.150',
    ]);
  });

  test('GIVEN a 6% move already sent WHEN its close is corrected to a 1% change THEN those chats are told it did not hold at the revised close (en, zh-TW), once', async () => {
    const w = await world(open);
    await w.close('2024-01-04', 2.12);
    await w.catchUp();
    const sent = await w.drained();
    expect(sent).toHaveLength(2);
    await w.close('2024-01-04', 2.02);
    expect(await w.catchUp()).toEqual([]);
    const got = await w.drained();
    expect(got.map((g) => g.chatId)).toEqual(['en', 'tw']);
    expect(got[0]!.text).toBe(
      [
        'Correction: the SPX/Gold close of 2024-01-04 was revised',
        `The close of 2024-01-04 was revised from 2.120 to 2.020. At the revised close this earlier alert does not hold: “${sent[0]!.text.split('\n')[0]}”.`,
      ].join('\n'),
    );
    expect(got[1]!.text.split('\n')[0]).toBe('更正：標普500/黃金2024年1月4日收盤已修正');
    expect(got[1]!.text).toContain(sent[1]!.text.split('\n')[0]);
    // Decided again, it is the same correction: nothing more.
    expect(await w.catchUp()).toEqual([]);
    expect(await w.drained()).toEqual([]);
  });

  test('GIVEN no move decided at a close WHEN it is corrected to a 6% change THEN the missed move is sent, once', async () => {
    const w = await world(open);
    await w.close('2024-01-04', 2.02);
    expect(await w.catchUp()).toEqual([]);
    await w.close('2024-01-04', 2.12);
    expect(await w.catchUp()).toEqual(['2024-01-04 up 6.0']);
    expect((await w.drained()).map((g) => g.text.split('\n')[0])).toEqual([
      'SPX/Gold rose 6.00% in 2 trading days: now 2.120',
      '標普500/黃金在 2 個交易日內上漲 6.00%：目前 2.120',
    ]);
    expect(await w.catchUp()).toEqual([]);
    expect(await w.drained()).toEqual([]);
  });

  test('GIVEN a move sent WHEN its close is corrected but still past 5% THEN nothing is sent again', async () => {
    const w = await world(open);
    await w.close('2024-01-04', 2.12);
    await w.catchUp();
    expect(await w.drained()).toHaveLength(2);
    await w.close('2024-01-04', 2.13);
    expect(await w.catchUp()).toEqual([]);
    expect(await w.drained()).toEqual([]);
  });

  test('GIVEN a move sent and every chat removing that watch since WHEN its close is corrected THEN a move that no longer holds is still corrected to them; one that still holds is left as it went', async () => {
    const w = await world(open);
    await w.close('2024-01-04', 2.12);
    await w.catchUp();
    expect(await w.drained()).toHaveLength(2);
    await w.removeWatch();
    await w.close('2024-01-04', 2.13);
    expect(await w.catchUp()).toEqual([]);
    expect(await w.drained()).toEqual([]);
    await w.close('2024-01-04', 2.02);
    expect(await w.catchUp()).toEqual([]);
    const got = await w.drained();
    expect(got.map((g) => `${g.chatId}: ${g.text.split('\n')[0]}`)).toEqual([
      'en: Correction: the SPX/Gold close of 2024-01-04 was revised',
      'tw: 更正：標普500/黃金2024年1月4日收盤已修正',
    ]);
    // From the value the chats read (2.120), not the revision between (2.130) they never saw.
    expect(got[0]!.text).toContain('The close of 2024-01-04 was revised from 2.120 to 2.020.');
  });

  test('GIVEN a watch made after a close the catch-up decided as its history WHEN that close is corrected to a 6% move THEN the move is decided for the watches made before it only', async () => {
    const w = await world(open);
    // Friday 2024-01-05, the day after: /move spx 4 2 typed before the close of 01-04 was stored (the bot catching up).
    await w.addLate(4, Date.UTC(2024, 0, 5, 12));
    await w.close('2024-01-04', 2.02);
    expect(await w.catchUp()).toEqual([]);
    await w.close('2024-01-04', 2.12);
    // Before: ['2024-01-04 up 6.0', '2024-01-04 up 6.0'], the second a move of the 4% watch nobody had then, recorded for nobody.
    expect(await w.catchUp()).toEqual(['2024-01-04 up 6.0']);
    expect((await w.drained()).map((g) => `${g.chatId}: ${g.text.split('\n')[0]}`)).toEqual([
      'en: SPX/Gold rose 6.00% in 2 trading days: now 2.120',
      'tw: 標普500/黃金在 2 個交易日內上漲 6.00%：目前 2.120',
    ]);
  });
});
