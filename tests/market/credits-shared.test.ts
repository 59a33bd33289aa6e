/**
 * A keyed source's plan shared by every process on one store (store/source-credits.ts, migration
 * 026): a `goldratio backfill` beside the bot on one SQLite file, replicas and a new leader on one
 * PostgreSQL. Two real processes take credits of an 8-a-minute plan at once: 8 are taken between
 * them, never more; and two stores on one database in this process see each other's takes and the
 * source's own refusal.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { CreditBudget, isCreditsOut, type CreditPlan } from '../../src/market/credits.ts';
import { twelveDataRefusal } from '../../src/market/twelvedata.ts';
import { openDatabase } from '../../src/store/db.ts';
import { onSqlite, type StoreDb } from '../../src/store/engine.ts';
import { SourceCreditStore } from '../../src/store/source-credits.ts';
import { childScript } from '../helpers/child-script.ts';
import { describeWithPostgres, freshPgDatabase, twoPgHandles } from '../helpers/postgres.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TAKER = fileURLToPath(new URL('../fakes/credit-taker.ts', import.meta.url));
// Monday 2026-12-07, 15:00 UTC: every take of a test on this one clock, so none falls in another minute.
const NOW = Date.parse('2026-12-07T15:00:00Z');
const PLAN: Record<string, CreditPlan> = {
  twelvedata: {
    perMinute: 8,
    perDay: 800,
    env: { perMinute: 'TWELVEDATA_CREDITS_PER_MINUTE', perDay: 'TWELVEDATA_CREDITS_PER_DAY' },
    refusal: twelveDataRefusal,
  },
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** Starts a taker on `target`; resolves once it said "ready", with a go() that lets it take and resolves with what it took. */
async function taker(target: string, count: number, perMinute: number): Promise<{ go(): Promise<{ taken: number; refused: number }> }> {
  const child = spawn(process.execPath, [childScript(TAKER), target, String(count), String(perMinute)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NOW: String(NOW) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => out.includes('ready\n') && resolve());
    void exited.then((code) => reject(new Error(`the taker exited (${code}) before it was ready: ${err}`)));
  });
  return {
    async go() {
      child.stdin.end('go\n');
      const code = await exited;
      if (code !== 0) throw new Error(`the taker exited ${code}: ${err}`);
      return JSON.parse(out.trim().split('\n').at(-1)!) as { taken: number; refused: number };
    },
  };
}

/**
 * Two takers of 150 credits each of a plan of 100 a minute: many takes each, so that theirs overlap
 * (of 12 each of 8, one often finished before the other began, and a count read and written back
 * without the transaction's lock still came out right).
 */
async function twoProcesses(target: string): Promise<void> {
  const [a, b] = await Promise.all([taker(target, 150, 100), taker(target, 150, 100)]);
  const [ra, rb] = await Promise.all([a.go(), b.go()]);
  expect(ra.taken + rb.taken).toBe(100);
  expect(ra.refused + rb.refused).toBe(200);
}

const budget = (db: StoreDb) => new CreditBudget(PLAN, { now: () => NOW, ledger: new SourceCreditStore(db) });
const outcome = (p: Promise<void>) =>
  p.then(
    () => 'taken',
    (e: unknown) => (isCreditsOut(e) ? 'refused' : Promise.reject(e)),
  );

async function twoStores([a, b]: readonly [StoreDb, StoreDb]): Promise<void> {
  const [ba, bb] = [budget(a), budget(b)];
  // Ten takes from each at once: on PostgreSQL they interleave; 8 taken between them all the same.
  const all = await Promise.all([
    ...Array.from({ length: 10 }, () => outcome(ba.take('twelvedata', 'SPX'))),
    ...Array.from({ length: 10 }, () => outcome(bb.take('twelvedata', 'QQQ'))),
  ]);
  expect(all.filter((o) => o === 'taken')).toHaveLength(8);
  expect([await ba.usedToday('twelvedata'), await bb.usedToday('twelvedata')]).toEqual([8, 8]);
  // The source's own "run out of credits for the day", seen by one, keeps the other from asking until midnight UTC.
  const c = budget(a);
  const day = JSON.stringify({ code: 429, message: 'You have run out of API credits for the day.', status: 'error' });
  await expect(c.check('twelvedata', 'SPX', { status: 200, contentType: 'application/json', body: day })).rejects.toThrow(/until 00:00:00 UTC/);
  const d = new CreditBudget(PLAN, { now: () => NOW + 3 * 60_000, ledger: new SourceCreditStore(b) });
  await expect(d.take('twelvedata', 'SPX')).rejects.toThrow(/^twelvedata not asked for SPX until 00:00:00 UTC: it said it has run out of API credits/);
}

describe('credits shared on one SQLite file', () => {
  function file(): string {
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-credits-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return writeDatabase(join(dir, 'g.db'));
  }

  // Two child starts (a bundle built on the first): the bound is for children that stall, on a loaded machine too.
  test('GIVEN two processes taking 150 credits each of a 100-a-minute plan at once THEN 100 are taken between them', { timeout: 120_000 }, async () => {
    await twoProcesses(file());
  });

  test("GIVEN two stores on one file THEN each counts the other's takes and the source's own refusal", async () => {
    const path = file();
    const [x, y] = [openDatabase(path), openDatabase(path)];
    cleanups.push(
      () => x.close(),
      () => y.close(),
    );
    await twoStores([onSqlite(x), onSqlite(y)]);
  });
});

describeWithPostgres('credits shared on one PostgreSQL database', () => {
  test('GIVEN two processes taking 150 credits each of a 100-a-minute plan at once THEN 100 are taken between them', { timeout: 120_000 }, async () => {
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    await twoProcesses(d.url);
  });

  test("GIVEN two replicas' stores on one database THEN each counts the other's takes and the source's own refusal", async () => {
    await twoStores(await twoPgHandles((f) => cleanups.push(f)));
  });
});
