/**
 * What keeping replicas' chat menus right costs (platforms/telegram/chat-menu.ts `changes`): with
 * replicas, each reads the database's marks of change (subs_version and the chat menus' mark) at most
 * once a second, at an update, instead of trusting its memory of a chat for up to MEMORY_MS (5 min).
 * Set beside it what the other way would cost: no memory with replicas, each update reading its
 * chat's subscription and its menu as given. On SQLite (one file) and, with GOLDRATIO_BENCH_PG_URL,
 * on PostgreSQL, at hand and 1 ms each way (a server on another machine). Medians of 200.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/store/db.ts';
import { onPostgres, onSqlite, type StoreDb } from '../src/store/engine.ts';
import { MetaStore } from '../src/store/meta.ts';
import { SubscriptionStore } from '../src/store/subscriptions.ts';
import { CHAT_MENU_PREFIX, CHAT_MENUS_CHANGED } from '../src/platforms/telegram/chat-menu.ts';
import { measureAsync, report } from './_util.ts';
import { PG_URL, pgCopy } from './_pg.ts';

const CHATS = 5_000;
const RUNS = 200;

async function seed(store: StoreDb): Promise<void> {
  const subs = new SubscriptionStore(store, { approachPct: 3, lang: 'en' });
  const meta = new MetaStore(store);
  for (let i = 0; i < CHATS; i += 1) {
    await subs.upsert('telegram', String(100_000 + i), { lang: i % 3 === 0 ? 'zh-TW' : 'en' });
    if (i % 3 === 0) await meta.set(`${CHAT_MENU_PREFIX}${100_000 + i}`, 'zh-TW 0123456789ab');
  }
  await meta.set(CHAT_MENUS_CHANGED, 'seed');
}

async function bench(name: string, store: StoreDb): Promise<void> {
  const subs = new SubscriptionStore(store, { approachPct: 3, lang: 'en' });
  const meta = new MetaStore(store);
  // As bot.ts reads them: the two at once.
  const marks = await measureAsync(RUNS, async () => (await Promise.all([subs.version(), meta.get(CHAT_MENUS_CHANGED)])).join(' '));
  let i = 0;
  const chat = await measureAsync(RUNS, async () => {
    const id = String(100_000 + ((i += 7) % CHATS));
    await subs.get('telegram', id);
    await meta.get(`${CHAT_MENU_PREFIX}${id}`);
  });
  report(`${name}: the marks read (once a second at most)`, marks.median);
  report(`${name}: a chat read again (each update, without memory)`, chat.median);
}

const dir = mkdtempSync(join(tmpdir(), 'goldratio-bench-marks-'));
try {
  const db = openDatabase(join(dir, 'marks.db'));
  await seed(onSqlite(db));
  await bench('SQLite', onSqlite(db));
  if (PG_URL !== undefined) {
    for (const msEachWay of [undefined, 1]) {
      const pg = await pgCopy(PG_URL, db, 'marks', msEachWay === undefined ? {} : { msEachWay });
      try {
        await bench(`PostgreSQL${msEachWay === undefined ? '' : `, ${msEachWay} ms each way`}`, onPostgres(pg.store));
      } finally {
        await pg.drop();
      }
    }
  }
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
