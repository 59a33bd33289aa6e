/**
 * Shared by the Telegram tests and bench: a real temp SQLite with a synthetic market history, the
 * real chat deps and chart service, and the bot wired to a FakeTelegram.
 */
import { mkdtempSync } from 'node:fs';
import { expect } from 'vitest';
import { levelEvent } from './level-event.ts';
import { onSqlite, type StoreDb } from '../../src/store/engine.ts';
import type { Text } from '../../src/domain/message.ts';
import { MetaStore } from '../../src/store/meta.ts';
import { ChatTypeStore } from '../../src/store/chat-types.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { writeDatabase } from './sqlite-image.ts';
import { discardDb } from './discard-db.ts';
import { reusedCharts } from './reused-charts.ts';
import { QuoteStore, type CloseRow } from '../../src/store/quotes.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { EventStore } from '../../src/store/events.ts';
import { DigestStore } from '../../src/store/digests.ts';
import { QuietStore } from '../../src/store/quiet.ts';
import { MoveStore } from '../../src/store/moves.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { runUnit } from '../../src/store/unit.ts';
import { alertMessage } from '../../src/domain/alert-message.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { ChartService } from '../../src/charts/service.ts';
import type { ChatDeps } from '../../src/chat/registry.ts';
import { addDays, toEpochDay } from '../../src/domain/dates.ts';
import { memoryLogger } from '../../src/log.ts';
import { tradingDate } from '../../src/domain/nyse-calendar.ts';
import { createTelegram, type Telegram } from '../../src/platforms/telegram/bot.ts';
import { RIGHTS_SCAN_KEY } from '../../src/platforms/telegram/rights-scan.ts';
import { TelegramNotifier } from '../../src/platforms/telegram/notifier.ts';
import { Api } from 'grammy';
import { type ChatType, FakeTelegram, type FakeUser, type RecordedCall } from '../fakes/telegram.ts';

export interface World {
  readonly db: Db;
  readonly config: Config;
  readonly deps: ChatDeps;
  readonly charts: ChartService;
  readonly log: ReturnType<typeof memoryLogger>;
  cleanup(): void;
}

/** `n` weekday closes ending today: SPX/Gold wanders around 1.5–2.1, QQQ/Gold around 0.15–0.2. */
export function synthetic(today: string, n: number, base: number, amp: number, period: number, source: string): CloseRow[] {
  const rows: CloseRow[] = [];
  for (let d = today; rows.length < n; d = addDays(d, -1)) {
    const dow = (toEpochDay(d) + 4) % 7;
    if (dow === 0 || dow === 6) continue;
    const i = toEpochDay(d);
    rows.push({ date: d, close: Number((base + amp * Math.sin(i / period)).toFixed(2)), source });
  }
  return rows.reverse();
}

/** A world whose closes end on `nowMs`'s day; with `now`, its charts read the clock the bots are given (a footer is not 資料過舊 beside them). */
export function makeWorld(env: Record<string, string> = {}, nowMs = Date.now(), now?: () => number): World {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-telegram-'));
  const config = loadConfig({ DATABASE_PATH: join(dir, 'test.db'), DATA_DIR: dir, LOG_LEVEL: 'silent', ...env });
  const today = new Date(nowMs).toISOString().slice(0, 10);
  writeDatabase(config.databasePath, `world ${today}`, (db) => {
    const quotes = new QuoteStore(onSqlite(db));
    // On SQLite each write lands before upsertCloses returns (one synchronous transaction).
    void quotes.upsertCloses('spx', synthetic(today, 800, 5600, 400, 40, 'test'));
    void quotes.upsertCloses('qqq', synthetic(today, 800, 480, 40, 35, 'test'));
    void quotes.upsertCloses('gold', synthetic(today, 800, 3000, 150, 55, 'test'));
  });
  const db = openDatabase(config.databasePath, undefined, config.databaseBusyTimeoutMs);
  // As a bot that ran today: its start does not scan for chats whose rights came back (rights-scan.ts)
  // while a test sets up its chats; tests/platforms/telegram/rights-scan.test.ts sets this key itself.
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(RIGHTS_SCAN_KEY, String(nowMs));
  const quotes = new QuoteStore(onSqlite(db));
  const view = new MarketView(quotes);
  const deps: ChatDeps = {
    view,
    subs: new SubscriptionStore(onSqlite(db), { approachPct: config.approachPct, lang: config.defaultLang }),
    events: new EventStore(onSqlite(db)),
    config,
    today: tradingDate,
    // As main.ts wires them: /digest, /quiet and /move work end to end.
    digests: new DigestStore(onSqlite(db)),
    quiet: new QuietStore(onSqlite(db)),
    moves: new MoveStore(onSqlite(db)),
  };
  return {
    db,
    config,
    deps,
    // Each distinct chart drawn once per worker (reused-charts.ts), on this thread.
    charts: new ChartService(view, { pool: reusedCharts, ...(now !== undefined ? { now } : {}) }),
    log: memoryLogger(),
    cleanup: () => discardDb(db, dir),
  };
}

export function telegramEnv(fake: FakeTelegram, extra: Record<string, string> = {}): Record<string, string> {
  return { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, ...extra };
}

export function makeTelegram(world: World, webhookPort?: number, now?: () => number): Telegram {
  return createTelegram({
    ...(now !== undefined ? { now } : {}),
    config: world.config,
    deps: world.deps,
    charts: world.charts,
    log: world.log,
    // As main.ts wires it: what the bot notes beside the chats (the edit ledger among them) in the database.
    meta: new MetaStore(onSqlite(world.db)),
    chatTypes: new ChatTypeStore(onSqlite(world.db)),
    ...(webhookPort !== undefined ? { webhookPort } : {}),
  });
}

/** The fake Bot API, a world wired to it, and the real bot started against both. */
export interface RunningBot {
  readonly fake: FakeTelegram;
  readonly world: World;
  readonly tg: Telegram;
}

/**
 * Starts a fake Bot API, a world pointed at it (`env` beside its token and root, as telegramEnv
 * takes it) and the bot (webhook mode on `webhookPort`, as makeTelegram takes it): a test file's
 * `beforeEach(async () => ({ fake, world, tg } = await startBot()))`, with stopBot after.
 */
export async function startBot(env: Record<string, string> = {}, webhookPort?: number): Promise<RunningBot> {
  const fake = await FakeTelegram.start();
  const world = makeWorld(telegramEnv(fake, env));
  const tg = makeTelegram(world, webhookPort);
  await tg.start();
  return { fake, world, tg };
}

/** Stops what startBot started: the bot, then the fake, then the world's database and folder. */
export async function stopBot({ fake, world, tg }: RunningBot): Promise<void> {
  await tg.stop();
  await fake.close();
  world.cleanup();
}

/** A real notifier sending to `fake`, with the world's Telegram settings (rate, group limit, paid broadcast) and log; a request times out after 10 s. */
export function makeNotifier(world: World, fake: FakeTelegram): TelegramNotifier {
  const tg = world.config.telegram;
  return new TelegramNotifier({
    api: new Api(fake.token, { apiRoot: fake.apiRoot, timeoutSeconds: 10 }),
    rate: tg.rate,
    groupPerMinute: tg.groupPerMinute,
    paidBroadcast: tg.paidBroadcast,
    log: world.log,
  });
}

/** Types `text` into the chat `chatId` (of Telegram type `type`) as `user` and waits for the bot's next message there, text or photo: that call. */
export function nextAnswer(fake: FakeTelegram, chatId: number, text: string, user: FakeUser, type?: ChatType): Promise<RecordedCall> {
  const from = fake.calls.length;
  fake.textMessage(chatId, text, user, type);
  return fake.waitFor((c) => (c.method === 'sendMessage' || c.method === 'sendPhoto') && c.chatId === String(chatId), undefined, from);
}

/** The text of the bot's next message in `chatId` to `text` typed there (nextAnswer's). */
export async function nextText(fake: FakeTelegram, chatId: number, text: string, user: FakeUser, type?: ChatType): Promise<string> {
  return String((await nextAnswer(fake, chatId, text, user, type)).params.text);
}

/**
 * An alert on the chats' own level 1.8 of SPX/Gold (the chats hold it already, as /mylevels add spx
 * 1.8 left it: one watch), fanned out to every chat holding it, with `title` in place of the alert's
 * own where given: the event and the outbox its rows are in.
 */
export async function ownLevelAlert(db: StoreDb, opts: { readonly value?: number; readonly title?: Text } = {}) {
  const watches = await db.k.selectFrom('sub_watches').select('watch_key').distinct().where('watch_key', 'like', 'spx-gold-custom-%').execute();
  expect(watches).toHaveLength(1);
  const watchKey = watches[0]!.watch_key;
  const nowMs = Date.now();
  const event = {
    date: new Date(nowMs).toISOString().slice(0, 10),
    pair: 'spx-gold',
    levelId: 'spx-gold-custom-1.8',
    watchKey,
    kind: 'cross-down',
    direction: 'down',
    value: 1.79,
    levelValue: opts.value ?? 1.8,
    basis: 'close',
    createdAt: nowMs,
  } as const;
  const outbox = new OutboxStore(db);
  await runUnit(db, function* () {
    const id = yield* new EventStore(db).insert(event);
    const message = yield* outbox.addMessage(
      'alert',
      opts.title === undefined ? alertMessage(event) : { ...alertMessage(event), title: opts.title },
      `event:${id}`,
      nowMs,
    );
    yield* outbox.fanOut(message, watchKey, false, nowMs);
  });
  return { event, outbox };
}

/** Accepts only what Telegram's HTML parse mode accepts from us: b/i/code tags and the three entities. */
export function isTelegramHtml(s: string): boolean {
  const stripped = s.replace(/<\/?(b|i|code)>/g, '');
  return !/[<>]/.test(stripped) && !/&(?!amp;|lt;|gt;)/.test(stripped);
}

/** Subscribes `chatIds` on Telegram and records one level event fanned out to them; returns its id. */
export function seedAlert(world: World, chatIds: readonly string[], nowMs = Date.now()): Promise<number> {
  return seedEvent(
    world,
    chatIds.map((chatId) => ({ platform: 'telegram', chatId })),
    nowMs,
  );
}

/** Subscribes `subscribers` on `platform` and records one level event fanned out to every subscriber; returns its id. */
export async function seedEvent(
  world: World,
  subscribers: readonly { platform: 'console' | 'discord' | 'telegram' | 'webhook'; chatId: string }[],
  nowMs = Date.now(),
): Promise<number> {
  for (const s of subscribers) await world.deps.subs.upsert(s.platform, s.chatId);
  return levelEvent(onSqlite(world.db), nowMs);
}
