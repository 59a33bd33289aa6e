/**
 * A PostgreSQL restarted while the network lost its goodbyes (a NAT's or a load balancer's state
 * gone, the server's host rebooted): the connections idle in the pool look open, and the first
 * thing sent on one is answered by a reset. That query never reached the server, so it runs once
 * more on a new connection, and a user's command is answered instead of told the database is
 * unavailable. A failure after the server read the query is not run again.
 */
import { afterEach, expect, test } from 'vitest';
import { sql } from 'kysely';
import { onPostgres } from '../../src/store/engine.ts';
import { openPostgres, postgresProblem } from '../../src/store/postgres.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { adminQuery, describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import { pgProxy } from '../helpers/pg-proxy.ts';
import { bootApp, type Cleanups } from '../helpers/app.ts';
import { memoryLogger } from '../../src/log.ts';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function world(max: number) {
  const d = await freshPgDatabase({ migrated: true });
  cleanups.push(() => d.drop());
  const proxy = await pgProxy(d.url);
  cleanups.push(() => proxy.close());
  const pg = await openPostgres(proxy.url, { what: 'DATABASE_URL', max });
  cleanups.push(() => pg.close());
  const store = onPostgres(pg);
  return { d, proxy, pg, store, subs: new SubscriptionStore(store, { approachPct: 3, lang: 'en' }) };
}

describeWithPostgres('a pooled connection found reset at its next query', () => {
  test('GIVEN the server restarted unheard THEN the next read, write and transaction each run once, on a new connection, and /readyz finds it ready', async () => {
    const { proxy, pg, store, subs } = await world(3);
    // Three connections idle in the pool, all heard from before the restart.
    await Promise.all([1, 2, 3].map((i) => sql`SELECT pg_sleep(0.05), ${i}::int AS i`.execute(store.k)));
    proxy.forget();

    // A read: the dead connection it took was reset, and the read answered on a new one.
    expect((await sql<{ n: number }>`SELECT 41 + 1 AS n`.execute(store.k)).rows).toEqual([{ n: 42 }]);
    expect(proxy.resets).toBe(1);
    // The other idle ones, not heard from since, are not tried (each would cost a reset): new connections.
    const before = proxy.queries.length;
    expect((await subs.upsert('telegram', '7001')).id).toBeGreaterThan(0);
    expect(proxy.resets).toBe(1);
    expect(proxy.queries.slice(before).filter((q) => /INSERT INTO "subscriptions"/i.test(q))).toHaveLength(1);
    expect(await postgresProblem(pg)).toBeUndefined();

    // Again, on connections now idle: a transaction's first statement is the one retried, the write in it made once.
    proxy.forget();
    const resets = proxy.resets;
    await store.k.transaction().execute(async (trx) => {
      await sql`INSERT INTO meta (key, value) VALUES ('reset-test', '1')`.execute(trx);
    });
    expect(proxy.resets).toBe(resets + 1);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM meta WHERE key = 'reset-test'`.execute(store.k)).rows).toEqual([{ n: 1 }]);
  });

  test('GIVEN the bot running when its server restarts unheard THEN a user’s next command is answered, not apologised for, and /readyz stays 200', async () => {
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    const proxy = await pgProxy(d.url);
    cleanups.push(() => proxy.close());
    const log = memoryLogger('info');
    const { base, tg } = await bootApp(cleanups, { databaseUrl: proxy.url, log, telegram: true });
    const answer = async (chat: number, text: string) => {
      tg.textMessage(chat, text, { id: chat, first_name: 'U' });
      return String((await tg.waitFor((c) => c.method === 'sendMessage' && String(c.params.chat_id) === String(chat), 30_000)).params.text);
    };
    expect(await answer(9201, '/subscribe')).toMatch(/^Subscribed\./);
    // At a moment no query is on its way (the dispatcher's, the sync's): one on the wire would wait out its
    // 30 s deadline, and the stop at the end its 10 s budget for it, which is pg-silent's subject, not this one's.
    await proxy.forgetWhenIdle();
    expect(await answer(9202, '/subscribe')).toMatch(/^Subscribed\./);
    expect(proxy.resets).toBeGreaterThan(0);
    const readyz = await fetch(`${base}/readyz`);
    expect([readyz.status, (await readyz.text()).split('\n')[0]]).toEqual([200, expect.stringMatching(/^ready \((leader|standby)\)$/)]);
    // No command failed: nothing was apologised for.
    expect(
      tg
        .callsTo('sendMessage')
        .map((c) => String(c.params.text))
        .filter((t) => /cannot be reached|unavailable/i.test(t)),
    ).toEqual([]);
  }, 60_000);

  test('GIVEN the connection found reset and no new one to be had THEN the query fails with why no connection came, and the next one after works', async () => {
    const { proxy, store } = await world(2);
    await sql`SELECT 1`.execute(store.k);
    proxy.forget();
    // The server at its connection limit meanwhile: every new connection refused (53300).
    const full = proxy.refuse('');
    const e = await sql`SELECT 2 AS n`.execute(store.k).then(
      () => undefined,
      (x: unknown) => x as Error & { code?: string },
    );
    expect(proxy.resets).toBe(1);
    // Its own failure, not the pool's complaint of a connection released twice.
    expect([e?.code, e?.message]).toEqual(['53300', 'sorry, too many clients already']);
    full.stop();
    expect((await sql<{ n: number }>`SELECT 3 AS n`.execute(store.k)).rows).toEqual([{ n: 3 }]);
  });

  test('GIVEN a connection ended while its query runs (the server read it) THEN the query fails and is not run again', async () => {
    const { d, proxy, store } = await world(1);
    await sql`SELECT 1`.execute(store.k);
    const running = sql`SELECT pg_sleep(20) AS slept`.execute(store.k);
    const failed = running.then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    // The server ends that session mid-query (an administrator, a fast shutdown): 57P01.
    // Once the server runs it (pg_stat_activity shows it): asked until then, within 10 s.
    const dbName = new URL(d.url).pathname.slice(1);
    let ended = false;
    for (const t0 = Date.now(); !ended && Date.now() - t0 < 10_000; ) {
      const r = await adminQuery(
        d.url,
        "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep(20)%'",
        [dbName],
      );
      ended = r.rows.length > 0;
    }
    expect(ended).toBe(true);
    const e = await failed;
    expect(e?.code).toBe('57P01');
    expect(proxy.queries.filter((q) => q.startsWith('SELECT pg_sleep(20)'))).toHaveLength(1);
  }, 60_000);
});
