/** Retention: old delivered or dead outbox rows go, in small batches; pending rows and events stay. */
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { pruneOutbox } from '../../src/store/retention.ts';
import { loadConfig } from '../../src/config.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');
let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

function seeded(): Db {
  dir = mkdtempSync(join(tmpdir(), 'goldratio-retention-'));
  const db = openDatabase(join(dir, 'g.db'));
  db.prepare(
    "INSERT INTO events (date, pair, level_id, watch_key, kind, direction, value, level_value, basis, created_at) VALUES ('2026-01-02', 'spx-gold', 'l', 'w', 'cross-up', 'up', 2.6, 2.5, 'close', ?)",
  ).run(NOW - 200 * DAY);
  const message = db.prepare("INSERT INTO messages (kind, body, dedupe_key, created_at) VALUES ('alert', '{}', ?, ?)");
  const row = db.prepare('INSERT INTO outbox (message_id, subscription_id, platform, chat_id, status, sent_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    const m = [1, 2, 3, 4].map((i) => message.run(`test:${i}`, NOW - 200 * DAY).lastInsertRowid);
    // 1000 old rows of each final status, 50 old pending, and 100 recent delivered.
    for (let i = 0; i < 1000; i++) row.run(m[0], i, 'telegram', String(i), 'sent', NOW - 120 * DAY, NOW - 120 * DAY);
    for (let i = 0; i < 1000; i++) row.run(m[1], i, 'telegram', String(i), 'dead', null, NOW - 100 * DAY);
    for (let i = 0; i < 50; i++) row.run(m[2], i, 'telegram', String(i), 'pending', null, NOW - 150 * DAY);
    for (let i = 0; i < 100; i++) row.run(m[3], i, 'telegram', String(i), 'sent', NOW - 10 * DAY, NOW - 10 * DAY);
  })();
  return db;
}

const count = (db: Db, where: string) => (db.prepare(`SELECT count(*) n FROM outbox WHERE ${where}`).get() as { n: number }).n;

describe('outbox retention', () => {
  test('GIVEN old delivered, old dead, old pending and recent rows THEN only the old delivered and dead go; events stay', async () => {
    const db = seeded();
    const r = await pruneOutbox(db, { olderThanMs: NOW - 90 * DAY, batch: 300 });
    expect(r).toEqual({ deleted: 2000, batches: 7 });
    expect(count(db, "status = 'pending'")).toBe(50);
    expect(count(db, "status = 'sent'")).toBe(100);
    expect(count(db, "status = 'dead'")).toBe(0);
    expect((db.prepare('SELECT count(*) n FROM events').get() as { n: number }).n).toBe(1);
    expect((db.prepare('SELECT count(*) n FROM messages').get() as { n: number }).n).toBe(4);
    // A second run finds nothing.
    expect(await pruneOutbox(db, { olderThanMs: NOW - 90 * DAY, batch: 300 })).toEqual({ deleted: 0, batches: 0 });
    db.close();
  });

  test('GIVEN a long prune THEN the event loop runs between batches (a send is never held for more than one batch)', async () => {
    const db = seeded();
    let running = true;
    // A concurrent writer (like a send being recorded) gets in between batches.
    let writes = 0;
    const write = db.prepare(
      "UPDATE outbox SET attempts = attempts + 1 WHERE status = 'pending' AND id = (SELECT min(id) FROM outbox WHERE status = 'pending')",
    );
    const writer = (): void => {
      if (!running) return;
      write.run();
      writes++;
      setImmediate(writer);
    };
    setImmediate(writer);
    const r = await pruneOutbox(db, { olderThanMs: NOW - 90 * DAY, batch: 50 });
    running = false;
    expect(r.batches).toBe(40);
    expect(writes).toBeGreaterThanOrEqual(r.batches - 1);
    db.close();
  });

  test('GIVEN an abort THEN it stops after the current batch', async () => {
    const db = seeded();
    const ac = new AbortController();
    setImmediate(() => ac.abort());
    const r = await pruneOutbox(db, { olderThanMs: NOW - 90 * DAY, batch: 100, signal: ac.signal });
    expect(r.batches).toBe(1);
    expect(count(db, "status IN ('sent','dead')")).toBe(2100 - 100);
    db.close();
  });

  test('RETENTION_DAYS: default 90, range 1..3650', () => {
    expect(loadConfig({}).retentionDays).toBe(90);
    expect(() => loadConfig({ RETENTION_DAYS: '0' })).toThrow(/RETENTION_DAYS: expected a number (from 1 to 3650|>= 1)/);
    expect(() => loadConfig({ RETENTION_DAYS: '5000' })).toThrow(/RETENTION_DAYS: expected a number/);
  });
});
