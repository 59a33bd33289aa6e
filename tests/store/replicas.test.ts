/**
 * What replicas share through the store, on both engines: outbox claims with a lease (claimers
 * at the same moment take disjoint rows; a dead sender's rows come back when its lease ends) and
 * the chart uploads a platform already holds.
 */
import { expect, test } from 'vitest';
import { sql } from 'kysely';
import { Database } from '../../src/store/driver.ts';
import { claimDue } from '../../src/store/outbox-claims.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { ChartUploadStore } from '../../src/store/chart-uploads.ts';
import type { StoreDb } from '../../src/store/engine.ts';
import { describeOnEngines } from '../helpers/engines.ts';

const NOW = Date.parse('2026-06-01T12:00:00Z');

/** `n` chats, one message, one pending row per chat (ids in chat order), due at NOW. */
async function seed(db: StoreDb, n: number): Promise<void> {
  const subs = await db.k
    .insertInto('subscriptions')
    .values(
      Array.from({ length: n }, (_, i) => ({
        platform: 'telegram',
        chat_id: String(1000 + i),
        pairs: '["spx-gold"]',
        level_ids: 'all',
        custom_levels: '[]',
        approach_pct: 3,
        lang: i % 2 === 0 ? 'en' : 'zh-TW',
        created_at: NOW,
        updated_at: NOW,
      })),
    )
    .returning('id')
    .execute();
  const [m] = await db.k.insertInto('messages').values({ kind: 'alert', body: '{"k":1}', dedupe_key: 'event:1', created_at: NOW }).returning('id').execute();
  await db.k
    .insertInto('outbox')
    .values(subs.map((s, i) => ({ message_id: m!.id, subscription_id: s.id, platform: 'telegram', chat_id: String(1000 + i), next_at: NOW, created_at: NOW })))
    .execute();
}

/** `seed(db, 2)`, then a second alert queued to chat 1000 behind its first (ids in queue order); returns chat 1000's first row. */
async function seedSecondAlert(db: StoreDb): Promise<{ id: number; subscription_id: number }> {
  await seed(db, 2);
  const [m2] = await db.k.insertInto('messages').values({ kind: 'alert', body: '{"k":2}', dedupe_key: 'event:2', created_at: NOW }).returning('id').execute();
  const [a] = await db.k.selectFrom('outbox').select(['id', 'subscription_id']).orderBy('id').execute();
  await db.k
    .insertInto('outbox')
    .values({ message_id: m2!.id, subscription_id: a!.subscription_id, platform: 'telegram', chat_id: '1000', next_at: NOW, created_at: NOW })
    .execute();
  return a!;
}

describeOnEngines('outbox claims', (open, engine) => {
  test('GIVEN a chat with an earlier row retried later, or claimed by another sender THEN its later row waits for it; other chats go on', async () => {
    const db = await open();
    const first = [await seedSecondAlert(db)];
    // Chat 1000's first row claimed by another sender: its second waits, chat 1001's goes.
    const other = await claimDue(db, { platform: 'telegram', nowMs: NOW, limit: 1, leaseMs: 60_000, owner: 'other' });
    expect(other.map((r) => r.id)).toEqual([first[0]!.id]);
    expect((await claimDue(db, { platform: 'telegram', nowMs: NOW, limit: 10, leaseMs: 60_000, owner: 'me' })).map((r) => r.chatId)).toEqual(['1001']);
    // Its lease ends and it is to be retried later: the second still waits until then.
    await db.k
      .updateTable('outbox')
      .set({ claimed_until: null, claimed_by: null, next_at: NOW + 5000 })
      .where('id', '=', first[0]!.id)
      .execute();
    // (Chat 1001's row is this sender's own claim, taken again.)
    expect((await claimDue(db, { platform: 'telegram', nowMs: NOW + 1000, limit: 10, leaseMs: 60_000, owner: 'me' })).map((r) => r.chatId)).toEqual(['1001']);
    const both = await claimDue(db, { platform: 'telegram', nowMs: NOW + 5000, limit: 10, leaseMs: 60_000, owner: 'me' });
    // Both taken together (the dispatcher sends a chat's rows in queue order, one after another).
    expect(
      both
        .filter((r) => r.chatId === '1000')
        .map((r) => r.body)
        .sort(),
    ).toEqual(['{"k":1}', '{"k":2}']);
  });

  test('GIVEN a chat whose earlier row was retried and is due again after its later row THEN a claim cut between them takes neither', async () => {
    const db = await open();
    await seedSecondAlert(db);
    const [a, b, second] = await db.k.selectFrom('outbox').select('id').orderBy('id').execute();
    // Chat 1000's first alert failed once and is due again at NOW - 100; its second has waited
    // since NOW - 5000, chat 1001's since NOW - 4000. By due time the second comes first.
    const dueAt = (row: { id: number } | undefined, at: number) => db.k.updateTable('outbox').set({ next_at: at }).where('id', '=', row!.id).execute();
    await dueAt(a, NOW - 100);
    await dueAt(b, NOW - 4000);
    await dueAt(second, NOW - 5000);
    const cut = await claimDue(db, { platform: 'telegram', nowMs: NOW, limit: 2, leaseMs: 60_000, owner: 'me' });
    expect(cut.map((r) => r.chatId)).toEqual(['1001']);
    const rest = await claimDue(db, { platform: 'telegram', nowMs: NOW, limit: 10, leaseMs: 60_000, owner: 'me' });
    expect(
      rest
        .filter((r) => r.chatId === '1000')
        .map((r) => r.body)
        .sort(),
    ).toEqual(['{"k":1}', '{"k":2}']);
  });

  if (engine === 'sqlite') {
    test("GIVEN another connection holding the write lock (as an import does) THEN the sole sender reads its due rows unclaimed, still in each chat's queue order", async () => {
      const db = await open();
      const a = await seedSecondAlert(db);
      // Chat 1000's first alert is to be retried later; its second is due.
      await db.k
        .updateTable('outbox')
        .set({ next_at: NOW + 5000, attempts: 1 })
        .where('id', '=', a!.id)
        .execute();
      // A second connection to the same file, through the driver this Node runs (its main file as SQLite names it).
      const [main] = db.sqlite!.pragma('database_list') as { name: string; file: string }[];
      const other = new Database(main!.file);
      try {
        other.exec('BEGIN IMMEDIATE');
        const rows = await new OutboxStore(db).claim('telegram', NOW, 10, { owner: 'me', leaseMs: 60_000 });
        expect(rows.map((r) => r.chatId)).toEqual(['1001']);
      } finally {
        other.close();
      }
      // Read, not claimed: the lock was held throughout.
      expect(await db.k.selectFrom('outbox').select('claimed_by').where('claimed_by', 'is not', null).execute()).toEqual([]);
    });
  }

  if (engine === 'postgres') {
    test("GIVEN a claimer that has locked a chat's first row and not yet marked it THEN a claimer at the same moment leaves that chat's later row", async () => {
      const db = await open();
      const a = await seedSecondAlert(db);
      // The other claimer's statement, caught between its FOR UPDATE and its UPDATE: the row is
      // locked, still unclaimed in every other snapshot.
      const taken = await db.k.transaction().execute(async (trx) => {
        await sql`SELECT id FROM outbox WHERE id = ${a!.id} FOR UPDATE`.execute(trx);
        return claimDue(db, { platform: 'telegram', nowMs: NOW, limit: 10, leaseMs: 60_000, owner: 'me' });
      });
      expect(taken.map((r) => r.chatId)).toEqual(['1001']);
    });
  }

  test('GIVEN due rows THEN a claim takes the oldest with what sending needs, and a second claimer gets only the rest', async () => {
    const db = await open();
    await seed(db, 5);
    const a = await claimDue(db, { platform: 'telegram', nowMs: NOW, limit: 3, leaseMs: 60_000, owner: 'a' });
    expect(a.map((r) => r.chatId)).toEqual(['1000', '1001', '1002']);
    expect(a[1]).toMatchObject({ kind: 'alert', body: '{"k":1}', lang: 'zh-TW', mention: null, attempts: 0, partsSent: 0, platform: 'telegram' });
    const b = await claimDue(db, { platform: 'telegram', nowMs: NOW + 1000, limit: 10, leaseMs: 60_000, owner: 'b' });
    expect(b.map((r) => r.chatId)).toEqual(['1003', '1004']);
    expect(await claimDue(db, { platform: 'telegram', nowMs: NOW + 2000, limit: 10, leaseMs: 60_000, owner: 'c' })).toEqual([]);
    expect(await claimDue(db, { platform: 'discord', nowMs: NOW + 2000, limit: 10, leaseMs: 60_000, owner: 'c' })).toEqual([]);
  });

  test('GIVEN a sender that died holding claims THEN its unsent rows come back when the lease ends, and sent ones never do', async () => {
    const db = await open();
    await seed(db, 4);
    const a = await claimDue(db, { platform: 'telegram', nowMs: NOW, limit: 4, leaseMs: 30_000, owner: 'old-leader' });
    // It delivered two before dying.
    await db.k
      .updateTable('outbox')
      .set({ status: 'sent', sent_at: NOW + 10 })
      .where(
        'id',
        'in',
        a.slice(0, 2).map((r) => r.id),
      )
      .execute();
    expect(await claimDue(db, { platform: 'telegram', nowMs: NOW + 29_999, limit: 10, leaseMs: 30_000, owner: 'new-leader' })).toEqual([]);
    const again = await claimDue(db, { platform: 'telegram', nowMs: NOW + 30_000, limit: 10, leaseMs: 30_000, owner: 'new-leader' });
    expect(again.map((r) => r.id)).toEqual(a.slice(2).map((r) => r.id));
    const owners = await db.k.selectFrom('outbox').select(['claimed_by']).where('status', '=', 'pending').execute();
    expect(owners.map((o) => o.claimed_by)).toEqual(['new-leader', 'new-leader']);
  });

  test('GIVEN a batch whose lease is extended while it is sent THEN no other sender takes its rows, and a row another took after it ran out is neither extended nor released', async () => {
    const db = await open();
    await seed(db, 4);
    const outbox = new OutboxStore(db);
    const a = (await claimDue(db, { platform: 'telegram', nowMs: NOW, limit: 4, leaseMs: 30_000, owner: 'a' })).map((r) => r.id);
    // Extended before it ran out: at NOW + 40 s, past the first lease, nobody else may take them.
    expect((await outbox.extendClaims(a, 'a', NOW + 60_000)).toSorted((x, y) => x - y)).toEqual(a);
    expect(await claimDue(db, { platform: 'telegram', nowMs: NOW + 40_000, limit: 10, leaseMs: 30_000, owner: 'b' })).toEqual([]);
    // One sent, so it is no longer a's to extend; then the lease runs out and b takes the other three.
    await outbox.markSent(a[0]!, NOW + 50_000);
    const b = (await claimDue(db, { platform: 'telegram', nowMs: NOW + 60_000, limit: 10, leaseMs: 30_000, owner: 'b' })).map((r) => r.id);
    expect(b).toEqual(a.slice(1));
    // a, late: none of them is its own any more, b's lease stands, and a's release leaves b's claims.
    expect(await outbox.extendClaims(a, 'a', NOW + 120_000)).toEqual([]);
    await outbox.release(a, 'a');
    expect(await claimDue(db, { platform: 'telegram', nowMs: NOW + 61_000, limit: 10, leaseMs: 30_000, owner: 'c' })).toEqual([]);
    const held = await db.k.selectFrom('outbox').select(['claimed_by', 'claimed_until']).where('status', '=', 'pending').execute();
    expect(held.map((r) => [r.claimed_by, Number(r.claimed_until)])).toEqual(b.map(() => ['b', NOW + 90_000]));
    expect(await outbox.extendClaims([], 'b', NOW + 120_000)).toEqual([]);
  });

  test('GIVEN ten claimers at the same moment THEN they take disjoint rows and together every row', async () => {
    const db = await open();
    await seed(db, 300);
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => claimDue(db, { platform: 'telegram', nowMs: NOW, limit: 50, leaseMs: 60_000, owner: `r${i}` })),
    );
    const ids = claims.flat().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(300);
  });
});

describeOnEngines('chart uploads', (open) => {
  test('GIVEN a chart uploaded by two replicas at once THEN the first recorded wins and both read it', async () => {
    const store = new ChartUploadStore(await open());
    expect(await store.get('telegram', 'spx-gold|1Y|v12')).toBeUndefined();
    const [a, b] = await Promise.all([store.remember('telegram', 'spx-gold|1Y|v12', 'file-a'), store.remember('telegram', 'spx-gold|1Y|v12', 'file-b')]);
    expect(a).toBe(b);
    expect(await store.get('telegram', 'spx-gold|1Y|v12')).toBe(a);
    // Per platform: a Discord URL is not a Telegram file_id.
    expect(await store.get('discord', 'spx-gold|1Y|v12')).toBeUndefined();
    await store.remember('discord', 'spx-gold|1Y|v12', 'https://cdn.example/x.png');
    expect(await store.get('discord', 'spx-gold|1Y|v12')).toBe('https://cdn.example/x.png');
  });

  test('GIVEN a reference the platform refused THEN forget removes it (not a newer one another replica recorded) and the next asker uploads', async () => {
    const store = new ChartUploadStore(await open());
    await store.remember('telegram', 'k', 'old-bot-file');
    await store.forget('telegram', 'k', 'someone-else');
    expect(await store.get('telegram', 'k')).toBe('old-bot-file');
    await store.forget('telegram', 'k', 'old-bot-file');
    expect(await store.get('telegram', 'k')).toBeUndefined();
    expect(await store.begin('telegram', 'k', 0, 45_000)).toEqual({ upload: true });
    expect(await store.remember('telegram', 'k', 'new-bot-file')).toBe('new-bot-file');
  });

  test('GIVEN a reference older than the asker’s maxAgeMs (an expiring URL) THEN one asker uploads it again and the others wait for the new one', async () => {
    const store = new ChartUploadStore(await open());
    const t0 = Date.parse('2026-12-04T00:00:00Z');
    await store.remember('discord', 'k', 'https://cdn.example/old.png', t0);
    const hour = 3_600_000;
    expect(await store.begin('discord', 'k', t0 + hour, 45_000, 8 * hour)).toEqual({ ref: 'https://cdn.example/old.png' });
    // Without a max age (Telegram's file_id) it is reused for ever.
    expect(await store.begin('discord', 'k', t0 + 9 * hour, 45_000)).toEqual({ ref: 'https://cdn.example/old.png' });
    const [a, b] = await Promise.all([
      store.begin('discord', 'k', t0 + 9 * hour, 45_000, 8 * hour),
      store.begin('discord', 'k', t0 + 9 * hour, 45_000, 8 * hour),
    ]);
    expect([a, b].filter((x) => 'upload' in x)).toHaveLength(1);
    expect([a, b].filter((x) => 'wait' in x)).toHaveLength(1);
    expect(await store.remember('discord', 'k', 'https://cdn.example/new.png', t0 + 9 * hour)).toBe('https://cdn.example/new.png');
    expect(await store.begin('discord', 'k', t0 + 10 * hour, 45_000, 8 * hour)).toEqual({ ref: 'https://cdn.example/new.png' });
  });
});
