/**
 * A unit of work written once, run on either engine: a generator that yields the queries it
 * needs (built with Kysely) and receives their rows. On SQLite the runner drives it synchronously
 * inside one better-sqlite3 transaction, through prepared statements cached by their SQL (as fast
 * as hand-prepared ones after the first call, and nothing else can run in the middle: the
 * transaction never spans an await, so no other caller's write can land inside it). On
 * PostgreSQL the same generator is driven asynchronously inside one Kysely transaction.
 *
 * Mind the difference that remains: on SQLite units run one after another; on PostgreSQL they run
 * at the same time under READ COMMITTED, so a unit that reads a value and writes it back must write
 * atomically (SET n = n + 1) or lock what it read (FOR UPDATE, through a named method here).
 *
 *   const sub = await runUnit(db, function* () {
 *     const row = yield* first(db.k.selectFrom('subscriptions').selectAll().where('id', '=', id));
 *     yield* run(db.k.updateTable('subscriptions').set({ active: 0 }).where('id', '=', id));
 *     return row;
 *   });
 */
import type { Compilable, CompiledQuery } from 'kysely';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.ts';
import type { StoreDb } from './engine.ts';
import { isDiskFull } from './busy.ts';
import { diskFreedAgain, diskWasFull, noteDiskFull } from './file-identity.ts';

export interface Op {
  readonly query: CompiledQuery;
  readonly kind: 'rows' | 'run';
}

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  readonly changes: number;
  /** The id SQLite gave an inserted row (PostgreSQL: use RETURNING and `rows`). */
  readonly lastInsertId: number | undefined;
}

export type Unit<T> = Generator<Op, T, unknown>;

/** Every row a query returns. */
export function* rows<R>(q: Compilable<R>): Generator<Op, R[], unknown> {
  return (yield { query: q.compile(), kind: 'rows' }) as R[];
}

/** The first row a query returns, if any. */
export function* first<R>(q: Compilable<R>): Generator<Op, R | undefined, unknown> {
  return ((yield { query: q.compile(), kind: 'rows' }) as R[])[0];
}

/** A statement run for its effect. */
export function* run(q: Compilable<unknown>): Generator<Op, RunResult, unknown> {
  return (yield { query: q.compile(), kind: 'run' }) as RunResult;
}

// Prepared statements per SQLite handle, by SQL text: a unit's queries compile to the same text
// every call (values are parameters), so each is prepared once.
const statements = new WeakMap<Db, Map<string, Statement>>();
const MAX_CACHED = 500;

function prepared(db: Db, text: string): Statement {
  let cache = statements.get(db);
  if (cache === undefined) statements.set(db, (cache = new Map()));
  let stmt = cache.get(text);
  if (stmt === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    stmt = db.prepare(text);
    cache.set(text, stmt);
  }
  return stmt;
}

function execSqlite(db: Db, op: Op): unknown {
  const stmt = prepared(db, op.query.sql);
  const params = op.query.parameters as unknown[];
  if (stmt.reader) {
    // A SELECT, or a write with RETURNING (one row per row changed).
    const found = stmt.all(...params);
    return op.kind === 'rows' ? found : { changes: found.length, lastInsertId: undefined };
  }
  const r = stmt.run(...params);
  return op.kind === 'rows' ? [] : { changes: r.changes, lastInsertId: Number(r.lastInsertRowid) };
}

/**
 * Runs a unit of work in one transaction (`transaction: false`: each statement on its own, for a
 * single statement or reads that need no snapshot). SQLite takes the write lock at the start
 * (BEGIN IMMEDIATE), so a unit that reads then writes never fails half-way on a busy database.
 */
export async function runUnit<T>(db: StoreDb, unit: () => Unit<T>, opts: { readonly transaction?: boolean } = {}): Promise<T> {
  const inTransaction = opts.transaction ?? true;
  const sqlite = db.sqlite;
  if (sqlite !== undefined) {
    const drive = (): T => driveSqlite(sqlite, unit());
    // After a write met a full disk, the first unit that changes a row says the disk has room again.
    const wasFull = diskWasFull(sqlite);
    const before = wasFull ? totalChanges(sqlite) : 0;
    try {
      const result = inTransaction ? sqlite.transaction(drive).immediate() : drive();
      if (wasFull && totalChanges(sqlite) !== before) diskFreedAgain(sqlite);
      return result;
    } catch (e) {
      if (isDiskFull(e)) noteDiskFull(sqlite);
      throw e;
    }
  }
  return inTransaction ? db.k.transaction().execute((trx) => driveKysely(trx, unit())) : driveKysely(db.k, unit());
}

/** Rows changed on this connection since it opened (SQLite's total_changes()). */
function totalChanges(sqlite: Db): number {
  return (sqlite.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
}

/** Drives a unit synchronously on the SQLite handle, in whatever transaction is open (./long-unit.ts). */
export function driveSqlite<T>(sqlite: Db, it: Unit<T>): T {
  let step = it.next();
  while (step.done !== true) step = it.next(execSqlite(sqlite, step.value));
  return step.value;
}

/** Drives a unit through a Kysely executor (PostgreSQL, or a transaction on it). */
export async function driveKysely<T>(exec: StoreDb['k'], it: Unit<T>): Promise<T> {
  let step = it.next();
  while (step.done !== true) {
    const r = await exec.executeQuery(step.value.query);
    step = it.next(
      step.value.kind === 'rows'
        ? r.rows
        : { changes: Number(r.numAffectedRows ?? 0n), lastInsertId: r.insertId === undefined ? undefined : Number(r.insertId) },
    );
  }
  return step.value;
}

const SLOT = Symbol('slot');
interface Slot {
  readonly [SLOT]: string;
}
const isSlot = (v: unknown): v is Slot => typeof v === 'object' && v !== null && SLOT in v;

/**
 * A query built and compiled once, run many times with new values: for hot paths, where building
 * and compiling with Kysely on every call would cost more than the statement itself. `build` gets
 * `p(name)`, a stand-in for a value given at run time (scalars only: a number, string or null).
 *
 *   const markSent = prepare<{ id: number; at: number }>((p) => k.updateTable('outbox').set({ sent_at: p('at') }).where('id', '=', p('id')));
 *   yield* run(markSent({ id: 7, at: Date.now() }));
 */
export function prepare<P extends Record<string, unknown>, R = unknown>(
  build: (p: <K extends keyof P & string>(name: K) => P[K]) => Compilable<R>,
): (values: P) => Compilable<R> {
  const template = build(<K extends keyof P & string>(name: K) => ({ [SLOT]: name }) as unknown as P[K]).compile();
  const slots = template.parameters.map((v) => (isSlot(v) ? v[SLOT] : undefined));
  return (values) => ({
    compile: () => ({
      ...template,
      parameters: template.parameters.map((v, i) => {
        const name = slots[i];
        return name === undefined ? v : values[name];
      }),
    }),
  });
}
