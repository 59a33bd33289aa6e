/**
 * What the way to the async store costs per statement on SQLite: a hand-prepared better-sqlite3
 * statement (today's hot paths), the same statement built with Kysely and run through a unit of
 * work (src/store/unit.ts: compiled every call, prepared once), and Kysely's own SQLite driver.
 * The store moves module by module; this says where a hot path should keep its prepared statement.
 * Figures are per statement (median of runs of 2,000 each), printed, not asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/store/db.ts';
import { onSqlite } from '../src/store/engine.ts';
import { first, prepare, run, runUnit } from '../src/store/unit.ts';
import { report } from './_util.ts';

const OPS = 2000;
const RUNS = 7;

async function perOp(fn: (i: number) => unknown): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < OPS; i++) await fn(i);
    times.push((performance.now() - t0) / OPS);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)]!;
}

const dir = mkdtempSync(join(tmpdir(), 'goldratio-bench-engines-'));
try {
  const db = openDatabase(join(dir, 'b.db'));
  const s = onSqlite(db);
  const ids = db.transaction(() => {
    const m = Number(db.prepare("INSERT INTO messages (kind, body, created_at) VALUES ('alert', '{}', 1)").run().lastInsertRowid);
    const ins = db.prepare("INSERT INTO outbox (message_id, subscription_id, platform, chat_id, created_at) VALUES (?, ?, 'telegram', ?, 1)");
    return Array.from({ length: OPS }, (_, i) => Number(ins.run(m, i, String(i)).lastInsertRowid));
  })();
  const markSent = db.prepare("UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?");
  const version = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'data_version'");

  report('write, prepared better-sqlite3 (markSent today)', await perOp((i) => markSent.run(i, ids[i])));
  report(
    'write, Kysely through runUnit, no transaction',
    await perOp((i) =>
      runUnit(
        s,
        function* () {
          return yield* run(
            s.k
              .updateTable('outbox')
              .set((eb) => ({ status: 'sent', sent_at: i, attempts: eb('attempts', '+', eb.lit(1)) }))
              .where('id', '=', ids[i]!),
          );
        },
        { transaction: false },
      ),
    ),
  );
  report(
    'write, Kysely through runUnit, in a transaction',
    await perOp((i) =>
      runUnit(s, function* () {
        return yield* run(
          s.k
            .updateTable('outbox')
            .set((eb) => ({ status: 'sent', sent_at: i, attempts: eb('attempts', '+', eb.lit(1)) }))
            .where('id', '=', ids[i]!),
        );
      }),
    ),
  );
  const sent = prepare<{ id: number; at: number }>((p) =>
    s.k
      .updateTable('outbox')
      .set((eb) => ({ status: 'sent', sent_at: p('at'), attempts: eb('attempts', '+', eb.lit(1)) }))
      .where('id', '=', p('id')),
  );
  report(
    'write, Kysely prepared once (prepare), runUnit, no tx',
    await perOp((i) =>
      runUnit(
        s,
        function* () {
          return yield* run(sent({ id: ids[i]!, at: i }));
        },
        { transaction: false },
      ),
    ),
  );
  report(
    "write, Kysely's SQLite driver (execute)",
    await perOp((i) =>
      s.k
        .updateTable('outbox')
        .set((eb) => ({ status: 'sent', sent_at: i, attempts: eb('attempts', '+', eb.lit(1)) }))
        .where('id', '=', ids[i]!)
        .execute(),
    ),
  );
  report('read, prepared better-sqlite3 (dataVersion today)', await perOp(() => version.get()));
  report(
    'read, Kysely through runUnit, no transaction',
    await perOp(() =>
      runUnit(
        s,
        function* () {
          return yield* first(s.k.selectFrom('meta').select('value').where('key', '=', 'data_version'));
        },
        { transaction: false },
      ),
    ),
  );
  const dv = prepare<{ key: string }, { value: string }>((p) => s.k.selectFrom('meta').select('value').where('key', '=', p('key')));
  report(
    'read, Kysely prepared once (prepare), runUnit, no tx',
    await perOp(() =>
      runUnit(
        s,
        function* () {
          return yield* first(dv({ key: 'data_version' }));
        },
        { transaction: false },
      ),
    ),
  );
  report(
    "read, Kysely's SQLite driver (executeTakeFirst)",
    await perOp(() => s.k.selectFrom('meta').select('value').where('key', '=', 'data_version').executeTakeFirst()),
  );
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
