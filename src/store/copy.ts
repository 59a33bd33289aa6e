/**
 * Moving up: the SQLite database copied, row for row with its ids, into an empty PostgreSQL one
 * (`goldratio copy-data`). The source is read in one read transaction (a consistent snapshot
 * even while the bot writes), the target written in one transaction (all or nothing), and the
 * row counts of every table compared at the end. The meta rows of one process (per-process-meta.ts:
 * refused-token notes, a scan's claim) are left out and counted apart.
 */
import { sql } from 'kysely';
import type { Db } from './db.ts';
import { resetIdentities, type PgStore } from './postgres.ts';
import { CopyFailedError, CopyStoppedError, TargetNotEmptyError } from './errors.ts';
import { COPY_TABLES } from './table-names.ts';
import { longWork } from './pg-deadline.ts';
import { perProcessMeta } from './per-process-meta.ts';

export { COPY_TABLES } from './table-names.ts';

/** Tables whose `id` numbers itself (an identity sequence on PostgreSQL). */
const IDENTITY_TABLES = ['subscriptions', 'events', 'messages', 'outbox', 'move_events'] as const;

/** PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_PARAMS = 30_000;

export interface TableCount {
  readonly table: string;
  /** The rows copied from the source (those skipped aside). */
  readonly source: number;
  readonly target: number;
  /** The source's rows left out (meta: one process's, per-process-meta.ts), by what they are. */
  readonly skipped?: readonly { readonly what: string; readonly rows: number }[];
}

/** Tables of the target that have rows (meta aside: every fresh database has its counters). */
export async function nonEmptyTables(target: PgStore): Promise<{ table: string; rows: number }[]> {
  const found: { table: string; rows: number }[] = [];
  for (const table of COPY_TABLES) {
    if (table === 'meta') continue;
    const rows = await countRows(target, table);
    if (rows > 0) found.push({ table, rows });
  }
  return found;
}

async function countRows(target: PgStore, table: string): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(target.db);
  return r.rows[0]?.n ?? 0;
}

/**
 * Copies every table of `source` into `target` (migrated to the same schema version, and empty:
 * else TargetNotEmptyError). Returns each table's row count on both sides, read after the commit.
 * When `signal` fires before the commit, the transaction is rolled back and CopyStoppedError
 * thrown: the target is left as empty as it was.
 */
export async function copyToPostgres(
  source: Db,
  target: PgStore,
  onTable?: (table: string, rows: number) => void,
  signal?: AbortSignal,
): Promise<TableCount[]> {
  const heard = () => {
    if (signal?.aborted) throw new CopyStoppedError(String(signal.reason));
  };
  const full = await nonEmptyTables(target);
  if (full.length > 0) throw new TargetNotEmptyError(target.where, full);
  const sourceCounts = new Map<string, number>();
  const skipped = new Map<string, number>();
  source.exec('BEGIN');
  try {
    // Long work: a batch of thousands of rows, and the commit of them all, may take more than an ordinary query's deadline.
    await longWork(() =>
      target.db.transaction().execute(async (trx) => {
        // The counters a fresh database starts with give way to the source's.
        await sql`DELETE FROM meta`.execute(trx);
        for (const table of COPY_TABLES) {
          const columns = (source.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
          const perBatch = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
          let batch: Record<string, unknown>[] = [];
          let n = 0;
          const flush = async () => {
            if (batch.length === 0) return;
            const rows = batch.map((r) => sql`(${sql.join(columns.map((c) => r[c]))})`);
            await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) VALUES ${sql.join(rows)}`.execute(trx);
            n += batch.length;
            batch = [];
            // Each batch awaits the server, so a signal's handler has run by now.
            heard();
          };
          for (const row of source.prepare(`SELECT * FROM ${table}`).iterate() as IterableIterator<Record<string, unknown>>) {
            const own = table === 'meta' ? perProcessMeta(String(row.key), String(row.value)) : undefined;
            if (own !== undefined) {
              skipped.set(own, (skipped.get(own) ?? 0) + 1);
              continue;
            }
            batch.push(row);
            if (batch.length >= perBatch) await flush();
          }
          await flush();
          sourceCounts.set(table, n);
          onTable?.(table, n);
        }
        await resetIdentities(trx, IDENTITY_TABLES);
        heard();
      }),
    );
  } catch (e) {
    // One transaction: whatever failed (the server gone, a row refused), nothing of it was kept.
    throw e instanceof CopyStoppedError ? e : new CopyFailedError(target.where, false, e);
  } finally {
    source.exec('COMMIT');
  }
  const counts: TableCount[] = [];
  try {
    for (const table of COPY_TABLES) {
      const left = table === 'meta' && skipped.size > 0 ? { skipped: [...skipped].map(([what, rows]) => ({ what, rows })) } : {};
      counts.push({ table, source: sourceCounts.get(table) ?? 0, target: await countRows(target, table), ...left });
    }
  } catch (e) {
    throw new CopyFailedError(target.where, true, e);
  }
  return counts;
}
