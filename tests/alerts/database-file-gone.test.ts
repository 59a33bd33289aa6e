/**
 * The database file deleted under the running bot: SQLite goes on writing to the open, unlinked
 * file, so a delivery's record would be lost at the next start. An operator restores a backup and
 * restarts; the restored database decides the same break again and sends it. So nothing is sent
 * while the file is gone: the chat gets the alert once, after the restore, not twice.
 */
import { afterEach, expect, test } from 'vitest';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onSqlite } from '../../src/store/engine.ts';
import { openDatabase } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { AlertPipeline, type RatioSource } from '../../src/alerts/pipeline.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import type { PairId } from '../../src/domain/instruments.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';
import { RecordingNotifier, tradingDayCloses } from '../helpers/recording.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0).reverse()) f();
});

function bot(path: string, n: RecordingNotifier) {
  const db = openDatabase(path);
  cleanups.push(() => db.close());
  const store = onSqlite(db);
  const subs = new SubscriptionStore(store, { approachPct: 0, lang: 'en' });
  const pipeline = new AlertPipeline(new DecisionStore(store), subs, { approachPct: 0, hysteresisPct: 1, now: () => 1_000_000 });
  return { db, subs, pipeline, dispatcher: new Dispatcher(new OutboxStore(store), subs, { notifiers: [n] }) };
}

const source = (values: readonly number[]): RatioSource => {
  const points = tradingDayCloses(values);
  return { ratio: (p: PairId) => (p === 'spx-gold' ? points : []) };
};

test('GIVEN the database file deleted under the running bot WHEN a break is decided THEN nothing is sent into the lost file, and after a restore and restart the chat gets the break once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-gone-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = writeDatabase(join(dir, 'g.db'));
  const n = new RecordingNotifier();
  const a = bot(path, n);
  await a.subs.upsert('telegram', '1');
  await a.pipeline.catchUp(source([2.45]));
  // Last night's backup.
  a.db.exec(`VACUUM INTO '${join(dir, 'backup.db')}'`);
  // The file deleted (the WAL with it, as `rm data/*` does); the bot runs on and the close breaks 2.5.
  for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  expect((await a.pipeline.catchUp(source([2.45, 2.52]))).events).toHaveLength(1);
  expect(await a.dispatcher.drain()).toMatchObject({ sent: 0 });
  expect(n.got).toEqual([]);
  // Restored and restarted: the break is decided again from the backup, and sent.
  renameSync(join(dir, 'backup.db'), path);
  const b = bot(path, n);
  expect((await b.pipeline.catchUp(source([2.45, 2.52]))).events).toHaveLength(1);
  await b.dispatcher.drain();
  expect(n.got.map((d) => d.chatId)).toEqual(['1']);
});
