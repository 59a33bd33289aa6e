/**
 * Today's outbox columns (020 failing_since, 021 parts_day, 022 parts_then) added to a database of
 * schema 19 that holds rows, as the goldratio before them left it: a message resumed after its first
 * part and one being retried. On SQLite (a real file) and on PostgreSQL (a database of its own): the
 * rows read as before (no day, no tense recorded, no first failure yet), and the new writes land on
 * them; a part recorded on a row whose first part went out before 022 keeps its tense unknown (the
 * dispatcher goes on saying "now", as it did), while a row none of whose parts went out records its
 * first part's.
 */
import { describe, expect, test } from 'vitest';
import { type Kysely, sql } from 'kysely';
import { schemaVersion } from '../../src/store/db.ts';
import { postgresSchemaVersion } from '../../src/store/postgres.ts';
import type { StoreDb } from '../../src/store/engine.ts';
import { latestVersion, MIGRATIONS } from '../../src/store/migrations/index.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { describeWithPostgres } from '../helpers/postgres.ts';
import { upgradedStore } from '../helpers/old-store.ts';

const AT_19 = MIGRATIONS.filter((m) => m.version <= 19);
const T = 1_796_000_000_000;

/** Two chats, one message, two rows: one with a part out, one retried once (as schema 19 stores them). */
async function fillAt19(db: StoreDb): Promise<void> {
  for (const [chat, zone, time] of [
    ['1', 'Asia/Taipei', '08:30'],
    ['2', 'UTC', null],
  ] as const) {
    await sql`INSERT INTO subscriptions (platform, chat_id, pairs, level_ids, custom_levels, approach_pct, lang, timezone, digest_time, created_at, updated_at)
      VALUES ('telegram', ${chat}, '[]', 'all', '[]', 3, 'zh-TW', ${zone}, ${time}, 1, 1)`.execute(db.k);
  }
  await sql`INSERT INTO messages (kind, body, created_at) VALUES ('digest', ${JSON.stringify({ title: 'Daily digest', lines: ['a line'] })}, ${T})`.execute(
    db.k,
  );
  await sql`INSERT INTO outbox (message_id, subscription_id, platform, chat_id, status, parts_sent, parts_lang, attempts, next_at, created_at)
    VALUES (1, 1, 'telegram', '1', 'pending', 1, 'zh-TW', 0, ${T}, ${T}), (1, 2, 'telegram', '2', 'pending', 0, NULL, 1, ${T + 5000}, ${T})`.execute(db.k);
}

async function upgraded(db: StoreDb): Promise<void> {
  const outbox = new OutboxStore(db);
  const rows = await outbox.due('telegram', T + 10_000, 10);
  expect(
    rows.map((r) => ({
      chat: r.chatId,
      partsSent: r.partsSent,
      partsDay: r.partsDay,
      partsThen: r.partsThen,
      zone: r.zone,
      failingSince: r.failingSince,
      attempts: r.attempts,
    })),
  ).toEqual([
    { chat: '1', partsSent: 1, partsDay: null, partsThen: null, zone: 'Asia/Taipei', failingSince: null, attempts: 0 },
    { chat: '2', partsSent: 0, partsDay: null, partsThen: null, zone: 'UTC', failingSince: null, attempts: 1 },
  ]);
  const [resumed, retried] = rows;
  // The retried one starts its failing spell at its next failure; the resumed one keeps its next part's day.
  await outbox.failedTry(retried!.id, T + 20_000, 'HTTP 502', T + 10_000, false);
  expect(await outbox.row(retried!.id)).toMatchObject({ status: 'pending', attempts: 1, failingSince: T + 10_000 });
  await outbox.failedTry(resumed!.id, T + 20_000, 'HTTP 502', T + 10_000, false);
  await outbox.markPartsSent(resumed!.id, 2, 'zh-TW', { day: '2026-12-07' });
  // A part delivered ends the failing spell.
  expect(await outbox.row(resumed!.id)).toMatchObject({ partsSent: 2, failingSince: null });
  expect((await outbox.due('telegram', T + 30_000, 10)).find((r) => r.id === resumed!.id)?.partsDay).toBe('2026-12-07');
  // The retried one's first part goes out now, saying "then": recorded, and kept by its next part's record.
  await outbox.markPartsSent(retried!.id, 1, 'zh-TW', { day: '2026-12-07', saidThen: true });
  await outbox.markPartsSent(retried!.id, 2, 'zh-TW', { day: '2026-12-08', saidThen: false });
  const after = await outbox.due('telegram', T + 30_000, 10);
  expect(after.map((r) => [r.chatId, r.partsSent, r.partsDay, r.partsThen])).toEqual([
    ['1', 2, '2026-12-07', null],
    ['2', 2, '2026-12-07', true],
  ]);
}

/** The schema version a store is at, read as each engine keeps it. */
const versionOf = async (db: StoreDb): Promise<number> => (db.sqlite ? schemaVersion(db.sqlite) : postgresSchemaVersion(db.k as unknown as Kysely<unknown>));

/** Schema 19, checked, then filled. */
async function at19(old: StoreDb): Promise<void> {
  expect(await versionOf(old)).toBe(19);
  await fillAt19(old);
}

describe('an outbox of schema 19 with rows (sqlite)', () => {
  test('GIVEN a message resumed and one retried at schema 19 THEN 020, 021 and 022 keep them, and the new columns take their writes', async () => {
    const db = await upgradedStore('sqlite', AT_19, at19);
    expect(await versionOf(db)).toBe(latestVersion(MIGRATIONS));
    await upgraded(db);
  });
});

describeWithPostgres('an outbox of schema 19 with rows (postgres)', () => {
  test('GIVEN a message resumed and one retried at schema 19 THEN 020, 021 and 022 keep them, and the new columns take their writes', async () => {
    const db = await upgradedStore('postgres', AT_19, at19, { max: 2 });
    expect(await versionOf(db)).toBe(latestVersion(MIGRATIONS));
    await upgraded(db);
  });
});
