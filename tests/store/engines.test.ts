/**
 * The store on both engines: one set of migrations builds the same schema on SQLite and
 * PostgreSQL, databases written by earlier goldratios (SQLite, schema 4 and main's 6) open and keep
 * working, a database of a newer schema is refused on either engine, and `goldratio copy-data`
 * moves a SQLite database into an empty PostgreSQL one, row for row. The PostgreSQL half needs
 * GOLDRATIO_TEST_PG_URL (tests/helpers/postgres.ts).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { onPostgres, onSqlite } from '../../src/store/engine.ts';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase, schemaVersion, type Db } from '../../src/store/db.ts';
import { DigestStore } from '../../src/store/digests.ts';
import { latestVersion, MIGRATIONS } from '../../src/store/migrations/index.ts';
import { openPostgres, postgresSchemaVersion, REPLICA_POOL_MAX, type PgStore } from '../../src/store/postgres.ts';
import { electLeader } from '../../src/store/leader.ts';
import { pgFull } from '../helpers/pg-full.ts';
import { COPY_TABLES } from '../../src/store/copy.ts';
import { acquireInstanceLock } from '../../src/store/instance-lock.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { QuietStore } from '../../src/store/quiet.ts';
import { MoveStore } from '../../src/store/moves.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { loadConfig } from '../../src/config.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { WebhookNotifier } from '../../src/platforms/webhook/notifier.ts';
import { WebhookStore } from '../../src/store/webhooks.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { memoryLogger } from '../../src/log.ts';
import { spawnBin } from '../helpers/process.ts';
import { eventually } from '../helpers/eventually.ts';
import { adminQuery, describeWithPostgres, freshPgDatabase, PG, pgLocation } from '../helpers/postgres.ts';
import { levelEvent } from '../helpers/level-event.ts';

/** A SQLite database written by goldratio before this branch (schema 4): every table has rows. */
const MAIN_V4 = fileURLToPath(new URL('../fixtures/db/main-v4.sqlite', import.meta.url));
/**
 * The same database opened by main's own code at schema 6 (quiet hours and move alerts, 005; a
 * forum topic, 006), with rows in what those added: a held and a merged outbox row, move watches,
 * their state and an event, a subscription's thread_id.
 */
const MAIN_V6 = fileURLToPath(new URL('../fixtures/db/main-v6.sqlite', import.meta.url));

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-engines-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of the v4 database in a temp folder. */
function mainV4Copy(): string {
  const path = join(tempDir(), 'goldratio.db');
  copyFileSync(MAIN_V4, path);
  return path;
}

/** A copy of the v6 database in a temp folder. */
function mainV6Copy(): string {
  const path = join(tempDir(), 'goldratio.db');
  copyFileSync(MAIN_V6, path);
  return path;
}

function sqliteOpen(path: string): Db {
  const db = openDatabase(path);
  cleanups.push(() => db.close());
  return db;
}

async function pgOpen(url: string): Promise<PgStore> {
  const store = await openPostgres(url, { what: 'GOLDRATIO_TEST_PG_URL', max: 2 });
  cleanups.push(() => store.close());
  return store;
}

async function pgFresh(): Promise<string> {
  const d = await freshPgDatabase();
  cleanups.push(() => d.drop());
  return d.url;
}

/**
 * A database at the current schema, for a test whose subject is not the migrations nor an empty
 * database: a copy of the run's template emptied for reuse (helpers/postgres.ts), where a new
 * database and its migrations cost the server far more.
 */
async function pgMigrated(): Promise<string> {
  const d = await freshPgDatabase({ migrated: true });
  cleanups.push(() => d.drop());
  return d.url;
}

function sqliteColumns(db: Db): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of [...COPY_TABLES, 'schema_migrations']) out[t] = (db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name);
  return out;
}

async function pgColumns(store: PgStore): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of [...COPY_TABLES, 'schema_migrations']) {
    const r = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ${t} ORDER BY ordinal_position`.execute(store.db);
    out[t] = r.rows.map((c) => c.column_name);
  }
  return out;
}

/** Every row of every table, each table's rows in one order whatever the engine's collation. */
const sorted = (rows: readonly unknown[]) => rows.map((r) => JSON.stringify(r)).sort();

/**
 * `text` does not give away the server's password. A short one (a local test server's "pw") can
 * occur by chance in a temp folder's random name, so it is looked for where a URL carries it; a
 * long one (CI's) anywhere.
 */
function expectNoPassword(text: string, url: string): void {
  const { password } = new URL(url);
  expect(text).not.toContain(`:${password}@`);
  if (password.length >= 6) expect(text).not.toContain(password);
}

describe('migrations on SQLite', () => {
  test('GIVEN a database written by the previous goldratio (schema 4) THEN it opens at the latest version and keeps working', async () => {
    const db = sqliteOpen(mainV4Copy());
    expect(schemaVersion(db)).toBe(latestVersion(MIGRATIONS));
    const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
    expect(await subs.get('discord', '2002')).toMatchObject({ lang: 'zh-TW', mention: '123456789012345678', customLevels: [{ pair: 'spx-gold', value: 1.8 }] });
    expect(await subs.countActive()).toBe(2);
    const added = await subs.upsert('telegram', '9009');
    expect(added.id).toBe(4);
    const outbox = new OutboxStore(onSqlite(db));
    const due = await outbox.due('telegram', Date.now(), 10);
    expect(due.length).toBeGreaterThan(0);
    await outbox.markSent(due[0]!.id, Date.now());
    expect((await outbox.row(due[0]!.id))?.status).toBe('sent');
    expect((await new QuoteStore(onSqlite(db)).closes('spx')).map((p) => p.date)).toEqual(['2024-01-02', '2024-01-03']);
  });

  test('GIVEN a database written by main at schema 6 THEN it opens at the latest version with its quiet hours, moves and topic kept', async () => {
    const db = sqliteOpen(mainV6Copy());
    expect(schemaVersion(db)).toBe(latestVersion(MIGRATIONS));
    const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
    expect((await subs.get('telegram', '1001'))?.threadId).toBe(42);
    expect(await new QuietStore(onSqlite(db)).window(2)).toEqual({ start: '22:00', end: '07:00', zone: 'Asia/Taipei' });
    expect(await new QuietStore(onSqlite(db)).heldCount(2)).toBe(1);
    expect(await new MoveStore(onSqlite(db)).list(2)).toHaveLength(2);
    expect(await new MoveStore(onSqlite(db)).recentEvents(5)).toHaveLength(1);
    const statuses = db.prepare<[], { id: number; status: string; claimed_by: string | null }>('SELECT id, status, claimed_by FROM outbox ORDER BY id').all();
    expect(statuses.map((r) => r.status)).toEqual(['sent', 'pending', 'pending', 'held', 'merged']);
    expect(statuses.every((r) => r.claimed_by === null)).toBe(true);
    const outbox = new OutboxStore(onSqlite(db));
    const due = await outbox.due('telegram', Date.now(), 10);
    expect(due.map((r) => [r.id, r.threadId])).toEqual([[3, 42]]);
    // Its chat's digest (08:00 Taipei, last sent about 2024-01-02) became a slot (009), and the chat keeps its day.
    expect(db.prepare('SELECT digest_time, timezone, next_due, last_date, last_close FROM digest_slots').all()).toEqual([
      { digest_time: '08:00', timezone: 'Asia/Taipei', next_due: 1704326400000, last_date: '2024-01-03', last_close: '2024-01-02' },
    ]);
    expect(await new DigestStore(onSqlite(db)).get(2)).toMatchObject({ time: '08:00', timezone: 'Asia/Taipei', nextDue: 1704326400000 });
    // Rebuilt by 008 (unique on chat then message, no foreign key to messages): a second row of one message for one chat is still refused.
    const one = db.prepare<[], { message_id: number; subscription_id: number }>('SELECT message_id, subscription_id FROM outbox WHERE id = 3').get()!;
    expect(() =>
      db
        .prepare("INSERT INTO outbox (message_id, subscription_id, platform, chat_id, created_at) VALUES (?, ?, 'telegram', '1001', 1)")
        .run(one.message_id, one.subscription_id),
    ).toThrow(/UNIQUE constraint failed: outbox.subscription_id, outbox.message_id/);
  });

  test('GIVEN a new file THEN the migrations build every table the copy knows', async () => {
    const db = sqliteOpen(join(tempDir(), 'new.db'));
    const cols = sqliteColumns(db);
    for (const t of COPY_TABLES) expect(cols[t]?.length, t).toBeGreaterThan(0);
    // And the copy knows every table the migrations build: a new one it missed would not be moved.
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
    expect(tables.map((t) => t.name).sort()).toEqual([...COPY_TABLES, 'schema_migrations'].sort());
    expect(cols).toEqual(sqliteColumns(sqliteOpen(mainV4Copy())));
  });
});

describeWithPostgres('migrations on PostgreSQL', () => {
  test('GIVEN an empty database THEN the same migrations build the same tables and columns as on SQLite', async () => {
    const store = await pgOpen(await pgFresh());
    expect(await postgresSchemaVersion(store.db)).toBe(latestVersion(MIGRATIONS));
    expect(await pgColumns(store)).toEqual(sqliteColumns(sqliteOpen(join(tempDir(), 'new.db'))));
    const meta = await sql<{ key: string; value: string }>`SELECT key, value FROM meta ORDER BY key`.execute(store.db);
    expect(meta.rows).toEqual([
      { key: 'data_version', value: '0' },
      { key: 'subs_version', value: '0' },
    ]);
  });

  test('GIVEN a database at schema 4 with rows THEN the later migrations keep them and new rows number past them', async () => {
    const url = await pgFresh();
    const v4 = await openPostgres(url, { what: 'GOLDRATIO_TEST_PG_URL', max: 1, migrations: MIGRATIONS.filter((m) => m.version <= 4) });
    for (const chat of ['a', 'b']) {
      await sql`INSERT INTO subscriptions (platform, chat_id, pairs, level_ids, custom_levels, approach_pct, lang, created_at, updated_at)
        VALUES ('telegram', ${chat}, '[]', 'all', '[]', 3, 'en', 1, 1)`.execute(v4.db);
    }
    await sql`INSERT INTO messages (kind, body, created_at) VALUES ('alert', '{}', 1)`.execute(v4.db);
    await sql`INSERT INTO outbox (message_id, subscription_id, platform, chat_id, status, created_at)
      VALUES (1, 1, 'telegram', 'a', 'sent', 1), (1, 2, 'telegram', 'b', 'pending', 1)`.execute(v4.db);
    await v4.close();
    const store = await pgOpen(url);
    expect(await postgresSchemaVersion(store.db)).toBe(latestVersion(MIGRATIONS));
    const kept = await sql<{ id: number; chat_id: string; status: string }>`SELECT id, chat_id, status FROM outbox ORDER BY id`.execute(store.db);
    expect(kept.rows).toEqual([
      { id: 1, chat_id: 'a', status: 'sent' },
      { id: 2, chat_id: 'b', status: 'pending' },
    ]);
    await sql`INSERT INTO messages (kind, body, created_at) VALUES ('alert', '{}', 2)`.execute(store.db);
    // A table rebuilt by a migration (the outbox, for its status CHECK) continues its ids too.
    const next = await sql<{ id: number }>`INSERT INTO outbox (message_id, subscription_id, platform, chat_id, created_at)
      VALUES (2, 1, 'telegram', 'a', 2) RETURNING id`.execute(store.db);
    expect(next.rows[0]?.id).toBe(3);
    // The outbox's unique key (turned round by 008: chat, then message) still refuses a message queued twice to one chat.
    await expect(
      sql`INSERT INTO outbox (message_id, subscription_id, platform, chat_id, created_at) VALUES (2, 1, 'telegram', 'a', 3)`.execute(store.db),
    ).rejects.toThrow(/duplicate key/);
    // The rebuilt table's CHECK takes quiet hours' statuses.
    await sql`UPDATE outbox SET status = 'held' WHERE id = 2`.execute(store.db);
    await sql`UPDATE outbox SET status = 'merged' WHERE id = 3`.execute(store.db);
    await expect(sql`UPDATE outbox SET status = 'lost' WHERE id = 1`.execute(store.db)).rejects.toThrow(/check constraint/);
  });

  test('GIVEN two replicas opening one new database at once THEN both open it and it is migrated once', async () => {
    const url = await pgFresh();
    const [a, b] = await Promise.all([pgOpen(url), pgOpen(url)]);
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM schema_migrations`.execute(a.db);
    expect(r.rows[0]?.n).toBe(MIGRATIONS.length);
    expect(await postgresSchemaVersion(b.db)).toBe(latestVersion(MIGRATIONS));
  });

  test('GIVEN a database of a newer schema THEN it is refused in one line naming it, password left out', async () => {
    const url = await pgMigrated();
    const store = await pgOpen(url);
    await sql`INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'later')`.execute(store.db);
    const e = await openPostgres(url, { what: 'DATABASE_URL' }).then(
      () => undefined,
      (x: unknown) => x as Error,
    );
    expect(e?.name).toBe('DatabaseVersionError');
    expect(e?.message).toMatch(
      /newer goldratio \(schema version 99; this version knows up to \d+\): upgrade goldratio, or point DATABASE_URL at another database$/,
    );
    expectNoPassword(e?.message ?? '', url);
  });
});

describeWithPostgres('goldratio copy-data', () => {
  test('GIVEN a SQLite database and an empty PostgreSQL one THEN every row is copied, counts compared, ids continue', async () => {
    const path = mainV6Copy();
    const url = await pgFresh();
    const r = await runCliInProcess(['copy-data', '--to', url], { DATABASE_PATH: path });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^subscriptions\s+3 -> 3$/m);
    expect(r.stdout).toMatch(/^outbox\s+5 -> 5$/m);
    expect(r.stdout).toMatch(/: 49 rows in 19 tables, every count matches\n$/);
    expectNoPassword(r.stdout, url);
    expect(r.stdout).toContain(` to postgres://${new URL(url).username}@`);
    const source = sqliteOpen(path);
    const target = await pgOpen(url);
    for (const t of COPY_TABLES) {
      const pgRows = (await sql.raw(`SELECT * FROM ${t}`).execute(target.db)).rows;
      expect(sorted(pgRows), t).toEqual(sorted(source.prepare(`SELECT * FROM ${t}`).all()));
    }
    // The sequences moved past the copied ids: the next rows do not collide.
    const next = await sql<{ id: number }>`INSERT INTO messages (kind, body, created_at) VALUES ('alert', '{}', 1) RETURNING id`.execute(target.db);
    expect(next.rows[0]?.id).toBe(4);
    const sub = await sql<{
      id: number;
    }>`INSERT INTO subscriptions (platform, chat_id, pairs, level_ids, custom_levels, approach_pct, lang, created_at, updated_at)
      VALUES ('telegram', 'new', '[]', 'all', '[]', 3, 'en', 1, 1) RETURNING id`.execute(target.db);
    expect(sub.rows[0]?.id).toBe(4);
    const move = await sql<{
      id: number;
    }>`INSERT INTO move_events (date, pair, watch_key, pct, days, direction, change_pct, from_date, from_value, value, created_at)
      VALUES ('2024-01-04', 'spx-gold', 'k', 10, 20, 'up', 11, '2023-12-05', 2, 2.2, 1) RETURNING id`.execute(target.db);
    expect(move.rows[0]?.id).toBe(2);
    // The instance lock it held for the copy is released: the bot can start on the file again.
    acquireInstanceLock(path).release();
  });

  test('GIVEN a target that already holds data THEN the copy is refused in one line and the target is left as it was', async () => {
    const path = mainV4Copy();
    const url = await pgFresh();
    expect((await runCliInProcess(['copy-data', '--to', url], { DATABASE_PATH: path })).code).toBe(0);
    const again = await runCliInProcess(['copy-data', '--to', url], { DATABASE_PATH: path });
    expect(again.code).toBe(2);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(
      /^goldratio copy-data: postgres:\/\/[^:]+@[^ ]+ already holds data \(closes: 4 rows, .*subscriptions: 3 rows.*\); copy-data fills only an empty database/,
    );
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    const target = await pgOpen(url);
    const n = await sql<{ n: number }>`SELECT count(*) AS n FROM subscriptions`.execute(target.db);
    expect(n.rows[0]?.n).toBe(3);
  });

  test('GIVEN a wrong password, a missing database or a newer schema THEN one line each, exit 2, no password and no stack', async () => {
    const path = mainV4Copy();
    const url = await pgMigrated();
    const wrong = new URL(url);
    wrong.password = 'not-the-password';
    const missing = new URL(url);
    missing.pathname = '/goldratio_no_such_db';
    const newer = await pgMigrated();
    await pgOpen(newer);
    await adminQuery(newer, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'later')");
    const cases: [string, RegExp][] = [
      [wrong.toString(), /^goldratio copy-data: PostgreSQL at [^ ]+ refused the password of user "[^"]+" \(--to: postgres:\/\/[^:@]+@[^ ]+\)\n$/],
      [missing.toString(), /^goldratio copy-data: database "goldratio_no_such_db" does not exist on PostgreSQL at [^ ]+ \(--to: .*\); create it first/],
      [
        newer,
        /^goldratio copy-data: database postgres:\/\/[^ ]+ was migrated by a newer goldratio \(schema version 99; this version knows up to \d+\): upgrade goldratio, or point --to at another database\n$/,
      ],
    ];
    for (const [to, expected] of cases) {
      const r = await runCliInProcess(['copy-data', '--to', to], { DATABASE_PATH: path });
      expect(r.code, to).toBe(2);
      expect(r.stderr).toMatch(expected);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain('not-the-password');
      expectNoPassword(r.stderr, url);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  test.each([
    [
      'p%41ss',
      "; the URL's password holds a %XX standing for a letter, a digit or one of - . _ ~, which the URL reads as that character: if the password has a % itself, write that % as %25",
    ],
    // Written encoded on purpose (an @ in the password): nothing to suspect, the plain line.
    ['p%40ss', ''],
  ])(
    'GIVEN a refused password written %s in the URL THEN the line says what a %XX of a plain character was read as, none of the password printed',
    async (typed, aside) => {
      const url = new URL(await pgMigrated());
      url.password = typed;
      const r = await runCliInProcess(['status'], { DATABASE_URL: url.toString() });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `goldratio status: PostgreSQL at ${url.host} refused the password of user "${decodeURIComponent(url.username)}" (DATABASE_URL: postgres://${url.username}@${url.host}${url.pathname})${aside}\n`,
      );
      expect(r.stderr).not.toContain(typed.slice(1, 4));
    },
  );

  test.each([['start'], ['import']])(
    'GIVEN %s on a database that takes no writes (default_transaction_read_only, as a hot standby is) THEN one line naming it and the fix, exit 2, nothing written',
    async (command) => {
      const url = await pgFresh();
      const name = new URL(url).pathname.slice(1);
      await adminQuery(url, `ALTER DATABASE ${name} SET default_transaction_read_only = on`);
      const dir = tempDir();
      writeFileSync(join(dir, 'spx.csv'), 'date,close\n2025-01-02,5000\n');
      const args = command === 'start' ? ['start'] : ['import', 'spx', join(dir, 'spx.csv')];
      const r = await runCliInProcess(args, { DATABASE_URL: url, DATA_DIR: dir, LOG_FORMAT: 'pretty' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `^goldratio ${command}: DATABASE_URL: postgres://[^:@]+@[^ ]+/${name} takes no writes \\(default_transaction_read_only is on\\): turn it off \\(ALTER DATABASE … SET default_transaction_read_only = off\\), or point DATABASE_URL at a database that takes writes\n$`,
        ),
      );
      const tables = await adminQuery(url, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
      expect(tables.rows[0]).toEqual({ n: 0 });
    },
  );

  test("GIVEN start with a wrong password, a database of a newer schema or another application's THEN one line each naming it, exit 2, no password and no stack", async () => {
    const url = await pgMigrated();
    const wrong = new URL(url);
    wrong.password = 'not-the-password';
    const newer = await pgMigrated();
    await pgOpen(newer);
    await adminQuery(newer, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'later')");
    // Another application's database (a slip of its name): the migrations would make goldratio's tables among its own.
    const shop = await pgFresh();
    await adminQuery(shop, 'CREATE TABLE customers (id int PRIMARY KEY)');
    const cases: [string, RegExp][] = [
      [wrong.toString(), /^goldratio start: PostgreSQL at [^ ]+ refused the password of user "[^"]+" \(DATABASE_URL: postgres:\/\/[^:@]+@[^ ]+\)\n$/],
      [newer, /^goldratio start: database postgres:\/\/[^ ]+ was migrated by a newer goldratio \(schema version 99; .*\n$/],
      [
        shop,
        /^goldratio start: DATABASE_URL: postgres:\/\/[^ ]+ holds tables that are not goldratio's \(customers\): goldratio keeps its tables in a database of its own: create one \(createdb goldratio\) and point DATABASE_URL at it\n$/,
      ],
    ];
    for (const [databaseUrl, expected] of cases) {
      // The line a person at a terminal reads; under JSON logs it is a log line (tests/cli.test.ts).
      const r = await runCliInProcess(['start'], { DATABASE_URL: databaseUrl, LOG_FORMAT: 'pretty' });
      expect(r.code, databaseUrl).toBe(2);
      expect(r.stderr).toMatch(expected);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain('not-the-password');
      expectNoPassword(r.stderr, url);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    // Nothing of goldratio's was made among the other application's tables.
    const tables = await adminQuery(shop, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    expect(tables.rows.map((t: { tablename: string }) => t.tablename)).toEqual(['customers']);
  });
  // start waits for a connection to free (a rolling deploy's old replica leaving), each warning
  // saying this: tests/cli/postgres-wait.test.ts. Other commands do not wait.
  test('GIVEN a server at max_connections (53300) THEN a command says in one line what to do: each replica opens its pool plus the leader lock', async () => {
    const full = await pgFull();
    cleanups.push(() => full.close());
    const r = await runCliInProcess(['status'], { DATABASE_URL: full.url, LOG_FORMAT: 'pretty' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^goldratio status: PostgreSQL at 127\\.0\\.0\\.1:\\d+ has no connection left \\(DATABASE_URL: postgres://goldratio@[^ ]+\\): sorry, too many clients already \\(53300\\); each goldratio replica opens up to ${REPLICA_POOL_MAX} connections plus one for the leader lock: raise the server's max_connections, or run fewer replicas\n$`,
      ),
    );
  });

  test("GIVEN a server whose last slots are kept for superusers (53300, not 'too many clients') THEN the line says to raise max_connections, not a CONNECTION LIMIT", async () => {
    const full = await pgFull('remaining connection slots are reserved for non-replication superuser connections');
    cleanups.push(() => full.close());
    const r = await runCliInProcess(['status'], { DATABASE_URL: full.url, LOG_FORMAT: 'pretty' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/connections plus one for the leader lock: raise the server's max_connections, or run fewer replicas\n$/);
  });

  test.each([
    ['sorry, too many clients already', "raise the server's max_connections, or run fewer replicas"],
    ['remaining connection slots are reserved for non-replication superuser connections', "raise the server's max_connections, or run fewer replicas"],
    ['too many connections for role "goldratio"', 'raise that connection limit (ALTER ROLE / ALTER DATABASE … CONNECTION LIMIT), or run fewer replicas'],
  ])('GIVEN the pool took the last connection and the leader lock gets 53300 "%s" THEN the election\'s line says what frees one', async (said, fix) => {
    const full = await pgFull(said);
    cleanups.push(() => full.close());
    const errors: string[] = [];
    const election = electLeader(full.url, { key: 0x7e58, retryMs: 60_000, onLead: () => {}, onLose: () => {}, onError: (m) => errors.push(m) });
    cleanups.push(() => election.stop());
    await eventually(() => errors.length > 0);
    expect(errors[0]).toBe(
      `leader election: postgres://goldratio@${new URL(full.url).host}/goldratio: ${said} (53300): the leader lock needs a connection of its own beside the pool's ${REPLICA_POOL_MAX}; ${fix}`,
    );
  });

  test('GIVEN DATABASE_URL with sslmode=prefer and a server without SSL THEN it connects without SSL, as psql does, and leads', async () => {
    const url = new URL(await pgMigrated());
    url.searchParams.set('sslmode', 'prefer');
    const store = await openPostgres(url.toString(), { what: 'DATABASE_URL', max: 2 });
    cleanups.push(() => store.close());
    expect(await postgresSchemaVersion(store.db)).toBe(latestVersion(MIGRATIONS));
    // Its own URL (another application_name): the election finds out by itself, not from the store's try.
    url.searchParams.set('application_name', 'goldratio-leader');
    const election = electLeader(url.toString(), {
      key: 0x7000_0000 + Math.floor(Math.random() * 0xffff),
      retryMs: 100,
      heartbeatMs: 100,
      onLead: () => {},
      onLose: () => {},
    });
    cleanups.push(() => election.stop());
    // A loaded machine's bound (its connection and first lock on a busy server), not a pace.
    await eventually(() => election.leading, 25_000, 50);
  });

  test('GIVEN DATABASE_URL with sslmode=require and a server without SSL THEN one line naming sslmode, exit 2, and no warning of the driver', async () => {
    const url = new URL(await pgMigrated());
    url.searchParams.set('sslmode', 'require');
    // The real bin: a warning the driver emits goes to the process's stderr, which only a child shows.
    const c = spawnBin(['start'], { DATABASE_URL: url.toString(), LOG_FORMAT: 'pretty', DATA_DIR: tempDir() });
    expect((await c.exited).code).toBe(2);
    expect(c.stderr()).toMatch(
      /^goldratio start: PostgreSQL at [^ ]+ does not accept SSL connections \(DATABASE_URL: postgres:\/\/[^:@]+@[^ ]+\); DATABASE_URL asks for them with sslmode=require: turn SSL on for the server, or drop sslmode from the URL\n$/,
    );
  });
});

describeWithPostgres('the other commands on DATABASE_URL', () => {
  test('GIVEN DATABASE_URL THEN webhook add, list and remove keep their hooks, subscription and digest slot on PostgreSQL', async () => {
    const url = await pgMigrated();
    const dir = tempDir();
    const env = { DATABASE_URL: url, DATA_DIR: dir };
    const added = await runCliInProcess(['webhook', 'add', 'https://hooks.example.com/goldratio', '--lang', 'zh-TW'], env);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const id = /added webhook (wh_[0-9a-f]{8})/.exec(added.stdout)?.[1];
    expect(id).toBeDefined();
    expect((await runCliInProcess(['webhook', 'list'], env)).stdout).toMatch(new RegExp(`${id}\\s+json\\s+zh-TW\\s+active`));
    const store = await pgOpen(url);
    // Its subscription and digest slot are in the server's database.
    const sub = await sql<{ platform: string; digest_time: string }>`SELECT platform, digest_time FROM subscriptions`.execute(store.db);
    expect(sub.rows).toEqual([{ platform: 'webhook', digest_time: '17:30' }]);
    const slots = await sql<{ timezone: string }>`SELECT timezone FROM digest_slots`.execute(store.db);
    expect(slots.rows).toEqual([{ timezone: 'America/New_York' }]);
    const removed = await runCliInProcess(['webhook', 'remove', id!], env);
    expect(removed.code).toBe(0);
    expect((await runCliInProcess(['webhook', 'list'], env)).stdout).toMatch(/no webhooks/);
  });

  test('GIVEN a hook whose receiver answers 410 on PostgreSQL THEN it is deactivated at once, and a passing `webhook test` sends the message kept for it', async () => {
    const url = await pgMigrated();
    const env = { DATABASE_URL: url, DATA_DIR: tempDir() };
    const rx = await WebhookReceiver.start();
    try {
      const added = await runCliInProcess(['webhook', 'add', rx.url('/h')], env);
      const id = /added webhook (wh_[0-9a-f]{8})/.exec(added.stdout)![1]!;
      const db = onPostgres(await pgOpen(url));
      const subs = new SubscriptionStore(db, { approachPct: 1, lang: 'en' });
      const outbox = new OutboxStore(db);
      await levelEvent(db);
      const notifier = new WebhookNotifier({ store: new WebhookStore(db), log: memoryLogger(), rate: 1000, timeoutMs: 5000 });
      const d = new Dispatcher(outbox, subs, { notifiers: [notifier], backoffMs: 1 });
      rx.answers.set('/h', { status: 410 });
      expect(await d.drain()).toMatchObject({ dead: 1 });
      expect((await subs.get('webhook', id))?.active).toBe(false);
      rx.answers.set('/h', { status: 204 });
      expect((await runCliInProcess(['webhook', 'test', id], env)).stdout).toMatch(/active again; the 1 message kept for it goes out now/);
      expect(await d.drain()).toMatchObject({ sent: 1 });
      expect(rx.at('/h').map((r) => r.headers['x-goldratio-event'])).toEqual(['alert', 'test', 'alert']);
    } finally {
      await rx.close();
    }
  });
});

describeWithPostgres('a webhook receiver down on PostgreSQL', () => {
  test('GIVEN a receiver failing, then a restart with a new pool THEN the schedule goes on from the first failure kept in the server, and a day after it the hook is deactivated', async () => {
    const url = await pgMigrated();
    const env = { DATABASE_URL: url, DATA_DIR: tempDir() };
    const rx = await WebhookReceiver.start();
    try {
      const added = await runCliInProcess(['webhook', 'add', rx.url('/h')], env);
      const id = /added webhook (wh_[0-9a-f]{8})/.exec(added.stdout)![1]!;
      let clock = Date.parse('2026-11-17T21:05:00Z');
      const t0 = clock;
      const now = () => clock;
      const sender = (db: ReturnType<typeof onPostgres>) => {
        const subs = new SubscriptionStore(db, { approachPct: 1, lang: 'en' });
        const notifier = new WebhookNotifier({ store: new WebhookStore(db), log: memoryLogger(), rate: 1000, timeoutMs: 5000, now });
        return { subs, outbox: new OutboxStore(db), d: new Dispatcher(new OutboxStore(db), subs, { notifiers: [notifier], now }) };
      };
      const first = sender(onPostgres(await pgOpen(url)));
      const db0 = onPostgres(await pgOpen(url));
      await levelEvent(db0, t0);
      const row = async () => (await sql<{ id: number }>`SELECT id FROM outbox`.execute(db0.k)).rows[0]!.id;
      rx.answers.set('/h', { status: 503 });
      expect(await first.d.drain()).toMatchObject({ retried: 1 });
      clock = t0 + 5_000;
      expect(await first.d.drain()).toMatchObject({ retried: 1 });
      expect(await first.outbox.row(await row())).toMatchObject({ status: 'pending', attempts: 2, nextAt: t0 + 300_000, failingSince: t0 });
      // A new process, its own pool: the row's first failure and next try are the server's.
      const second = sender(onPostgres(await pgOpen(url)));
      clock = t0 + 60_000;
      expect(await second.d.drain()).toMatchObject({ sent: 0, retried: 0 });
      expect((await runCliInProcess(['webhook', 'list', '--json'], env, { nowMs: clock })).stdout).toContain(`"failingSince": "${new Date(t0).toISOString()}"`);
      clock = t0 + 300_000;
      expect(await second.d.drain()).toMatchObject({ retried: 1 });
      expect(await second.outbox.row(await row())).toMatchObject({ attempts: 3, nextAt: t0 + 1_800_000, failingSince: t0 });
      // Each try at its moment (a try that comes more than an hour late is not the end: a bot stopped
      // past the day gets one more), the one at 24 h the last.
      let dead = 0;
      for (let tries = 0; dead === 0 && tries < 20; tries++) {
        clock = (await second.outbox.row(await row()))!.nextAt;
        dead = (await second.d.drain()).dead;
      }
      expect(clock).toBe(t0 + 86_400_000);
      expect(await second.subs.get('webhook', id)).toMatchObject({
        active: false,
        deactivatedReason: `gone: failing for 24 h since ${new Date(t0).toISOString()}; last: HTTP 503`,
      });
      // 5 s, 5 min, 30 min, 1 h, 2 h, 4 h, then every 4 h to 24 h, after the first.
      expect(rx.at('/h')).toHaveLength(12);
    } finally {
      await rx.close();
    }
  });
});

describe('copy-data without a server, and DATABASE_URL', () => {
  test('GIVEN an unreachable server, no --to, a non-postgres URL or no source THEN one line each, exit 2', async () => {
    const path = mainV4Copy();
    const cases: [string[], Record<string, string>, RegExp][] = [
      [
        ['--to', 'postgres://u:secret-pw@127.0.0.1:1/db'],
        { DATABASE_PATH: path },
        /^goldratio copy-data: cannot reach PostgreSQL at 127\.0\.0\.1:1 \(--to: postgres:\/\/u@127\.0\.0\.1:1\/db\): ECONNREFUSED; is the server running/,
      ],
      [[], { DATABASE_PATH: path }, /^goldratio copy-data: missing --to\. Usage: goldratio copy-data --to postgres:/],
      [['--to', 'mysql://u@h/db'], { DATABASE_PATH: path }, /^goldratio copy-data: --to: expected a postgres:\/\/user:password@host:port\/database URL/],
      [
        ['--to', 'postgres://u@h/db'],
        { DATABASE_PATH: join(tempDir(), 'none.db') },
        /^goldratio copy-data: no database at .*none\.db \(DATABASE_PATH\) to copy\n$/,
      ],
    ];
    for (const [args, env, expected] of cases) {
      const r = await runCliInProcess(['copy-data', ...args], env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(expected);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain('secret-pw');
    }
  });

  test('GIVEN DATABASE_URL THEN config takes it as a secret; with DATABASE_PATH too, or not postgres://, it is one clear problem', async () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://gr:pw@db.example:5432/goldratio' });
    expect(c.databaseUrl).toBe('postgres://gr:pw@db.example:5432/goldratio');
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(() => loadConfig({ DATABASE_URL: 'postgres://gr:pw@db/g', DATABASE_PATH: 'data/x.db' })).toThrow(
      /DATABASE_URL and DATABASE_PATH are both set: set DATABASE_URL for PostgreSQL or DATABASE_PATH for SQLite, not both/,
    );
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'mysql://gr:pw-in-url@db/g' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      /DATABASE_URL: expected a postgres:\/\/user:password@host:port\/database URL, not a mysql: one \(the scheme is postgres:\/\/ or postgresql:\/\/\)/,
    );
    expect(message).not.toContain('pw-in-url');
  });
  // `start` at a server not there waits for it, then gives up in one line, password left out: tests/cli/postgres-wait.test.ts.
});

test('GIVEN the environment THEN the PostgreSQL tests run with a URL, skip without one, and fail without one under CI', async () => {
  expect(pgLocation({ GOLDRATIO_TEST_PG_URL: 'postgres://u:p@h/db' })).toEqual({ url: 'postgres://u:p@h/db', mode: 'run' });
  expect(pgLocation({ GOLDRATIO_TEST_PG_URL: 'postgres://u:p@h/db', CI: 'true' }).mode).toBe('run');
  expect(pgLocation({})).toEqual({ url: undefined, mode: 'skip' });
  expect(pgLocation({ GOLDRATIO_TEST_PG_URL: ' ', CI: 'true' })).toEqual({ url: undefined, mode: 'fail' });
  expect(['run', 'skip', 'fail']).toContain(PG.mode);
});
