/**
 * What a sender's claim of its next batch costs (store/outbox-claims.ts): the broadcast pauses
 * for it between batches (a batch is 4 s of the pace: 1,200 rows at 300 msg/s). Measured with
 * 10,000 and 100,000 rows pending after one fan-out, on SQLite and, with GOLDRATIO_BENCH_PG_URL,
 * on PostgreSQL twice: right after the fan-out, when the server's statistics still predate the
 * rows (the first claims of every broadcast: autovacuum analyzes a minute or so later), and after
 * ANALYZE. Each figure is the median of 5 claims in a row, each by a sender of its own name. The
 * alert records its watch, as the pipeline's do: each row is read with what its chat follows, and
 * the dispatcher's send-time check of a claimed batch (stoppedSince) is measured after the claims.
 */
import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/store/db.ts';
import { onPostgres, onSqlite, type StoreDb } from '../src/store/engine.ts';
import { claimDue } from '../src/store/outbox-claims.ts';
import { measure, measureAsync, report } from './_util.ts';
import type { OutboxRow } from '../src/store/outbox.ts';
import { stoppedSince } from '../src/alerts/dispatcher.ts';
import { PG_URL, pgCopy } from './_pg.ts';

const BATCH = 1_200;
const NOW = Date.parse('2026-06-01T12:00:00Z');
const TARGET = '< 200 ms, 5% of a batch';

/** A database with `n` subscribed chats and one message pending to each: an alert's fan-out. */
function seeded(dir: string, n: number) {
  const db = openDatabase(join(dir, `claims-${n}.db`));
  db.exec(`
    WITH RECURSIVE i(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM i WHERE x + 1 < ${n})
    INSERT INTO subscriptions (platform, chat_id, pairs, level_ids, custom_levels, approach_pct, lang, created_at, updated_at)
    SELECT 'telegram', CAST(1000000 + x AS TEXT), '["spx-gold"]', 'all', '[]', 3, 'en', ${NOW}, ${NOW} FROM i;
    INSERT INTO messages (kind, body, dedupe_key, created_at, watch_key, watch_takes, watch_pair, watch_level)
    VALUES ('alert', '{"lines":["a break"]}', 'event:1', ${NOW}, 'spx-gold-2.5', 'level', 'spx-gold', 'spx-gold-2.5');
    INSERT INTO outbox (message_id, subscription_id, platform, chat_id, next_at, created_at)
    SELECT (SELECT max(id) FROM messages), id, platform, chat_id, ${NOW}, ${NOW} FROM subscriptions ORDER BY id;`);
  return db;
}

async function claims(name: string, db: StoreDb, round: number): Promise<OutboxRow[]> {
  let k = 0;
  let last: OutboxRow[] = [];
  const r = await measureAsync(5, async () => {
    last = await claimDue(db, { platform: 'telegram', nowMs: NOW + 1000, limit: BATCH, leaseMs: 120_000, owner: `r${round}-${k++}` });
  });
  report(name, r.median, TARGET);
  return last;
}

const dir = mkdtempSync(join(tmpdir(), 'goldratio-bench-claims-'));
try {
  for (const n of [10_000, 100_000]) {
    const pending = n.toLocaleString('en-US');
    const db = seeded(dir, n);
    const onPg = PG_URL === undefined ? undefined : await pgCopy(PG_URL, db, `claims_${n}`);
    try {
      if (onPg !== undefined) {
        const pg = onPostgres(onPg.store);
        await claims(`claim of ${BATCH}, ${pending} pending, PostgreSQL, fresh fan-out`, pg, 1);
        await sql`ANALYZE outbox`.execute(pg.k);
        await claims(`claim of ${BATCH}, ${pending} pending, PostgreSQL, analyzed`, pg, 2);
      }
      const batch = await claims(`claim of ${BATCH}, ${pending} pending, SQLite`, onSqlite(db), 3);
      if (n === 10_000) {
        // Every row is checked, and every row still followed (the chats watch SPX/Gold): nothing is dropped.
        const check = measure(5, () => {
          if (batch.some((row) => stoppedSince(row, NOW) !== undefined)) throw new Error('a followed alert was dropped');
        });
        report(`send-time check of a claimed batch (${batch.length} rows)`, check.median, '< 5 ms');
      }
    } finally {
      await onPg?.drop();
      db.close();
    }
  }
  if (PG_URL === undefined) process.stdout.write('postgres: skipped (set GOLDRATIO_BENCH_PG_URL)\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
