/**
 * Issue 12's figures: 100,000 chats due at the same minute (08:00 Asia/Taipei, two languages)
 * become 100,000 outbox rows in one transaction (their slot decided once, migration 009); a minute
 * with nobody due costs one indexed lookup in the slots. Printed, not asserted. With GOLDRATIO_BENCH_PG_URL (a server whose user may
 * create a database) the same figures on PostgreSQL, in a database made for the run and dropped after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { admin, PG_URL } from './_pg.ts';
import { onPostgres, onSqlite, type StoreDb } from '../src/store/engine.ts';
import { openPostgres } from '../src/store/postgres.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/store/db.ts';
import { DigestStore } from '../src/store/digests.ts';
import type { Message } from '../src/domain/message.ts';
import { measureAsync, report } from './_util.ts';

const CHATS = 100_000;
const DUE = Date.parse('2026-11-18T00:00:00Z'); // Wednesday 08:00 in Taipei, after Tuesday's US close
const DAY = 86_400_000;
/** Three mornings in a row, each after a US close: Wed, Thu, Fri 08:00 in Taipei. */
const MORNINGS = [
  [DUE, '2026-11-17'],
  [DUE + DAY, '2026-11-18'],
  [DUE + 2 * DAY, '2026-11-19'],
] as const;
const MESSAGE: Message = { title: { en: 'goldratio digest', 'zh-TW': 'goldratio 每日摘要' }, lines: ['SPX/Gold 1.698'], chart: { kind: 'digest' } };

/** The chats above were written straight into the table: their slots, as `DigestStore.set` would make them. */
const SLOTS = `INSERT INTO digest_slots (digest_time, timezone, next_due)
  SELECT digest_time, timezone, min(digest_next_due) FROM subscriptions WHERE digest_time IS NOT NULL GROUP BY digest_time, timezone`;

const dir = mkdtempSync(join(tmpdir(), 'goldratio-bench-digest-'));
try {
  const db = openDatabase(join(dir, 'digest.db'));
  let t0 = performance.now();
  const insert = db.prepare(
    `INSERT INTO subscriptions (platform, chat_id, active, pairs, level_ids, custom_levels, approach_pct, lang, digest_time, timezone,
       digest_next_due, created_at, updated_at) VALUES (?, ?, 1, '["spx-gold","qqq-gold"]', 'all', '[]', 3, ?, ?, ?, ?, 0, 0)`,
  );
  db.transaction(() => {
    for (let i = 0; i < CHATS; i++) insert.run(i % 3 === 0 ? 'discord' : 'telegram', `chat-${i}`, i % 2 === 0 ? 'en' : 'zh-TW', '08:00', 'Asia/Taipei', DUE);
    // And as many chats due at other minutes of the day, in other zones: they must cost nothing now.
    for (let i = 0; i < CHATS; i++) {
      const minute = 1 + (i % 1439);
      const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
      insert.run('telegram', `other-${i}`, 'en', time, 'UTC', DUE + 30 * DAY + minute * 60_000);
    }
    db.exec(SLOTS);
  })();
  report(`setup: ${(2 * CHATS).toLocaleString('en-US')} chats with a digest time`, performance.now() - t0);

  const digests = new DigestStore(onSqlite(db));
  const times: number[] = [];
  for (const [due, close] of MORNINGS) {
    let built = 0;
    t0 = performance.now();
    const r = await digests.enqueueDue(due, close, () => {
      built++;
      return MESSAGE;
    });
    const ms = performance.now() - t0;
    times.push(ms);
    report(
      `${CHATS.toLocaleString('en-US')} chats due at 08:00 Asia/Taipei (${new Date(due).toISOString().slice(0, 10)}) → outbox rows, 1 transaction`,
      ms,
      '< 1 s',
    );
    process.stdout.write(`  queued ${r.queued.toLocaleString('en-US')}, groups ${r.groups}, messages built ${built}, duplicates ${r.duplicates}\n`);
    const again = await digests.enqueueDue(due + 30_000, close, () => MESSAGE);
    process.stdout.write(`  second tick in the same minute: queued ${again.queued}, groups ${again.groups}\n`);
  }
  times.sort((a, b) => a - b);
  report('median of the three mornings', times[1]!, '< 1 s');
  const outbox = (db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get() as { n: number }).n;
  process.stdout.write(`  outbox rows pending: ${outbox.toLocaleString('en-US')}\n`);

  // A minute with nobody due: 100,000 chats wait for tomorrow 08:00, the others for later minutes.
  const idle = await measureAsync(2000, () => digests.enqueueDue(DUE + 2 * DAY + 60_000, '2026-11-19', () => MESSAGE));
  report('a minute with no chat due (200,000 scheduled)', idle.median, '< 1 ms');
  process.stdout.write(
    `  min ${(idle.min * 1000).toFixed(1)} µs, max ${(idle.max * 1000).toFixed(1)} µs; load average ${(await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${(await import('node:os')).cpus().length} cores\n`,
  );
  const plan = db.prepare('EXPLAIN QUERY PLAN SELECT next_due FROM digest_slots WHERE next_due <= ? LIMIT 1').all(DUE + 2 * DAY + 60_000) as {
    detail: string;
  }[];
  process.stdout.write(`  due lookup: ${plan.map((p) => p.detail).join('; ')}\n`);
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** The same mornings on PostgreSQL (issue 17: 100,000 digests due in one minute, under 1.5 s). */
async function onPostgresServer(server: string): Promise<void> {
  const name = `goldratio_bench_digest_${randomBytes(4).toString('hex')}`;
  await admin(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const store = await openPostgres(url.toString(), { what: 'GOLDRATIO_BENCH_PG_URL' });
  try {
    const db: StoreDb = onPostgres(store);
    let t0 = performance.now();
    // The same 200,000 chats as on SQLite, written set-based (the setup is not what is measured).
    await sql`INSERT INTO subscriptions (platform, chat_id, active, pairs, level_ids, custom_levels, approach_pct, lang, digest_time, timezone,
        digest_next_due, created_at, updated_at)
      SELECT CASE WHEN i % 3 = 0 THEN 'discord' ELSE 'telegram' END, 'chat-' || i, 1, '["spx-gold","qqq-gold"]', 'all', '[]', 3,
        CASE WHEN i % 2 = 0 THEN 'en' ELSE 'zh-TW' END, '08:00', 'Asia/Taipei', CAST(${DUE} AS BIGINT), 0, 0
      FROM generate_series(0, ${CHATS - 1}) AS i`.execute(db.k);
    await sql`INSERT INTO subscriptions (platform, chat_id, active, pairs, level_ids, custom_levels, approach_pct, lang, digest_time, timezone,
        digest_next_due, created_at, updated_at)
      SELECT 'telegram', 'other-' || i, 1, '["spx-gold","qqq-gold"]', 'all', '[]', 3, 'en',
        lpad(((1 + i % 1439) / 60)::text, 2, '0') || ':' || lpad(((1 + i % 1439) % 60)::text, 2, '0'), 'UTC',
        CAST(${DUE + 30 * DAY} AS BIGINT) + (1 + i % 1439) * 60000, 0, 0
      FROM generate_series(0, ${CHATS - 1}) AS i`.execute(db.k);
    await sql.raw(SLOTS).execute(db.k);
    await sql`ANALYZE`.execute(db.k);
    report(`postgres setup: ${(2 * CHATS).toLocaleString('en-US')} chats with a digest time`, performance.now() - t0);
    const digests = new DigestStore(db);
    const times: number[] = [];
    for (const [due, close] of MORNINGS) {
      t0 = performance.now();
      const r = await digests.enqueueDue(due, close, () => MESSAGE);
      const ms = performance.now() - t0;
      times.push(ms);
      report(`postgres: ${CHATS.toLocaleString('en-US')} chats due (${new Date(due).toISOString().slice(0, 10)}) → outbox rows`, ms, '< 1.5 s');
      process.stdout.write(`  queued ${r.queued.toLocaleString('en-US')}, groups ${r.groups}, duplicates ${r.duplicates}\n`);
    }
    times.sort((a, b) => a - b);
    report('postgres: median of the three mornings', times[1]!, '< 1.5 s');
    const idleMinute = () => digests.enqueueDue(DUE + 2 * DAY + 60_000, '2026-11-19', () => MESSAGE);
    // The mornings moved one slot row each, not 100,000 chats: no vacuum is needed for the idle
    // minute to stay one index probe.
    const idle = await measureAsync(500, idleMinute);
    report('postgres: a minute with no chat due (200,000 scheduled), vacuumed', idle.median, '< 1 ms');
  } finally {
    await store.close();
    await admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

if (PG_URL === undefined) process.stdout.write('postgres: skipped (set GOLDRATIO_BENCH_PG_URL)\n');
else await onPostgresServer(PG_URL);
