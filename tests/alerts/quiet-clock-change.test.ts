/**
 * The quiet-hours summary on a night the clocks go back, end to end on a fixed clock: startApp
 * with the real grammY bot against the Telegram fake, /quiet typed in an English and a Traditional
 * Chinese chat, level alerts decided by the real pipeline through Cairo's night of Thursday
 * 2025-10-30 (Egypt's summer time ends at midnight: 23:00–24:00 comes twice, and holds the New
 * York close), held in the outbox, and ONE summary each after 07:00 listing them in the order they
 * happened, the repeated hour's with their offsets.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { onSqlite } from '../../src/store/engine.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { startApp, type App } from '../../src/main.ts';
import { openDatabase } from '../../src/store/db.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { addDays } from '../../src/domain/dates.ts';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { CLOCK_DRIVEN_ENV } from '../helpers/app.ts';
import { telegramEnv } from '../helpers/telegram-harness.ts';

const EN = 601;
const TW = 602;
const users = { [EN]: { id: EN, first_name: 'U', language_code: 'en' }, [TW]: { id: TW, first_name: 'U', language_code: 'zh-tw' } };

let dir: string;
let tg: FakeTelegram;
let config: Config;
let app: App;
// Thursday 2025-10-30, 19:00 UTC = 22:00 in Cairo (UTC+3).
const clock = { now: Date.parse('2025-10-30T19:00:00Z') };

beforeAll(async () => {
  tg = await FakeTelegram.start();
  dir = mkdtempSync(join(tmpdir(), 'goldratio-quiet-dst-'));
  config = loadConfig({
    DATABASE_PATH: join(dir, 'g.db'),
    DATA_DIR: dir,
    ...telegramEnv(tg),
    ...CLOCK_DRIVEN_ENV,
    CRON_DISPATCH: '0 0 1 1 *',
    CHART_WORKERS: '0',
  });
  const db = openDatabase(config.databasePath);
  const q = new QuoteStore(onSqlite(db));
  const days: string[] = [];
  for (let d = '2024-10-01'; d <= '2025-10-29'; d = addDays(d, 1)) if (isTradingDay(d)) days.push(d);
  await q.upsertCloses(
    'gold',
    days.map((date) => ({ date, close: 4000, source: 'test' })),
  );
  await q.upsertCloses(
    'spx',
    days.map((date) => ({ date, close: 6800, source: 'test' })),
  );
  await q.upsertCloses(
    'qqq',
    days.map((date) => ({ date, close: 640, source: 'test' })),
  );
  db.close();
  app = await startApp(config, memoryLogger('warn'), { now: () => clock.now, skipInitialSync: true, out: () => {} });
  await app.ready;
}, 30_000);

afterAll(async () => {
  await app?.stop();
  await tg?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function say(chat: typeof EN | typeof TW, text: string): Promise<void> {
  const before = tg.callsTo('sendMessage', chat).length;
  tg.textMessage(chat, text, users[chat]);
  await tg.waitFor(() => tg.callsTo('sendMessage', chat).length > before);
}

const sends = (chat: number) => [...tg.callsTo('sendMessage', chat), ...tg.callsTo('sendPhoto', chat)].filter((c) => c.status === 200);

describe('the quiet-hours summary through a night the clocks go back (Cairo, a Thursday)', () => {
  test('GIVEN alerts at 23:45 before the change and 23:35 after it THEN the summary lists them in that order, each with its offset, in English and Traditional Chinese', {
    timeout: 60_000,
  }, async () => {
    for (const chat of [EN, TW] as const) {
      await say(chat, '/subscribe');
      await say(chat, '/quiet 23:00-07:00 Africa/Cairo');
    }
    const before = { [EN]: sends(EN).length, [TW]: sends(TW).length };
    for (const [iso, value] of [
      ['2025-10-30T20:45:00Z', 2.6], // 23:45 UTC+3: breaks above 2.5
      ['2025-10-30T21:35:00Z', 5.7], // 23:35 UTC+2, the hour again: breaks above 5.5
      ['2025-10-30T22:10:00Z', 0.65], // 00:10 Friday: enters the 0.6–0.7 zone from above
    ] as const) {
      clock.now = Date.parse(iso);
      await app.pipeline.tick('spx-gold', { date: '2025-10-30', value }, 'intraday');
      await app.dispatcher.drain();
    }
    expect(sends(EN).length).toBe(before[EN]);
    // 07:00:30 in Cairo (UTC+2 now).
    clock.now = Date.parse('2025-10-31T05:00:30Z');
    await app.dispatcher.drain();
    const en = sends(EN).slice(before[EN]);
    const tw = sends(TW).slice(before[TW]);
    expect(en).toHaveLength(1);
    expect(tw).toHaveLength(1);
    // Before: '2025-10-30 23:45: …', '2025-10-30 23:35: …', '2025-10-31 00:10: …', read as going backwards.
    expect(String(en[0]!.params.text)).toBe(
      [
        '<b>Quiet hours are over: 3 alerts while you were away, oldest first</b>',
        '2025-10-30 23:45 (UTC+3): SPX/Gold broke above 2.5: then 2.600',
        '2025-10-30 23:35 (UTC+2): SPX/Gold broke above 5.5: then 5.700',
        '2025-10-31 00:10: SPX/Gold entered the 0.6–0.7 zone from above: then 0.6500',
        '<i>Times in Africa/Cairo.</i>',
      ].join('\n'),
    );
    const lines = String(tw[0]!.params.text).split('\n');
    expect(lines.slice(1, 4).map((l) => l.replace(/：.*$/u, ''))).toEqual([
      '2025年10月30日 23:45（UTC+3）',
      '2025年10月30日 23:35（UTC+2）',
      '2025年10月31日 00:10',
    ]);
    expect(lines).toHaveLength(5);
  });
});
