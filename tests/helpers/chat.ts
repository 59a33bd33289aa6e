/** A real temp database with real stores and a few seeded closes, for the chat command tests. */
import { mkdtempSync } from 'node:fs';
import { onSqlite } from '../../src/store/engine.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import type { ChatContext, ChatDeps } from '../../src/chat/context.ts';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { writeDatabase } from './sqlite-image.ts';
import { discardDb } from './discard-db.ts';
import { EventStore } from '../../src/store/events.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { DigestStore } from '../../src/store/digests.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { QuietStore } from '../../src/store/quiet.ts';
import { MoveStore } from '../../src/store/moves.ts';

/** When the closes were written and when the commands run: data is 2 h old. */
export const WRITTEN = new Date('2026-11-20T22:00:00Z');
export const NOW_MS = Date.parse('2026-11-21T00:00:00Z');

export interface ChatWorld {
  readonly db: Db;
  readonly deps: ChatDeps;
  readonly quotes: QuoteStore;
  readonly events: EventStore;
  /** Every subscription row and watch, to prove a command wrote nothing. */
  dump(): string;
  close(): void;
}

export function chatWorld(opts: { seed?: boolean } = {}): ChatWorld {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-chat-'));
  const path = join(dir, 'chat.db');
  const db = openDatabase(opts.seed === false ? writeDatabase(path) : writeDatabase(path, 'chat-world', (d) => seed(new QuoteStore(onSqlite(d)))));
  const config = loadConfig({});
  const quotes = new QuoteStore(onSqlite(db));
  const events = new EventStore(onSqlite(db));
  const subs = new SubscriptionStore(onSqlite(db), { approachPct: config.approachPct, lang: config.defaultLang });
  return {
    db,
    quotes,
    events,
    // Today as the UTC date: the tests' clock sits at midnight UTC, where the NY date is still the day before.
    deps: {
      view: new MarketView(quotes),
      subs,
      events,
      config,
      today: (ms) => new Date(ms).toISOString().slice(0, 10),
      digests: new DigestStore(onSqlite(db)),
      quiet: new QuietStore(onSqlite(db)),
      moves: new MoveStore(onSqlite(db)),
    },
    dump: () =>
      JSON.stringify([
        db.prepare('SELECT * FROM subscriptions ORDER BY id').all(),
        db.prepare('SELECT * FROM sub_watches ORDER BY watch_key, subscription_id').all(),
        db.prepare('SELECT * FROM move_watches ORDER BY watch_key, subscription_id').all(),
      ]),
    close: () => discardDb(db, dir),
  };
}

/**
 * SPX/Gold: 1.5 at the year's start, 1.4 a month ago, 1.35 the day before, 1.39 now.
 * QQQ/Gold: 0.15 now. Gold stays at 4000 so the ratios are easy to check by hand.
 */
function seed(q: QuoteStore): void {
  // On SQLite a write lands before upsertCloses returns (its unit runs synchronously inside one
  // transaction), so a world built synchronously is seeded when it is handed over; a failure
  // still fails the test, as an unhandled rejection.
  const rows = (pairs: [string, number][]) => pairs.map(([date, close]) => ({ date, close, source: 'yahoo' }));
  void q.upsertCloses(
    'gold',
    rows([
      ['2025-12-31', 4000],
      ['2026-10-20', 4000],
      ['2026-11-19', 4000],
      ['2026-11-20', 4000],
    ]),
    WRITTEN,
  );
  void q.upsertCloses(
    'spx',
    rows([
      ['2025-12-31', 6000],
      ['2026-10-20', 5600],
      ['2026-11-19', 5400],
      ['2026-11-20', 5560],
    ]),
    WRITTEN,
  );
  void q.upsertCloses(
    'qqq',
    rows([
      ['2025-12-31', 640],
      ['2026-10-20', 620],
      ['2026-11-19', 580],
      ['2026-11-20', 600],
    ]),
    WRITTEN,
  );
}

export interface TestContext extends ChatContext {
  /** How often the command asked the platform for admin rights. */
  readonly adminAsks: () => number;
}

export function chatCtx(over: Partial<Omit<ChatContext, 'isAdmin'>> & { admin?: boolean } = {}): TestContext {
  let asks = 0;
  const { admin = true, ...rest } = over;
  return {
    platform: 'telegram',
    chatId: '1001',
    chatType: 'private',
    userLanguageCode: 'en',
    nowMs: NOW_MS,
    ...rest,
    isAdmin: async () => {
      asks++;
      return admin;
    },
    adminAsks: () => asks,
  };
}

/** A chat in each language (en, zh-TW, zh-CN), by language: the tests that read one reply three ways. */
export const LANG_CHATS = {
  en: chatCtx({ chatId: 'en', userLanguageCode: 'en' }),
  'zh-TW': chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' }),
  'zh-CN': chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' }),
} as const;

/** The move alerts a Telegram chat of `w` has set. */
export const movesOf = async (w: ChatWorld, chatId: string) => w.deps.moves!.list((await w.deps.subs.get('telegram', chatId))!.id);
