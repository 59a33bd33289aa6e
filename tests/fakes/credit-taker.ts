/**
 * The shared credits test's other process (tests/market/credits-shared.test.ts): opens the store at
 * <target> (a SQLite file, or a postgres:// URL), prints "ready", and on a line "go" from stdin takes
 * <count> credits of a plan of <per minute> a minute, one after another, on the clock NOW (ms) as
 * fast as it can; then prints {"taken":n,"refused":m} and exits.
 */
import { createInterface } from 'node:readline';
import { CreditBudget, isCreditsOut } from '../../src/market/credits.ts';
import { openDatabase } from '../../src/store/db.ts';
import { onPostgres, onSqlite } from '../../src/store/engine.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { SourceCreditStore } from '../../src/store/source-credits.ts';

const [target, count, perMinute] = process.argv.slice(2);
const now = Number(process.env.NOW);
if (target === undefined || count === undefined || perMinute === undefined || !Number.isFinite(now))
  throw new Error('usage: NOW=<ms> credit-taker <db path | postgres url> <count> <per minute>');
const pg = target.startsWith('postgres') ? await openPostgres(target, { what: 'URL', max: 2 }) : undefined;
const sqlite = pg === undefined ? openDatabase(target) : undefined;
const db = pg !== undefined ? onPostgres(pg) : onSqlite(sqlite!);
const budget = new CreditBudget(
  { twelvedata: { perMinute: Number(perMinute), perDay: 800, env: { perMinute: 'TWELVEDATA_CREDITS_PER_MINUTE', perDay: 'TWELVEDATA_CREDITS_PER_DAY' } } },
  { now: () => now, ledger: new SourceCreditStore(db) },
);
console.log('ready');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === 'go') break;
let taken = 0;
let refused = 0;
for (let i = 0; i < Number(count); i++) {
  try {
    await budget.take('twelvedata', 'SPX');
    taken++;
  } catch (e) {
    if (!isCreditsOut(e)) throw e;
    refused++;
  }
}
console.log(JSON.stringify({ taken, refused }));
lines.close();
sqlite?.close();
await pg?.close();
