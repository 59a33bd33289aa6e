/**
 * A watch made while the scheduler has not stored the latest closes yet (the bot was down and
 * catches up) speaks only of closes after it was made. The whole bot as `npm start` runs it, on a
 * real SQLite file, restarted, against the local quote fake and the local Telegram fake: down from
 * Friday 2025-03-14, back on Wednesday 03-19 before the quote source has the week, where a chat
 * types /move; the week's closes arrive on Friday and the close step catches up Monday to Friday.
 * SPX/Gold rose 6.1% at Monday's close (4900 → 5200 over gold at 2000) and stayed there.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { startApp, type App } from '../../src/main.ts';
import { zonedInstant } from '../../src/domain/digest-schedule.ts';
import { breakNextWeek, startFlatMarket } from '../fakes/quote-server.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { sourcesAt } from '../helpers/sources.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const ny = (date: string, time: string) => zonedInstant(date, time, 'America/New_York');

describe('a move watch made while the bot catches up on days it was down', () => {
  test('GIVEN /move typed on Wednesday after a move that came on Monday, before its close was stored THEN the catch-up tells that chat nothing of it; a chat that watched since before is told', async () => {
    const server = await startFlatMarket('2025-03-14');
    const tg = await FakeTelegram.start();
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-made-'));
    cleanups.push(
      () => server.close(),
      () => tg.close(),
      () => rmSync(dir, { recursive: true, force: true }),
    );
    const config = loadConfig({
      DATABASE_PATH: join(dir, 'g.db'),
      DATA_DIR: dir,
      BACKFILL_FROM: '2024-01-02',
      ...sourcesAt(server.url),
      HTTP_RETRIES: '1',
      HTTP_BACKOFF_MS: '1',
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      CHART_WORKERS: '0',
      CHART_WARMUP: 'off',
    });
    let now = ny('2025-03-14', '18:00');
    const start = async (): Promise<App> => {
      const app = await startApp(config, memoryLogger('warn'), { out: () => {}, now: () => now });
      cleanups.push(() => app.stop());
      await app.ready;
      return app;
    };
    const say = async (chat: number, text: string) => {
      const from = tg.calls.length;
      tg.textMessage(chat, text);
      await tg.waitFor((c) => (c.method === 'sendMessage' || c.method === 'sendPhoto') && c.chatId === String(chat), undefined, from);
    };

    // Friday 2025-03-14: chat 1 watches 5% over 5 trading days, subscribed to nothing else.
    const first = await start();
    await say(1, '/subscribe qqq');
    await say(1, '/move spx 5 5');
    await first.stop();

    // Wednesday 09:05 New York: the bot is back; the quote source has not the week's closes yet.
    now = ny('2025-03-19', '09:05');
    const second = await start();
    for (const chat of [2, 3]) await say(chat, '/subscribe qqq');
    await say(2, '/move spx 5 5'); // the same watch as chat 1's
    await say(3, '/move spx 4 5'); // a watch nobody had
    // Friday evening: Monday's to Friday's closes arrive and the close step decides them.
    now = ny('2025-03-21', '18:00');
    breakNextWeek(server);
    const before = tg.calls.length;
    await second.closeStep();
    await tg.waitFor((c) => c.chatId === '1' && /rose 6\.12% in 5 trading days/.test(String(c.params.caption ?? c.params.text)), undefined, before);
    const sent = (chat: number) =>
      tg.calls
        .slice(before)
        .filter((c) => c.chatId === String(chat) && (c.method === 'sendMessage' || c.method === 'sendPhoto'))
        .map((c) => String(c.params.caption ?? c.params.text));
    // Chat 1 asked before Monday: Monday's close is news to it, said with its day.
    expect(sent(1)).toEqual([expect.stringMatching(/^<b>SPX\/Gold rose 6\.12% in 5 trading days to the close of 2025-03-17: 2\.600<\/b>/)]);
    // Chats 2 and 3 asked on Wednesday, when the move was two days old and still under way: nothing.
    // (Before: both were sent on Friday 'SPX/Gold rose 6.12% in 5 trading days to the close of 2025-03-17', chat 3's at 4%.)
    expect(sent(2)).toEqual([]);
    expect(sent(3)).toEqual([]);
    // Nor is a move recorded for chat 3's watch, which nobody had on Monday (/history would list one nobody was told).
    expect(second.db.prepare('SELECT watch_key, date FROM move_events').all()).toEqual([{ watch_key: 'move:spx-gold:5:5', date: '2025-03-17' }]);
  }, 60_000);
});
