/**
 * The disk holding the SQLite database fills right after a delivery: the message is out, its record
 * cannot be written (SQLITE_FULL). The dispatcher keeps that record and writes it once there is room,
 * so the chat is not sent the alert again when the disk is freed; no new send starts meanwhile.
 */
import { afterEach, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onSqlite } from '../../src/store/engine.ts';
import { openDatabase } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { memoryLogger } from '../../src/log.ts';
import { sleep } from '../../src/sleep.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';
import { RecordingNotifier } from '../helpers/recording.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

test('GIVEN the disk filling between a delivery and its record THEN the record waits for room, the chat gets the alert once, and nothing else is sent meanwhile', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-full-'));
  const db = openDatabase(writeDatabase(join(dir, 'a.db')));
  cleanups.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
  const outbox = new OutboxStore(onSqlite(db));
  const ids = await Promise.all(['1', '2', '3'].map(async (c) => (await subs.upsert('telegram', c))!.id));
  await outbox.enqueue('alert', { lines: ['a level break'] }, ids);
  // The disk full, as SQLite meets it: no page may be added to the file. A delivery's record is made
  // to need pages (each one written beside a large blob), so SQLite itself answers SQLITE_FULL to it.
  db.exec('CREATE TABLE filler (b BLOB); CREATE TRIGGER grow AFTER UPDATE OF sent_at ON outbox BEGIN INSERT INTO filler VALUES (zeroblob(65536)); END');
  let full = false;
  const n = new RecordingNotifier({
    script: (_d, k) => {
      if (k.all === 0) {
        db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
        full = true;
      }
      return { kind: 'sent' };
    },
  });
  const log = memoryLogger('info');
  const d = new Dispatcher(outbox, subs, { notifiers: [n], concurrency: 1, log });
  const drained = d.drain().catch((e: unknown) => e);
  await sleep(1_500);
  expect(full).toBe(true);
  // While the record waits, no other chat is sent to.
  expect(n.got.map((g) => g.chatId)).toEqual(['1']);
  // Room again.
  db.pragma('max_page_count = 1073741823');
  const first = await drained;
  expect(first).not.toBeInstanceOf(Error);
  await d.drain();
  expect(n.got.map((g) => g.chatId)).toEqual(['1', '2', '3']);
  const said = log.records.map((r) => String(r.msg)).filter((m) => /disk/.test(m));
  expect(said).toEqual([
    'telegram: the disk holding the database is full: 1 delivery (sent, or still sending) waits to be recorded and no new send starts; recording it again until there is room',
    expect.stringMatching(/^telegram: there is room on the disk again: 1 delivery recorded after \d+ s$/),
  ]);
});
