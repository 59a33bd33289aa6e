/**
 * SQLite's write lock held by a SECOND REAL PROCESS (tests/fakes/lock-holder.ts: BEGIN IMMEDIATE
 * on the same file) for less and for more than busy_timeout, while the bot answers a command and
 * while the dispatcher records a photo it sent. Every write transaction begins IMMEDIATE, so it
 * waits busy_timeout instead of failing at once; past that, a command says the database is busy
 * and that nothing changed, and a delivery that happened is recorded later, never sent again.
 * The bot runs with DATABASE_BUSY_TIMEOUT_MS=BUSY_MS and the locks are scaled to it (the default
 * 5 s against 2 s and 8 s locks made this file 30 s of waiting); the ratios are what is tested.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_USER, FakeTelegram } from '../fakes/telegram.ts';
import { makeNotifier, makeTelegram, makeWorld, seedAlert, telegramEnv, type World } from '../helpers/telegram-harness.ts';
import type { Telegram } from '../../src/platforms/telegram/bot.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { t } from '../../src/domain/i18n/index.ts';
import { holdWriteLock, spawnBin, type Child } from '../helpers/process.ts';
import { until } from '../helpers/replicas.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QuoteStore } from '../../src/store/quotes.ts';
import { BUSY_TIMEOUT_MS } from '../../src/store/db.ts';

/**
 * The bot's busy_timeout here. SHORT is waited out, by over a second: a loaded machine's stall of a
 * child process is not mistaken for it. A lock that must outlast it is held until something has
 * waited it out, then let go (no fixed length outlasts a loaded machine's slowness).
 */
const BUSY_MS = 1500;
const SHORT_MS = 250;
import { onSqlite } from '../../src/store/engine.ts';

let fake: FakeTelegram;
let world: World;
let tg: Telegram;
let holder: Child | undefined;

beforeEach(async () => {
  fake = await FakeTelegram.start();
  world = makeWorld(telegramEnv(fake, { TELEGRAM_RATE: '200', DATABASE_BUSY_TIMEOUT_MS: String(BUSY_MS) }));
  tg = makeTelegram(world);
  await tg.start();
});
afterEach(async () => {
  holder?.child.kill('SIGTERM');
  await holder?.exited;
  holder = undefined;
  await tg.stop();
  await fake.close();
  world.cleanup();
});

describe('/subscribe while another process holds the write lock', () => {
  test('GIVEN a lock shorter than busy_timeout THEN the command waits it out and subscribes: no apology, one answer', async () => {
    holder = await holdWriteLock(world.config.databasePath, SHORT_MS);
    fake.textMessage(71, '/subscribe');
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '71', 20_000);
    await holder.waitFor(/^released$/m);
    // The answer came after the lock was let go (by the holder's clock: this process may be slow to
    // hear of the lock, and blocks while it waits on it), so the command waited for it.
    expect(call.at).toBeGreaterThanOrEqual(Number(/^releasing (\d+)$/m.exec(holder.stdout())![1]));
    expect(String(call.params.text)).not.toBe(t('en', 'chat.failed'));
    expect(String(call.params.text)).not.toBe(t('en', 'chat.busy'));
    expect((await world.deps.subs.get('telegram', '71'))?.active).toBe(true);
    expect(fake.callsTo('sendMessage', 71)).toHaveLength(1);
    expect(world.log.lines.join('\n')).not.toMatch(/database is locked|update failed/);
  });

  test('GIVEN a lock longer than busy_timeout THEN after busy_timeout the chat hears "busy, nothing changed, send it again", nothing half-written, and it works after', async () => {
    // Held until let go below, however late this process hears of it.
    holder = await holdWriteLock(world.config.databasePath, 0);
    const t0 = Date.now();
    fake.textMessage(72, '/subscribe');
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '72', 20_000);
    expect(String(call.params.text)).toBe(t('en', 'chat.busy'));
    // It gave up after busy_timeout, not at once (a deferred transaction would fail at once).
    expect(Date.now() - t0).toBeGreaterThanOrEqual(BUSY_MS * 0.9);
    expect(world.log.lines.filter((l) => /update not handled: the database is busy/.test(l))).toHaveLength(1);
    expect(world.log.lines.join('\n')).not.toMatch(/update failed/);
    holder.child.kill('SIGTERM');
    await holder.waitFor(/^released$/m, 15_000);
    expect(await world.deps.subs.get('telegram', '72')).toBeUndefined();
    fake.textMessage(72, '/subscribe');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '72' && String(c.params.text) !== t('en', 'chat.busy'));
    expect((await world.deps.subs.get('telegram', '72'))?.active).toBe(true);
  });

  test('GIVEN the chat speaks Chinese THEN the busy answer is in Traditional Chinese', async () => {
    await world.deps.subs.upsert('telegram', '73', { lang: 'zh-TW' });
    holder = await holdWriteLock(world.config.databasePath, 0);
    fake.textMessage(73, '/unsubscribe');
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '73', 20_000);
    expect(String(call.params.text)).toBe(t('zh-TW', 'chat.busy'));
    expect(String(call.params.text)).toMatch(/資料庫正忙/);
    expect((await world.deps.subs.get('telegram', '73'))?.active).toBe(true);
  });
});

describe('reading commands while another process holds the write lock', () => {
  test('GIVEN a new database (nothing written by the bot yet) and a lock held throughout THEN /help, /levels and /status answer at once, in the chat\'s language, none "busy"', async () => {
    holder = await holdWriteLock(world.config.databasePath, 0);
    for (const [chat, text] of [
      [75, '/help'],
      [76, '/levels'],
      [77, '/status'],
    ] as const) {
      fake.textMessage(chat, text, { ...DEFAULT_USER, language_code: chat === 76 ? 'zh-hant' : 'en' });
      const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chat), 20_000);
      expect(String(call.params.text), text).not.toBe(t('en', 'chat.busy'));
      expect(String(call.params.text), text).not.toBe(t('zh-TW', 'chat.busy'));
      expect(String(call.params.text), text).not.toBe(t('en', 'chat.failed'));
      if (chat === 76) expect(String(call.params.text)).toMatch(/[\u4e00-\u9fff]/);
    }
    // All three answered while the lock was still held: none of them needed it.
    expect(holder.stdout()).not.toMatch(/releasing/);
    expect(world.log.lines.join('\n')).not.toMatch(/database is busy|update failed/);
  });
});

/** The world's outbox drained to the Telegram fake by a real notifier and dispatcher, `concurrency` sends at a time. */
function telegramDispatcher(concurrency: number): { outbox: OutboxStore; d: Dispatcher } {
  const notifier = makeNotifier(world, fake);
  const outbox = new OutboxStore(onSqlite(world.db));
  return { outbox, d: new Dispatcher(outbox, world.deps.subs, { notifiers: [notifier], charts: world.charts, log: world.log, concurrency }) };
}

describe('an alert photo sent while another process holds the write lock', () => {
  test.each(['shorter', 'longer'] as const)(
    'GIVEN a lock %s than busy_timeout THEN each chat gets the photo once and its row is recorded sent',
    async (lock) => {
      const chats = ['81', '82', '83'];
      await seedAlert(world, chats);
      // A message long enough for a photo and a text part: the photo is recorded before the text goes.
      const { outbox, d } = telegramDispatcher(1);
      // The longer lock is held until a record has waited out busy_timeout, then let go: a lock of a
      // fixed length could end before any record came to wait on a loaded machine (slow to hear
      // "locked" and to send).
      holder = await holdWriteLock(world.config.databasePath, lock === 'shorter' ? SHORT_MS : 0);
      const drained = d.drain();
      if (lock === 'longer') {
        await until('a record waiting for the lock', () => world.log.lines.some((l) => /database is busy/.test(l)) || undefined, 20_000);
        holder.child.kill('SIGTERM');
      }
      const r = await drained;
      expect(r).toMatchObject({ sent: 3, retried: 0, failed: 0 });
      for (const chat of chats) expect(fake.callsTo('sendPhoto', chat)).toHaveLength(1);
      expect(await outbox.pendingCount()).toBe(0);
      // A second drain finds nothing to send: nothing goes out twice.
      expect(await d.drain()).toMatchObject({ sent: 0, retried: 0 });
      for (const chat of chats) expect(fake.callsTo('sendPhoto', chat)).toHaveLength(1);
      if (lock === 'longer') expect(world.log.lines.join('\n')).toMatch(/the database is busy \(another process holds its write lock\); recording/);
    },
    40_000,
  );

  test('GIVEN four sends in flight when a long lock starts THEN one warn line for the batch and one when their records are in, not one per delivery', async () => {
    const chats = ['91', '92', '93', '94', '95', '96', '97', '98'];
    await seedAlert(world, chats);
    const { d } = telegramDispatcher(4);
    // Held until the batch's records have waited out busy_timeout, then let go: a lock of a fixed
    // length could end before they did on a loaded machine (slow to hear "locked" and to send),
    // and then no record ever waited.
    holder = await holdWriteLock(world.config.databasePath, 0);
    const drained = d.drain();
    await until('the records waiting for the lock', () => world.log.lines.some((l) => /database is busy/.test(l)) || undefined, 20_000);
    holder.child.kill('SIGTERM');
    expect(await drained).toMatchObject({ sent: 8, retried: 0, failed: 0 });
    for (const chat of chats) expect(fake.callsTo('sendPhoto', chat)).toHaveLength(1);
    const said = world.log.lines.filter((l) => /database (is busy|took)/.test(l));
    expect(said).toEqual([
      expect.stringMatching(
        /WARN .*telegram: the database is busy \(another process holds its write lock\); recording what was sent again until it is stored: [1-4] deliver(y|ies) \(sent, or still sending\) waits?$/,
      ),
      expect.stringMatching(/INFO .*telegram: the database took the waiting records: /),
    ]);
    // Every delivery the warn named, those that waited and those written at their first try: as many
    // as were in flight when the first record met the lock (4 slots; one may be between two sends then).
    const named = Number(/: (\d) deliver(?:y|ies) \(sent, or still sending\)/.exec(said[0]!)?.[1]);
    expect(said[1]).toMatch(
      new RegExp(`: ${named} deliver(y|ies) recorded after \\d+ s( \\([1-3] waited; the other [1-3] (was|were) recorded at the first try\\))?$`),
    );
  }, 40_000);
});

describe('a large goldratio import beside the running bot', () => {
  test('GIVEN 12,000 rows being imported by another process THEN /subscribe waits for it and subscribes, and the import lands whole', async () => {
    // Gold's weekdays from 1976 to mid-2022, before the harness's synthetic history: all new rows.
    const rows = ['date,close'];
    const d = new Date(Date.UTC(2022, 5, 30));
    for (let n = 0; n < 12_000; d.setUTCDate(d.getUTCDate() - 1)) {
      if (d.getUTCDay() === 0 || d.getUTCDay() === 6) continue;
      rows.push(`${d.toISOString().slice(0, 10)},${(100 + 20 * Math.sin(n / 200)).toFixed(2)}`);
      n++;
    }
    const csv = join(world.config.dataDir, 'gold-big.csv');
    writeFileSync(csv, `${[rows[0], ...rows.slice(1).reverse()].join('\n')}\n`);
    // This bot keeps the default busy_timeout: the import's one write transaction is what it waits out.
    world.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const before = await new QuoteStore(onSqlite(world.db)).count('gold');
    const imp = spawnBin(['import', 'gold', csv], { DATABASE_PATH: world.config.databasePath, LOG_LEVEL: 'debug' });
    await imp.waitFor(/import: writing/);
    fake.textMessage(74, '/subscribe');
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '74', 20_000);
    const { code } = await imp.exited;
    expect(code, imp.stderr()).toBe(0);
    expect(String(call.params.text)).not.toBe(t('en', 'chat.failed'));
    expect(String(call.params.text)).not.toBe(t('en', 'chat.busy'));
    expect((await world.deps.subs.get('telegram', '74'))?.active).toBe(true);
    const landed = Number(/\((\d+) new/.exec(imp.stdout())?.[1]);
    expect(landed).toBeGreaterThan(10_000);
    expect((await new QuoteStore(onSqlite(world.db)).count('gold')) - before).toBe(landed);
  }, 60_000);
});
