/**
 * credits15: what one take of a keyed source's credit costs (market/credits.ts), per request sent
 * to Twelve Data or FRED. The rule alone (takeCredit: the old in-memory take was this, synchronous);
 * the budget's take on this process's memory (MemoryLedger: a SQLite in memory); on the store,
 * one transaction each (store/source-credits.ts): a SQLite file, and PostgreSQL when
 * GOLDRATIO_BENCH_PG_URL is set. A plan too large to refuse, so every take is taken; the clock moves
 * 1 ms a take, so the minute's list stays full-size (its plan's minute, 100 takes here).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreditBudget, MemoryLedger, takeCredit, type CreditLedger, type CreditPlan, type CreditState } from '../src/market/credits.ts';
import { openDatabase } from '../src/store/db.ts';
import { onPostgres, onSqlite } from '../src/store/engine.ts';
import { openPostgres } from '../src/store/postgres.ts';
import { SourceCreditStore } from '../src/store/source-credits.ts';
import { admin, PG_URL } from './_pg.ts';
import { measure, measureAsync, report } from './_util.ts';

const PER_MINUTE = 100;
const plan: CreditPlan = { perMinute: PER_MINUTE, perDay: 1e12, env: { perMinute: 'X', perDay: 'Y' } };
let clock = Date.parse('2026-12-07T15:00:00Z');
// The minute's list full: each take drops the oldest and adds one.
const now = () => (clock += 60_000 / PER_MINUTE);

const state: CreditState = { taken: [], day: '', usedToday: 0, outUntil: 0 };
const N = 20_000;
report(
  `takeCredit, the rule alone (x${N})`,
  measure(9, () => {
    for (let i = 0; i < N; i++) takeCredit(plan, state, now());
  }).median / N,
);

async function budgetOn(name: string, ledger: CreditLedger, n: number): Promise<void> {
  const b = new CreditBudget({ twelvedata: plan }, { now, ledger });
  for (let i = 0; i < 200; i++) await b.take('twelvedata', 'SPX');
  const r = await measureAsync(9, async () => {
    for (let i = 0; i < n; i++) await b.take('twelvedata', 'SPX');
  });
  report(`CreditBudget.take, ${name} (x${n})`, r.median / n);
}

await budgetOn('memory', new MemoryLedger(), N);
const dir = mkdtempSync(join(tmpdir(), 'goldratio-bench-credits-'));
const db = openDatabase(join(dir, 'g.db'));
try {
  await budgetOn('SQLite file', new SourceCreditStore(onSqlite(db)), 2000);
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
if (PG_URL !== undefined) {
  const name = `goldratio_bench_credits_${process.pid}`;
  await admin(PG_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(PG_URL, `CREATE DATABASE ${name}`);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const pg = await openPostgres(u.toString(), { what: 'GOLDRATIO_BENCH_PG_URL' });
  try {
    await budgetOn('PostgreSQL (local)', new SourceCreditStore(onPostgres(pg)), 500);
  } finally {
    await pg.close();
    await admin(PG_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
} else process.stdout.write('PostgreSQL: set GOLDRATIO_BENCH_PG_URL to measure it\n');
