/**
 * The daily digest of the real history (../shared/market-history, last close 2026-08-21) as a
 * Telegram chat gets it: one photo whose caption holds the whole digest, in every language, with
 * room to spare under Telegram's 1,024 characters (a longer story on another day, a larger number,
 * must not push its last line into a second message). Through the dispatcher and the real
 * notifier against the fake Bot API.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from 'grammy';
import { openDatabase, type Db } from '../../../src/store/db.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { QuoteStore } from '../../../src/store/quotes.ts';
import { MarketView } from '../../../src/store/market-view.ts';
import { SubscriptionStore } from '../../../src/store/subscriptions.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { digestOf } from '../../../src/store/digest-view.ts';
import { crossingOptions } from '../../../src/store/story-view.ts';
import { digestMessage } from '../../../src/domain/digest.ts';
import { LANGS } from '../../../src/domain/i18n/index.ts';
import { loadConfig } from '../../../src/config.ts';
import { memoryLogger } from '../../../src/log.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import { ChartService } from '../../../src/charts/service.ts';
import { TelegramNotifier } from '../../../src/platforms/telegram/notifier.ts';
import { FakeTelegram } from '../../fakes/telegram.ts';
import { reusedCharts } from '../../helpers/reused-charts.ts';
import { describeWithHistory, historyFile } from '../../helpers/history.ts';

/** Telegram's limit on a caption, and the room the real digest leaves under it at least. */
const CAPTION_MAX = 1024;
const SPARE = 80;

/** What Telegram counts of an HTML caption: the text, without its tags, entities as one character. */
const visible = (html: string): string =>
  html
    .replace(/<\/?(?:b|i|code)>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describeWithHistory('the real digest on Telegram', () => {
  let dir: string;
  let db: Db;
  let fake: FakeTelegram;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-tg-digest-real-'));
    db = openDatabase(await historyFile(join(dir, 'h.db')));
    fake = await FakeTelegram.start();
  });
  afterAll(async () => {
    await fake?.close();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test(`in every language: one photo, the whole digest its caption, at most ${CAPTION_MAX - SPARE} characters`, { timeout: 60_000 }, async () => {
    const config = loadConfig({});
    const view = new MarketView(new QuoteStore(onSqlite(db)));
    const d = (await digestOf(view, crossingOptions(config)))!;
    expect(d.date).toBe('2026-08-21');
    const subs = new SubscriptionStore(onSqlite(db), { approachPct: config.approachPct, lang: config.defaultLang });
    const chats = LANGS.map((lang, i) => ({ lang, chatId: String(8100 + i) }));
    const ids: number[] = [];
    for (const c of chats) ids.push((await subs.upsert('telegram', c.chatId, { active: true, lang: c.lang })).id);
    const outbox = new OutboxStore(onSqlite(db));
    // Read the Monday after the close, as Taipei reads a Friday's digest: the story's "ago" as sent then.
    const nowMs = Date.parse('2026-08-24T00:00:00Z');
    await outbox.enqueue('digest', digestMessage(d), ids, { nowMs });
    const notifier = new TelegramNotifier({
      api: new Api(fake.token, { apiRoot: fake.apiRoot, timeoutSeconds: 10 }),
      rate: 30,
      groupPerMinute: 20,
      paidBroadcast: false,
      log: memoryLogger(),
    });
    const dispatcher = new Dispatcher(outbox, subs, {
      notifiers: [notifier],
      charts: new ChartService(view, { pool: reusedCharts }),
      log: memoryLogger(),
      now: () => nowMs,
    });
    await dispatcher.drain();
    expect(await dispatcher.pending()).toBe(0);

    for (const c of chats) {
      const photos = fake.callsTo('sendPhoto', Number(c.chatId));
      expect(photos, c.lang).toHaveLength(1);
      // Nothing after the photo: the story's last line did not go as a second message.
      expect(fake.callsTo('sendMessage', Number(c.chatId)), c.lang).toHaveLength(0);
      const caption = visible(String(photos[0]!.params.caption));
      expect(caption.length, `${c.lang}: ${caption.length} characters\n${caption}`).toBeLessThanOrEqual(CAPTION_MAX - SPARE);
      // The whole digest: both pairs' figures, the yardstick, M2 and both stories.
      const lines = caption.split('\n');
      expect(lines.length, c.lang).toBe(13);
    }
  });
});
