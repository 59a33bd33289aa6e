/** An outbox and its chats on a SQLite file of its own: the scene of the dispatcher's tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import type { Message } from '../../src/domain/message.ts';
import { writeDatabase } from './sqlite-image.ts';

/** A migrated SQLite file in a folder named by `prefix`, closed and removed by `cleanups` (which the test file runs after each test). */
export function outboxOnFile(prefix: string, cleanups: (() => void)[]): { db: Db; subs: SubscriptionStore; outbox: OutboxStore } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = openDatabase(writeDatabase(join(dir, 'outbox.db')));
  cleanups.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = onSqlite(db);
  return { db, subs: new SubscriptionStore(store, { approachPct: 3, lang: 'en' }), outbox: new OutboxStore(store) };
}

/** An alert of SPX/Gold crossing 2.5 upward: one line, any chat's language. */
export const CROSS_UP_ALERT: Message = {
  lines: [{ key: 'alert.cross-up', params: { pair: { key: 'pair.spx-gold' }, level: '2.500', value: '2.510', distance: '0.4%' } }],
};
